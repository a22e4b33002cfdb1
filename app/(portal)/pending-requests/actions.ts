"use server";

import { defineAction } from "@/lib/actions/define-action";
import { cancelRequest } from "@/lib/pim";
import { cancelRequestInput } from "@/lib/validation/pim";

/** Cancel one of my pending requests (the use case refuses other people's requests unless the actor is a PIM admin). */
export const cancelRequestAction = defineAction({
  input: cancelRequestInput,
  run: cancelRequest,
  revalidate: ["/pending-requests", "/my-roles", "/approve-requests"],
  data: (_result, input) => ({ requestId: input.requestId }),
});

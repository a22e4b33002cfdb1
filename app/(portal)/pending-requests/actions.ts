"use server";

import { defineAction } from "@/lib/actions/define-action";
import { cancelRequest } from "@/lib/pim/use-cases/cancel-request";
import { cancelRequestInput } from "@/lib/validation/pim";

/**
 * Cancel a pending request or a scheduled activation (`{ requestId }` or `{ scheduleId }`): mine, or anyone's for
 * a PIM admin (the use case decides). Also used by My roles and the Assignments blade for scheduled activations.
 */
export const cancelRequestAction = defineAction({
  input: cancelRequestInput,
  run: cancelRequest,
  revalidate: ["/pending-requests", "/my-roles", "/approve-requests", "/assignments"],
  data: (result) => ({ requestId: result.requestId }),
});

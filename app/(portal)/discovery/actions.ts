"use server";

import { defineAction } from "@/lib/actions/define-action";
import { makeEligible, makeEligibleInput } from "@/lib/pim/use-cases/make-eligible";
import { removeAssignment } from "@/lib/pim/use-cases/remove-assignment";
import { removeAssignmentInput } from "@/lib/validation/pim";

/** Discovery's one-click changes; the engine's use cases authorize (GA/PRA now), keep lockout protection and audit. */
export const makeEligibleAction = defineAction({
  input: makeEligibleInput,
  run: makeEligible,
  revalidate: ["/discovery", "/assignments"],
  data: () => ({ done: "The standing assignment was replaced by an eligible one." }),
});

export const removeFromDiscoveryAction = defineAction({
  input: removeAssignmentInput,
  run: removeAssignment,
  revalidate: ["/discovery", "/assignments"],
  data: () => ({ done: "The assignment was removed." }),
});

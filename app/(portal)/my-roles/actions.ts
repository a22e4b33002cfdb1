"use server";

import { defineAction } from "@/lib/actions/define-action";
import { activateRole } from "@/lib/pim/use-cases/activate-role";
import { deactivateRole } from "@/lib/pim/use-cases/deactivate-role";
import { requestExtension } from "@/lib/pim/use-cases/request-extension";
import { requestRenewal } from "@/lib/pim/use-cases/request-renewal";
import {
  activateRoleInput,
  deactivateRoleInput,
  requestExtensionInput,
  requestRenewalInput,
} from "@/lib/validation/pim";

/** My roles' changes show on these pages. */
const selfService = ["/my-roles", "/pending-requests", "/overview"];

export type ActivationOutcome = {
  requestId: string;
  status: "Provisioned" | "Granted" | "PendingApproval";
  start: string;
  end: string;
};

export const activateRoleAction = defineAction({
  input: activateRoleInput,
  run: activateRole,
  revalidate: selfService,
  data: (r): ActivationOutcome => ({
    requestId: r.requestId,
    status: r.status,
    start: r.startDateTime.toISOString(),
    end: r.endDateTime.toISOString(),
  }),
});

export const deactivateRoleAction = defineAction({
  input: deactivateRoleInput,
  run: deactivateRole,
  revalidate: selfService,
  data: (r) => ({ end: (r.schedule?.endDateTime ?? new Date()).toISOString() }),
});

export const requestExtensionAction = defineAction({
  input: requestExtensionInput,
  run: requestExtension,
  revalidate: selfService,
  data: (r) => ({ requestId: r.requestId }),
});

export const requestRenewalAction = defineAction({
  input: requestRenewalInput,
  run: requestRenewal,
  revalidate: selfService,
  data: (r) => ({ requestId: r.requestId }),
});

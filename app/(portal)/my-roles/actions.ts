"use server";

import { revalidatePath } from "next/cache";
import { actionError, invalidInput, type ActionResult } from "@/lib/actions/result";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { activateRole, deactivateRole, requestExtension, requestRenewal } from "@/lib/pim";
import { getCtx } from "@/lib/server-db";
import {
  activateRoleInput,
  deactivateRoleInput,
  requestExtensionInput,
  requestRenewalInput,
} from "@/lib/validation/pim";

/**
 * My roles' server actions. Each is a public endpoint: parse with the shared zod schema, authenticate
 * (session with MFA), run the use case (which authorizes on database state), map PimError, revalidate.
 */
const refresh = () => {
  revalidatePath("/my-roles");
  revalidatePath("/pending-requests");
  revalidatePath("/overview");
};

export type ActivationOutcome = {
  requestId: string;
  status: "Provisioned" | "Granted" | "PendingApproval";
  start: string;
  end: string;
};

export async function activateRoleAction(raw: unknown): Promise<ActionResult<ActivationOutcome>> {
  const parsed = activateRoleInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const r = await activateRole(await getCtx(), actorFromUser(user), parsed.data);
    refresh();
    return {
      ok: true,
      data: {
        requestId: r.requestId,
        status: r.status,
        start: r.startDateTime.toISOString(),
        end: r.endDateTime.toISOString(),
      },
    };
  } catch (err) {
    return actionError(err);
  }
}

export async function deactivateRoleAction(raw: unknown): Promise<ActionResult<{ end: string }>> {
  const parsed = deactivateRoleInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const r = await deactivateRole(await getCtx(), actorFromUser(user), parsed.data);
    refresh();
    return { ok: true, data: { end: (r.schedule?.endDateTime ?? new Date()).toISOString() } };
  } catch (err) {
    return actionError(err);
  }
}

export async function requestExtensionAction(raw: unknown): Promise<ActionResult<{ requestId: string }>> {
  const parsed = requestExtensionInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const r = await requestExtension(await getCtx(), actorFromUser(user), parsed.data);
    refresh();
    return { ok: true, data: { requestId: r.requestId } };
  } catch (err) {
    return actionError(err);
  }
}

export async function requestRenewalAction(raw: unknown): Promise<ActionResult<{ requestId: string }>> {
  const parsed = requestRenewalInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const r = await requestRenewal(await getCtx(), actorFromUser(user), parsed.data);
    refresh();
    return { ok: true, data: { requestId: r.requestId } };
  } catch (err) {
    return actionError(err);
  }
}

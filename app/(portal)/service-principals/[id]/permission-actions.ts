"use server";

import { revalidatePath } from "next/cache";
import { actionError, invalidInput, type ActionResult } from "@/lib/actions/result";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { setServicePrincipalPermissions } from "@/lib/pim/use-cases/set-service-principal-permissions";
import { getCtx } from "@/lib/server-db";
import { setServicePrincipalPermissionsInput } from "@/lib/validation/service-principal-permissions";

/** Grants exactly the chosen application permissions. The use case checks GA/PRA held now and audits. */
export async function setAppPermissionsAction(
  raw: unknown,
): Promise<ActionResult<{ permissions: string[]; added: string[]; removed: string[] }>> {
  const parsed = setServicePrincipalPermissionsInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const r = await setServicePrincipalPermissions(await getCtx(), actorFromUser(user), parsed.data);
    revalidatePath(`/service-principals/${parsed.data.servicePrincipalId}`);
    return { ok: true, data: r };
  } catch (err) {
    return actionError(err);
  }
}

"use server";

import { revalidatePath } from "next/cache";
import { actionError, invalidInput, type ActionResult } from "@/lib/actions/result";
import { resetUserMfa, resetUserMfaInput, type ResetUserMfaResult } from "@/lib/auth/reset-mfa";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { getCtx } from "@/lib/server-db";

/**
 * Recovery for a person who lost their authenticator ("Reset MFA" on the Users page). The use case
 * authorizes on database state (GA or PRA held now) and audits in its transaction.
 */
export async function resetUserMfaAction(raw: unknown): Promise<ActionResult<ResetUserMfaResult>> {
  const parsed = resetUserMfaInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const result = await resetUserMfa(await getCtx(), actorFromUser(user), parsed.data);
    revalidatePath("/users");
    return { ok: true, data: result };
  } catch (err) {
    return actionError(err);
  }
}

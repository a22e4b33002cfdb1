"use server";

import { revalidatePath } from "next/cache";
import { actionError, invalidInput, type ActionResult } from "@/lib/actions/result";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { createApiToken } from "@/lib/pim/use-cases/create-api-token";
import { revokeApiToken } from "@/lib/pim/use-cases/revoke-api-token";
import { getCtx } from "@/lib/server-db";
import { createApiTokenInput, revokeApiTokenInput } from "@/lib/validation/api-tokens";

/** Creates a personal token; the plain token is returned once and never stored. It carries this session's MFA time. */
export async function createApiTokenAction(
  raw: unknown,
): Promise<ActionResult<{ token: string; name: string; expiresAt: string; mfa: boolean }>> {
  const parsed = createApiTokenInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const t = await createApiToken(await getCtx(), actorFromUser(user), parsed.data);
    revalidatePath("/tokens");
    return {
      ok: true,
      data: { token: t.token, name: t.name, expiresAt: t.expiresAt.toISOString(), mfa: t.mfaAt !== null },
    };
  } catch (err) {
    return actionError(err);
  }
}

export async function revokeApiTokenAction(raw: unknown): Promise<ActionResult<{ tokenId: string }>> {
  const parsed = revokeApiTokenInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const r = await revokeApiToken(await getCtx(), actorFromUser(user), parsed.data);
    revalidatePath("/tokens");
    return { ok: true, data: { tokenId: r.tokenId } };
  } catch (err) {
    return actionError(err);
  }
}

"use server";

import { revalidatePath } from "next/cache";
import { actionError, invalidInput, type ActionResult } from "@/lib/actions/result";
import { createServicePrincipal } from "@/lib/api/service-principals/create-service-principal";
import { createServicePrincipalInput, revokeServicePrincipalSecretInput } from "@/lib/api/service-principals/inputs";
import { revokeServicePrincipalSecret } from "@/lib/api/service-principals/revoke-client-secret";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { createServicePrincipalSecret } from "@/lib/pim/use-cases/create-service-principal-secret";
import { getCtx } from "@/lib/server-db";
import { createServicePrincipalSecretInput } from "@/lib/validation/api-tokens";

/** Registers a service principal. The use case checks GA/PRA held now on the database. */
export async function createServicePrincipalAction(
  raw: unknown,
): Promise<ActionResult<{ id: string; appId: string; displayName: string }>> {
  const parsed = createServicePrincipalInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const sp = await createServicePrincipal(await getCtx(), actorFromUser(user), {
      displayName: parsed.data.displayName,
      description: parsed.data.description ?? undefined,
    });
    revalidatePath("/service-principals");
    return { ok: true, data: sp };
  } catch (err) {
    return actionError(err);
  }
}

/** Adds a client secret; the plain secret is returned once (only its sha256 is stored). GA/PRA held now only. */
export async function createClientSecretAction(
  raw: unknown,
): Promise<ActionResult<{ secret: string; hint: string; expiresAt: string; scopes: string[] }>> {
  const parsed = createServicePrincipalSecretInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const s = await createServicePrincipalSecret(await getCtx(), actorFromUser(user), parsed.data);
    revalidatePath(`/service-principals/${s.servicePrincipalId}`);
    revalidatePath("/service-principals");
    return {
      ok: true,
      data: { secret: s.secret, hint: s.hint, expiresAt: s.expiresAt.toISOString(), scopes: s.scopes },
    };
  } catch (err) {
    return actionError(err);
  }
}

export async function revokeClientSecretAction(raw: unknown): Promise<ActionResult<{ secretId: string }>> {
  const parsed = revokeServicePrincipalSecretInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const r = await revokeServicePrincipalSecret(await getCtx(), actorFromUser(user), parsed.data);
    revalidatePath("/service-principals", "layout");
    return { ok: true, data: { secretId: r.secretId } };
  } catch (err) {
    return actionError(err);
  }
}

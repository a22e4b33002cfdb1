import { and, eq, isNull } from "drizzle-orm";
import { servicePrincipalSecrets, servicePrincipals } from "@/db/schema";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import {
  revokeServicePrincipalSecretInput,
  type RevokeServicePrincipalSecretInput,
} from "@/lib/validation/service-principals";

/**
 * Revokes a service principal's client secret: `POST /oauth2/v2.0/token` refuses it from now on. As in
 * Entra, access tokens already issued with it stay valid until they expire (one hour at most). GA/PRA held
 * now only; conditional update, so revoking twice is a Conflict.
 */
export async function revokeServicePrincipalSecret(
  ctx: Ctx,
  actor: Actor,
  raw: RevokeServicePrincipalSecretInput,
): Promise<{ secretId: string; revokedAt: Date }> {
  const input = parseInput(revokeServicePrincipalSecretInput, raw);
  const meta: UseCaseMeta = {
    operation: "servicePrincipalSecret.revoke",
    activity: "Remove service principal credentials",
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "remove client secrets");
    const [s] = await tx
      .select({
        id: servicePrincipalSecrets.id,
        name: servicePrincipalSecrets.displayName,
        spId: servicePrincipals.id,
        spName: servicePrincipals.displayName,
      })
      .from(servicePrincipalSecrets)
      .innerJoin(servicePrincipals, eq(servicePrincipals.id, servicePrincipalSecrets.servicePrincipalId))
      .where(eq(servicePrincipalSecrets.id, input.secretId))
      .limit(1);
    if (!s) throw new PimError("NotFound", "The client secret was not found.");
    meta.target = { id: s.spId, type: "ServicePrincipal", name: s.spName };
    const [done] = await tx
      .update(servicePrincipalSecrets)
      .set({ revokedAt: now })
      .where(and(eq(servicePrincipalSecrets.id, s.id), isNull(servicePrincipalSecrets.revokedAt)))
      .returning({ id: servicePrincipalSecrets.id });
    if (!done) throw new PimError("Conflict", "This client secret has already been revoked.");
    await auditChange(tx, now, {
      activity: "Remove service principal credentials",
      operation: "servicePrincipalSecret.revoke",
      actor,
      target: meta.target,
      changed: [s.id],
      details: { secretId: s.id, displayName: s.name },
    });
    return { secretId: s.id, revokedAt: now };
  });
}

import { servicePrincipalPermissions, servicePrincipalSecrets } from "@/db/schema";
import { createServicePrincipalSecretInput, type CreateServicePrincipalSecretInput } from "@/lib/validation/api-tokens";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { loadPrincipal } from "../internal/directory";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import { hashSecret, hintOf, newSecret } from "./create-api-token";

export type CreatedSecret = {
  id: string;
  servicePrincipalId: string;
  secret: string;
  hint: string;
  scopes: string[];
  expiresAt: Date;
};

/**
 * A client secret for a service principal's client-credentials grant (`POST /oauth2/v2.0/token`). Only a
 * GA/PRA holder now may create one; the secret is random, stored as its sha256 and shown once. The Graph
 * permissions chosen with it are granted to the service principal (application permissions belong to the
 * application, as in Entra; the admin who creates the secret consents to them here, in the same transaction).
 */
export async function createServicePrincipalSecret(
  ctx: Ctx,
  actor: Actor,
  raw: CreateServicePrincipalSecretInput,
): Promise<CreatedSecret> {
  const input = parseInput(createServicePrincipalSecretInput, raw);
  const meta: UseCaseMeta = {
    operation: "servicePrincipalSecret.create",
    activity: "Add service principal credentials",
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "create client secrets");
    const sp = await loadPrincipal(tx, "ServicePrincipal", input.servicePrincipalId);
    meta.target = { id: sp.id, type: "ServicePrincipal", name: sp.name };
    if (!sp.enabled) throw new PimError("Conflict", `${sp.name} is disabled.`);
    const secret = newSecret("pcs_");
    const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
    const [row] = await tx
      .insert(servicePrincipalSecrets)
      .values({
        servicePrincipalId: sp.id,
        displayName: input.displayName,
        secretHash: hashSecret(secret),
        hint: hintOf(secret),
        scopes: input.scopes,
        expiresAt,
        createdAt: now,
      })
      .returning({ id: servicePrincipalSecrets.id });
    if (!row) throw new PimError("Conflict", "The secret could not be created.");
    const appScopes = input.scopes.filter((p) => p !== "User.Read");
    if (appScopes.length > 0)
      await tx
        .insert(servicePrincipalPermissions)
        .values(
          appScopes.map((permission) => ({
            servicePrincipalId: sp.id,
            permission,
            grantedBy: actor.id,
            grantedAt: now,
          })),
        )
        .onConflictDoNothing();
    await auditChange(tx, now, {
      activity: "Add service principal credentials",
      operation: "servicePrincipalSecret.create",
      actor,
      target: meta.target,
      changed: [row.id],
      details: {
        secretId: row.id,
        displayName: input.displayName,
        scopes: input.scopes,
        expiresAt: expiresAt.toISOString(),
      },
    });
    return { id: row.id, servicePrincipalId: sp.id, secret, hint: hintOf(secret), scopes: input.scopes, expiresAt };
  });
}

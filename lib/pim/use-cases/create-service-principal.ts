import { servicePrincipals } from "@/db/schema";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import { createServicePrincipalInput, type CreateServicePrincipalInput } from "@/lib/validation/service-principals";

export type CreatedServicePrincipal = { id: string; appId: string; displayName: string };

/**
 * Registers a service principal (an application identity, Entra's "App registration" + enterprise app in
 * one): a new object id and a new application (client) id. Only a Global Administrator or Privileged Role
 * Administrator held now may do it (checked inside the transaction). It holds no roles and no secrets yet.
 */
export async function createServicePrincipal(
  ctx: Ctx,
  actor: Actor,
  raw: CreateServicePrincipalInput,
): Promise<CreatedServicePrincipal> {
  const input = parseInput(createServicePrincipalInput, raw);
  const meta: UseCaseMeta = { operation: "servicePrincipal.create", activity: "Add service principal" };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "add service principals");
    const [row] = await tx
      .insert(servicePrincipals)
      .values({ displayName: input.displayName, description: input.description, createdAt: now })
      .returning({ id: servicePrincipals.id, appId: servicePrincipals.appId });
    if (!row) throw new PimError("Conflict", "The service principal could not be created.");
    meta.target = { id: row.id, type: "ServicePrincipal", name: input.displayName };
    await auditChange(tx, now, {
      activity: "Add service principal",
      operation: "servicePrincipal.create",
      actor,
      target: meta.target,
      changed: [row.id],
      details: { servicePrincipalId: row.id, appId: row.appId, displayName: input.displayName },
    });
    return { id: row.id, appId: row.appId, displayName: input.displayName };
  });
}

import { and, eq, inArray } from "drizzle-orm";
import { servicePrincipalPermissions as spp } from "@/db/schema";
import {
  setServicePrincipalPermissionsInput,
  type SetServicePrincipalPermissionsInput,
} from "@/lib/validation/service-principal-permissions";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { loadPrincipal } from "../internal/directory";
import { auditChange, lockKey, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

export type ServicePrincipalPermissionsResult = { permissions: string[]; added: string[]; removed: string[] };

/**
 * Grants and revokes application permissions of a service principal (Entra's "Grant admin consent" for
 * Microsoft Graph application permissions): afterwards it holds exactly `permissions`. They decide what its
 * tokens may do through the API at every call (a revoked permission stops working at the next request).
 * Only a Global Administrator or Privileged Role Administrator held now may change them; one audit row
 * names what was added and removed. Setting the same set again changes and audits nothing.
 */
export async function setServicePrincipalPermissions(
  ctx: Ctx,
  actor: Actor,
  raw: SetServicePrincipalPermissionsInput,
): Promise<ServicePrincipalPermissionsResult> {
  const input = parseInput(setServicePrincipalPermissionsInput, raw);
  const meta: UseCaseMeta = {
    operation: "servicePrincipal.permissions",
    activity: "Update application permissions",
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "grant application permissions");
    const sp = await loadPrincipal(tx, "ServicePrincipal", input.servicePrincipalId);
    meta.target = { id: sp.id, type: "ServicePrincipal", name: sp.name };
    await lockKey(tx, `sp-permissions:${sp.id}`);
    const held = (await tx.select({ p: spp.permission }).from(spp).where(eq(spp.servicePrincipalId, sp.id))).map(
      (r) => r.p,
    );
    const want = new Set<string>(input.permissions);
    const added = input.permissions.filter((p) => !held.includes(p));
    const removed = held.filter((p) => !want.has(p)).sort();
    if (added.length === 0 && removed.length === 0) return { permissions: input.permissions, added, removed };
    if (added.length > 0)
      await tx
        .insert(spp)
        .values(
          added.map((permission) => ({ servicePrincipalId: sp.id, permission, grantedBy: actor.id, grantedAt: now })),
        );
    if (removed.length > 0)
      await tx.delete(spp).where(and(eq(spp.servicePrincipalId, sp.id), inArray(spp.permission, removed)));
    await auditChange(tx, now, {
      activity: "Update application permissions",
      operation: "servicePrincipal.permissions",
      actor,
      target: meta.target,
      changed: [sp.id],
      details: { permissions: { old: [...held].sort(), new: input.permissions }, added, removed },
    });
    return { permissions: input.permissions, added, removed };
  });
}

import { and, eq, isNull } from "drizzle-orm";
import { scimTokens } from "@/db/schema";
import { revokeScimTokenInput, type RevokeScimTokenInput } from "@/lib/validation/provisioning";
import { writeAudit } from "../audit";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { notFound, PimError } from "../errors";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

/**
 * Revokes a SCIM token (GA or PRA now). Conditional update: revoking twice is a Conflict. The token's next
 * request is refused (401) and, since changes check for a live token in their own transaction, a change
 * already under way when the token is revoked cannot commit after it.
 */
export async function revokeScimToken(ctx: Ctx, actor: Actor, raw: RevokeScimTokenInput): Promise<{ id: string }> {
  const input = parseInput(revokeScimTokenInput, raw);
  const meta: UseCaseMeta = {
    category: "ApplicationManagement",
    activity: "Revoke SCIM token",
    operation: "scim.token.revoke",
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "revoke SCIM tokens");
    const [t] = await tx
      .select({ id: scimTokens.id, name: scimTokens.name, spId: scimTokens.servicePrincipalId })
      .from(scimTokens)
      .where(eq(scimTokens.id, input.tokenId))
      .for("update");
    if (!t) throw notFound("The token");
    meta.target = { id: t.spId, type: "ServicePrincipal", name: t.name };
    const [done] = await tx
      .update(scimTokens)
      .set({ revokedAt: now })
      .where(and(eq(scimTokens.id, t.id), isNull(scimTokens.revokedAt)))
      .returning({ id: scimTokens.id });
    if (!done) throw new PimError("Conflict", "This token has already been revoked.");
    await writeAudit(tx, now, {
      category: "ApplicationManagement",
      activity: "Revoke SCIM token",
      operation: "scim.token.revoke",
      actor,
      target: meta.target,
      details: { tokenId: t.id },
    });
    return { id: t.id };
  });
}

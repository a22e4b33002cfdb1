import { and, eq, isNull } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import { revokeApiTokenInput, type RevokeApiTokenInput } from "@/lib/validation/api-tokens";
import { isPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

/**
 * Revokes an API token: one's own personal token, or any token (personal or a service principal's access
 * token) for a GA/PRA holder now. Conditional update (`where revoked_at is null returning`): revoking twice
 * is a Conflict, and a token stops working at its next request.
 */
export async function revokeApiToken(
  ctx: Ctx,
  actor: Actor,
  raw: RevokeApiTokenInput,
): Promise<{ tokenId: string; revokedAt: Date }> {
  const input = parseInput(revokeApiTokenInput, raw);
  const meta: UseCaseMeta = { operation: "apiToken.revoke", activity: "Revoke API token" };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    const [t] = await tx
      .select({ id: apiTokens.id, userId: apiTokens.userId, name: apiTokens.name, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(eq(apiTokens.id, input.tokenId))
      .limit(1);
    const own = t?.userId === actor.id;
    if (!t || (!own && !(await isPimAdmin(tx, actor.id, now))))
      throw new PimError("NotFound", "The token was not found.");
    const [done] = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, t.id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (!done) throw new PimError("Conflict", "This token has already been revoked.");
    await auditChange(tx, now, {
      activity: "Revoke API token",
      operation: "apiToken.revoke",
      actor,
      changed: [t.id],
      details: { tokenId: t.id, name: t.name, own },
    });
    return { tokenId: t.id, revokedAt: now };
  });
}

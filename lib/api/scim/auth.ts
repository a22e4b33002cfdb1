/**
 * SCIM bearer tokens (`Authorization: Bearer scim_…`): one indexed lookup of the token's sha256, refused
 * (401) when unknown, revoked, expired, or its provisioning application is disabled. The caller is that
 * application (a service principal): the actor of every SCIM change in the audit trail.
 */
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { scimTokens, servicePrincipals } from "@/db/schema";
import { bearerToken } from "@/lib/api/auth";
import { clientIpFrom } from "@/lib/http/client-ip";
import type { Actor, Ctx } from "@/lib/pim/context";
import { hashSecret } from "@/lib/pim/use-cases/create-api-token";
import { ScimError } from "./errors";

const LAST_USED_EVERY_MS = 5 * 60_000;
const unauthorized = (detail: string) => new ScimError(401, null, detail);

export async function authenticateScim(ctx: Ctx, req: Request): Promise<{ tokenId: string; actor: Actor }> {
  const token = bearerToken(req);
  if (!token) throw unauthorized("A bearer token is required: Authorization: Bearer <SCIM token>.");
  const now = ctx.now();
  const [row] = await ctx.db
    .select({
      id: scimTokens.id,
      spId: scimTokens.servicePrincipalId,
      expiresAt: scimTokens.expiresAt,
      revokedAt: scimTokens.revokedAt,
      lastUsedAt: scimTokens.lastUsedAt,
      spName: servicePrincipals.displayName,
      spEnabled: servicePrincipals.accountEnabled,
    })
    .from(scimTokens)
    .innerJoin(servicePrincipals, eq(servicePrincipals.id, scimTokens.servicePrincipalId))
    .where(eq(scimTokens.tokenHash, hashSecret(token)))
    .limit(1);
  if (!row) throw unauthorized("The bearer token is not valid.");
  if (row.revokedAt) throw unauthorized("The bearer token has been revoked.");
  if (row.expiresAt && row.expiresAt <= now) throw unauthorized("The bearer token has expired.");
  if (!row.spEnabled) throw unauthorized("The provisioning application of this token is disabled.");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await ctx.db
      .update(scimTokens)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(scimTokens.id, row.id),
          or(isNull(scimTokens.lastUsedAt), lt(scimTokens.lastUsedAt, new Date(now.getTime() - LAST_USED_EVERY_MS))),
        ),
      );
  }
  return {
    tokenId: row.id,
    actor: {
      id: row.spId,
      type: "ServicePrincipal",
      displayName: row.spName,
      mfaAt: null,
      clientIp: clientIpFrom(req.headers),
      userAgent: req.headers.get("user-agent"),
    },
  };
}

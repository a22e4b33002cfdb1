import { desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { scimTokens, users } from "@/db/schema";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";

export type ScimTokenRow = {
  id: string;
  name: string;
  servicePrincipalId: string;
  hint: string;
  createdAt: Date;
  createdByName: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

const creator = alias(users, "creator");

/** The SCIM page: every provisioning token, newest first (a small table: one statement). GA or PRA now. */
export async function listScimTokens(ctx: Ctx, actor: Actor): Promise<ScimTokenRow[]> {
  await assertPimAdmin(ctx.db, actor, ctx.now(), "see SCIM tokens");
  return ctx.db
    .select({
      id: scimTokens.id,
      name: scimTokens.name,
      servicePrincipalId: scimTokens.servicePrincipalId,
      hint: scimTokens.hint,
      createdAt: scimTokens.createdAt,
      createdByName: creator.displayName,
      expiresAt: scimTokens.expiresAt,
      revokedAt: scimTokens.revokedAt,
      lastUsedAt: scimTokens.lastUsedAt,
    })
    .from(scimTokens)
    .leftJoin(creator, eq(creator.id, scimTokens.createdBy))
    .orderBy(desc(scimTokens.createdAt), desc(scimTokens.id))
    .limit(200);
}

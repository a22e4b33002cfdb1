import { and, desc, eq } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import type { Ctx } from "@/lib/pim/context";

export type MyToken = {
  id: string;
  name: string;
  hint: string;
  scopes: string[];
  mfa: boolean;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

/** The Tokens page's list: the person's own personal tokens, newest first (hashes never leave the database). */
export async function listMyApiTokens(ctx: Ctx, userId: string): Promise<MyToken[]> {
  const rows = await ctx.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      hint: apiTokens.hint,
      scopes: apiTokens.scopes,
      mfaAt: apiTokens.mfaAt,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId)))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(200);
  return rows.map(({ mfaAt, ...r }) => ({ ...r, mfa: mfaAt !== null }));
}

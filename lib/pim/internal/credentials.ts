import { and, eq, gt, isNull } from "drizzle-orm";
import { apiTokens, authSessions } from "@/db/schema";
import type { Db } from "@/db/types";

/** Ends every live portal session of `userId` (its cookie stops working at once). Returns how many ended. */
export async function revokeUserSessions(tx: Db, userId: string, now: Date): Promise<number> {
  const rows = await tx
    .update(authSessions)
    .set({ revokedAt: now })
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt)))
    .returning({ id: authSessions.id });
  return rows.length;
}

/** Revokes every unexpired personal API token of `userId`. Returns how many were revoked. */
export async function revokeUserTokens(tx: Db, userId: string, now: Date): Promise<number> {
  const rows = await tx
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)))
    .returning({ id: apiTokens.id });
  return rows.length;
}

import { and, eq, gt, isNull } from "drizzle-orm";
import { authSessions, users } from "@/db/schema";
import type { Db } from "@/db/types";

/**
 * Server-side sessions (table auth_sessions). The browser's JWT carries only the row id (`sid`);
 * every request re-reads the row, so sign-out, expiry, a disabled account or an MFA reset take effect
 * at once. Framework-free: the database and the clock are passed in.
 */
export type SessionCtx = { db: Db; now: () => Date };

export type SessionRow = typeof authSessions.$inferSelect;

export type ValidSession = {
  sessionId: string;
  userId: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  mfaAt: Date | null;
  method: string;
  expiresAt: Date;
};

export async function createSession(
  ctx: SessionCtx,
  input: {
    userId: string;
    maxAgeMs: number;
    method: string;
    mfaAt?: Date | null;
    clientIp?: string | null;
    userAgent?: string | null;
  },
): Promise<SessionRow> {
  const now = ctx.now();
  const [row] = await ctx.db
    .insert(authSessions)
    .values({
      userId: input.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.maxAgeMs),
      mfaAt: input.mfaAt ?? null,
      method: input.method,
      clientIp: input.clientIp ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
    })
    .returning();
  if (!row) throw new Error("Session row not created");
  return row;
}

/** The session if it is live now: not revoked, not expired, and its user enabled. */
export async function loadValidSession(ctx: SessionCtx, sessionId: string): Promise<ValidSession | null> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return null;
  const now = ctx.now();
  const [row] = await ctx.db
    .select({
      sessionId: authSessions.id,
      userId: users.id,
      displayName: users.displayName,
      userPrincipalName: users.userPrincipalName,
      mail: users.mail,
      mfaAt: authSessions.mfaAt,
      method: authSessions.method,
      expiresAt: authSessions.expiresAt,
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .where(
      and(
        eq(authSessions.id, sessionId),
        isNull(authSessions.revokedAt),
        gt(authSessions.expiresAt, now),
        eq(users.accountEnabled, true),
      ),
    );
  return row ?? null;
}

/**
 * After a passed MFA challenge: a NEW row (mfa_at = now, same method and expiry), and the old row
 * revoked with replaced_by = new id, in one transaction. The old row must still be live (a conditional
 * update), so one session cannot be rotated twice. Returns the new row, or null if the old one was not live.
 */
export async function rotateSessionAfterMfa(ctx: SessionCtx, oldSessionId: string): Promise<SessionRow | null> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [old] = await tx
      .select()
      .from(authSessions)
      .where(and(eq(authSessions.id, oldSessionId), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, now)))
      .for("update");
    if (!old) return null;
    const [fresh] = await tx
      .insert(authSessions)
      .values({
        userId: old.userId,
        createdAt: now,
        expiresAt: old.expiresAt,
        mfaAt: now,
        method: old.method,
        clientIp: old.clientIp,
        userAgent: old.userAgent,
      })
      .returning();
    if (!fresh) throw new Error("Session row not created");
    await tx
      .update(authSessions)
      .set({ revokedAt: now, replacedBy: fresh.id })
      .where(and(eq(authSessions.id, old.id), isNull(authSessions.revokedAt)));
    return fresh;
  });
}

/**
 * The sid a token keeps on an ordinary update: its own, while that row is live; else nothing. A revoked
 * row is never exchanged for the row that replaced it (issue 12 finding 6: a password-only token kept from
 * before the MFA step used to be swapped for the MFA'd session for 2 minutes).
 */
export async function currentSessionId(ctx: SessionCtx, sessionId: string): Promise<string | null> {
  return (await loadValidSession(ctx, sessionId))?.sessionId ?? null;
}

/**
 * The one exchange after an MFA rotation, made by the request that rotated: it names the new row (which only
 * that request knows; the id is random and never shown), and the old row must be the one it replaced.
 * Anyone else holding the old token gets nothing, at once.
 */
export async function claimRotatedSession(
  ctx: SessionCtx,
  oldSessionId: string,
  newSessionId: string,
): Promise<string | null> {
  const uuid = /^[0-9a-f-]{36}$/i;
  if (!uuid.test(oldSessionId) || !uuid.test(newSessionId)) return null;
  const [old] = await ctx.db.select().from(authSessions).where(eq(authSessions.id, oldSessionId));
  if (!old?.revokedAt || old.replacedBy !== newSessionId) return null;
  const live = await loadValidSession(ctx, newSessionId);
  return live && live.userId === old.userId ? live.sessionId : null;
}

/** Sign-out: the row is revoked; the token that names it stops working everywhere. */
export async function revokeSession(ctx: SessionCtx, sessionId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return false;
  const rows = await ctx.db
    .update(authSessions)
    .set({ revokedAt: ctx.now() })
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)))
    .returning({ id: authSessions.id });
  return rows.length === 1;
}

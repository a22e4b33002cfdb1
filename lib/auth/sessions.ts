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

/** How long after a rotation the old token may still be exchanged for the new one (the same request, in practice). */
export const ROTATION_GRACE_MS = 2 * 60_000;

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
 * The sid a token should carry after an update: the same one while it is live, or the one that replaced
 * it if the rotation happened within the grace period (one hop). An old token presented later gets nothing.
 */
export async function currentSessionId(ctx: SessionCtx, sessionId: string): Promise<string | null> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return null;
  const now = ctx.now();
  const [row] = await ctx.db.select().from(authSessions).where(eq(authSessions.id, sessionId));
  if (!row) return null;
  if (!row.revokedAt) return row.expiresAt > now ? row.id : null;
  if (!row.replacedBy || now.getTime() - row.revokedAt.getTime() > ROTATION_GRACE_MS) return null;
  const live = await loadValidSession(ctx, row.replacedBy);
  return live && live.userId === row.userId ? live.sessionId : null;
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

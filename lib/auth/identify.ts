import { and, eq, isNull, or, sql } from "drizzle-orm";
import { users } from "@/db/schema";
import type { Db } from "@/db/types";
import { hashPassword, verifyPassword } from "./password";

/**
 * Who is signing in: password check (email or user principal name, case-insensitive) and the matching of
 * OpenID Connect identities to directory users. Framework-free so it is tested without Next.
 */
export type PasswordCheck =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "disabled" }
  | { ok: false; reason: "locked"; lockedUntil: Date };

/**
 * Smart lockout (as Entra's): after LOCKOUT_THRESHOLD wrong passwords in a row an account's password sign-in
 * is locked for 1 minute, and each further wrong password after that doubles the lock, up to 30 minutes.
 * While locked even the right password is refused. A right password (outside a lock) resets the count.
 * Unknown names have no row and nothing to lock; their answer is the same "invalid" as a wrong password.
 */
export const LOCKOUT_THRESHOLD = 10;
const LOCK_BASE_MS = 60_000;
const LOCK_MAX_MS = 30 * 60_000;
export const lockDurationMs = (failures: number): number =>
  failures < LOCKOUT_THRESHOLD
    ? 0
    : Math.min(LOCK_BASE_MS * 2 ** Math.min(failures - LOCKOUT_THRESHOLD, 10), LOCK_MAX_MS);

// Verifying against a real hash for unknown names keeps the answer time the same (no account discovery by timing).
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword("no-such-user-placeholder-password"));

export async function checkPassword(
  db: Db,
  identifier: string,
  password: string,
  now: Date = new Date(),
): Promise<PasswordCheck> {
  const name = identifier.trim().toLowerCase();
  if (!name || !password) return { ok: false, reason: "invalid" };
  const rows = await db
    .select({
      id: users.id,
      hash: users.passwordHash,
      enabled: users.accountEnabled,
      lockedUntil: users.passwordLockedUntil,
    })
    .from(users)
    .where(or(sql`lower(${users.userPrincipalName}) = ${name}`, sql`lower(${users.mail}) = ${name}`))
    .limit(2);
  // Two different people sharing a mail address: refuse rather than guess.
  const user = rows.length === 1 ? rows[0] : undefined;
  const ok = await verifyPassword(user?.hash ?? (await dummy()), password);
  if (user?.lockedUntil && user.lockedUntil > now)
    return { ok: false, reason: "locked", lockedUntil: user.lockedUntil };
  if (!user || !user.hash) return { ok: false, reason: "invalid" };
  if (!ok) {
    // One statement: parallel wrong guesses each count (no read-modify-write race).
    const [row] = await db
      .update(users)
      .set({ passwordFailures: sql`${users.passwordFailures} + 1` })
      .where(eq(users.id, user.id))
      .returning({ failures: users.passwordFailures });
    const lockMs = lockDurationMs(row?.failures ?? 0);
    if (lockMs > 0) {
      const until = new Date(now.getTime() + lockMs);
      await db.update(users).set({ passwordLockedUntil: until }).where(eq(users.id, user.id));
      return { ok: false, reason: "locked", lockedUntil: until };
    }
    return { ok: false, reason: "invalid" };
  }
  // Told only to someone who knows the password.
  if (!user.enabled) return { ok: false, reason: "disabled" };
  await db
    .update(users)
    .set({ passwordFailures: 0, passwordLockedUntil: null })
    .where(and(eq(users.id, user.id), sql`${users.passwordFailures} <> 0`));
  return { ok: true, userId: user.id };
}

export async function recordSignIn(db: Db, userId: string, at: Date): Promise<void> {
  await db.update(users).set({ lastSignInAt: at }).where(eq(users.id, userId));
}

export type OidcIdentity = {
  issuer: string;
  subject: string;
  email?: string | null;
  /** The provider's `email_verified`: an unverified email never links an account (anyone could claim it). */
  emailVerified?: boolean;
  preferredUsername?: string | null;
  /** Set only when the provider's usernames are assigned by administrators (OIDC_TRUST_USERNAME, e.g. Entra's UPN). */
  trustUsername?: boolean;
};
export type OidcMatch = { ok: true; userId: string } | { ok: false; reason: "unknown" | "disabled" | "conflict" };

/**
 * An OIDC identity → a directory user: by (issuer, subject) first; else by a *verified* email (or, when the
 * deployment trusts the provider's usernames, preferred_username) against mail / user principal name, and
 * then the identity is linked to that user (only if the user has no other link). Claims a person can set
 * themselves never link an account (the "nOAuth" takeover). Unknown people are refused: this portal never
 * creates accounts on sign-in.
 */
export async function matchOidcUser(db: Db, id: OidcIdentity): Promise<OidcMatch> {
  const [linked] = await db
    .select({ id: users.id, enabled: users.accountEnabled })
    .from(users)
    .where(and(eq(users.oidcIssuer, id.issuer), eq(users.oidcSubject, id.subject)));
  if (linked) return linked.enabled ? { ok: true, userId: linked.id } : { ok: false, reason: "disabled" };

  const names = [id.emailVerified === true ? id.email : null, id.trustUsername === true ? id.preferredUsername : null]
    .filter((v): v is string => Boolean(v && v.includes("@")))
    .map((v) => v.toLowerCase());
  if (names.length === 0) return { ok: false, reason: "unknown" };
  const candidates = await db
    .select({ id: users.id, enabled: users.accountEnabled, issuer: users.oidcIssuer, subject: users.oidcSubject })
    .from(users)
    .where(
      or(
        ...names.map((n) => sql`lower(${users.userPrincipalName}) = ${n}`),
        ...names.map((n) => sql`lower(${users.mail}) = ${n}`),
      ),
    )
    .limit(2);
  if (candidates.length !== 1) return { ok: false, reason: candidates.length === 0 ? "unknown" : "conflict" };
  const u = candidates[0]!;
  if (u.issuer && (u.issuer !== id.issuer || u.subject !== id.subject)) return { ok: false, reason: "conflict" };
  if (!u.enabled) return { ok: false, reason: "disabled" };
  await db
    .update(users)
    .set({ oidcIssuer: id.issuer, oidcSubject: id.subject })
    .where(and(eq(users.id, u.id), isNull(users.oidcIssuer)));
  return { ok: true, userId: u.id };
}

import { and, eq, isNull, or, sql } from "drizzle-orm";
import { signInEvents, signInLockouts, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { hashPassword, verifyPassword } from "./password";
import { logSignIn, NO_SOURCE, type SignInSource } from "./sign-in-log";

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
 * Smart lockout that cannot be aimed (issue 12 finding 5), after Entra's familiar/unfamiliar locations:
 * wrong passwords are counted per account *and* source. A source is familiar when the account has signed in
 * with its password from that address before; each familiar address has its own counter, and every other
 * address shares one "unfamiliar" counter. So a stranger's guesses lock the stranger's side only: the owner,
 * signing in from where they always do, is not locked out (and guessing from many addresses still meets
 * one limit). After LOCKOUT_THRESHOLD wrong passwords in a row a counter locks for 1 minute, each further
 * wrong password after that doubles the lock, up to 30 minutes; while locked even the right password is
 * refused on that side. A right password resets that counter.
 *
 * Unknown names are counted and locked exactly like known ones (account key `name:<name>`), run the same
 * statements and the same Argon2 verification (against a dummy hash), and get the same words: neither the
 * answer nor its time tells whether an account exists. Every attempt is written to the sign-in log in the
 * same transaction as the counter.
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
const NIL = "00000000-0000-0000-0000-000000000000";

/** The counter a sign-in attempt falls under (see above). */
export async function lockoutSource(db: Db, userId: string | null, clientIp: string | null): Promise<string> {
  if (!clientIp) return "unknown";
  // The same query for unknown names (nil id): same statements, same time.
  const [seen] = await db
    .select({ id: signInEvents.id })
    .from(signInEvents)
    .where(
      and(
        eq(signInEvents.userId, userId ?? NIL),
        eq(signInEvents.clientIp, clientIp),
        eq(signInEvents.kind, "password"),
        eq(signInEvents.result, "success"),
      ),
    )
    .limit(1);
  return seen ? `ip:${clientIp}` : "unfamiliar";
}

export async function checkPassword(
  db: Db,
  identifier: string,
  password: string,
  now: Date = new Date(),
  source: SignInSource = NO_SOURCE,
): Promise<PasswordCheck> {
  const name = identifier.trim().toLowerCase();
  if (!name || !password) return { ok: false, reason: "invalid" };
  const rows = await db
    .select({ id: users.id, hash: users.passwordHash, enabled: users.accountEnabled })
    .from(users)
    .where(or(sql`lower(${users.userPrincipalName}) = ${name}`, sql`lower(${users.mail}) = ${name}`))
    .limit(2);
  // Two different people sharing a mail address: refuse rather than guess.
  const user = rows.length === 1 ? rows[0] : undefined;
  const passwordOk = await verifyPassword(user?.hash ?? (await dummy()), password);
  const ok = passwordOk && Boolean(user?.hash);
  const account = user ? `user:${user.id}` : `name:${name.slice(0, 320)}`;
  const where = await lockoutSource(db, user?.id ?? null, source.clientIp);
  const log = { at: now, userId: user?.id ?? null, identifier: name, kind: "password" as const, source };
  const key = and(eq(signInLockouts.account, account), eq(signInLockouts.source, where));

  return db.transaction(async (tx) => {
    // Row lock on the counter: parallel guesses queue here, so each one counts (no lost update).
    const [counter] = await tx.select().from(signInLockouts).where(key).for("update");
    if (counter?.lockedUntil && counter.lockedUntil > now) {
      await logSignIn(tx, { ...log, result: "locked", reason: `Locked until ${counter.lockedUntil.toISOString()}` });
      return { ok: false, reason: "locked", lockedUntil: counter.lockedUntil } as const;
    }
    if (!ok || !user) {
      const [row] = await tx
        .insert(signInLockouts)
        .values({ account, source: where, failures: 1, updatedAt: now })
        .onConflictDoUpdate({
          target: [signInLockouts.account, signInLockouts.source],
          set: { failures: sql`${signInLockouts.failures} + 1`, updatedAt: now },
        })
        .returning({ failures: signInLockouts.failures });
      const failures = row?.failures ?? 1;
      const lockMs = lockDurationMs(failures);
      if (lockMs > 0) {
        const until = new Date(now.getTime() + lockMs);
        await tx.update(signInLockouts).set({ lockedUntil: until }).where(key);
        await logSignIn(tx, {
          ...log,
          result: "locked",
          reason: `Wrong password; locked for ${lockMs / 60_000} min after ${failures} failures`,
        });
        return { ok: false, reason: "locked", lockedUntil: until } as const;
      }
      await logSignIn(tx, {
        ...log,
        result: "failure",
        reason: user ? "Wrong password" : "Unknown name",
      });
      return { ok: false, reason: "invalid" } as const;
    }
    // Told only to someone who knows the password.
    if (!user.enabled) {
      await logSignIn(tx, { ...log, result: "failure", reason: "Account disabled" });
      return { ok: false, reason: "disabled" } as const;
    }
    if (counter) await tx.delete(signInLockouts).where(key);
    await logSignIn(tx, { ...log, result: "success" });
    return { ok: true, userId: user.id } as const;
  });
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

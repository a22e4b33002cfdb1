import { and, eq, isNotNull, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { userMfa, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { decryptSecret, encryptSecret } from "./secret-box";

/**
 * TOTP multi-factor authentication, framework-free (the database and the clocks are passed in).
 * RFC 6238 with SHA1, 6 digits, 30 s steps; ±1 step of clock drift; a code is accepted at most once
 * (steps ≤ `last_used_step` are refused); 5 failures lock MFA for 15 minutes; success resets the count.
 * Every state change is one conditional UPDATE, so two concurrent submissions of one code cannot both pass.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60_000;
const ISSUER = "PIM Portal";

/**
 * `now` is the server clock (lockout bookkeeping); `totpNow` is the wall clock authenticator apps use
 * (defaults to `now`; they differ only when the e2e test clock is shifted).
 */
export type MfaCtx = { db: Db; now: () => Date; totpNow?: () => Date };

export type VerifyResult =
  | { ok: true; step: number }
  | { ok: false; reason: "invalid"; attemptsLeft: number }
  | { ok: false; reason: "reused" }
  | { ok: false; reason: "locked"; lockedUntil: Date }
  | { ok: false; reason: "not-enrolled" }
  | { ok: false; reason: "malformed" };

const totpFor = (base32: string, label = "") =>
  new TOTP({
    issuer: ISSUER,
    label,
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(base32),
  });

const stepAt = (d: Date) => Math.floor(d.getTime() / 1000 / TOTP_PERIOD_SECONDS);
const totpClock = (ctx: MfaCtx) => (ctx.totpNow ?? ctx.now)();

/** Accepts "123456" and "123 456"; anything else is malformed. */
export function normalizeCode(raw: string): string | null {
  const code = raw.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}

/** The code for `at` (tests, the demo-mode hint). */
export function totpCode(base32: string, at: Date): string {
  return totpFor(base32).generate({ timestamp: at.getTime() });
}

/** The matching time step within ±1 of `at`, or null. The newest matching step wins. */
export function matchStep(base32: string, code: string, at: Date): number | null {
  const totp = totpFor(base32);
  const cur = stepAt(at);
  for (const step of [cur + 1, cur, cur - 1]) {
    if (totp.generate({ timestamp: step * TOTP_PERIOD_SECONDS * 1000 }) === code) return step;
  }
  return null;
}

export type MfaStatus = { enrolled: boolean; pending: boolean; lockedUntil: Date | null };

export async function getMfaStatus(ctx: MfaCtx, userId: string): Promise<MfaStatus> {
  const [row] = await ctx.db.select().from(userMfa).where(eq(userMfa.userId, userId));
  const now = ctx.now();
  return {
    enrolled: Boolean(row?.secretEncrypted && row.enrolledAt),
    pending: Boolean(row?.pendingSecretEncrypted),
    lockedUntil: row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null,
  };
}

const notLocked = (now: Date): SQL => or(isNull(userMfa.lockedUntil), lte(userMfa.lockedUntil, now)) as SQL;

/** Counts a failure; locks when the count reaches the limit. An expired lock starts a fresh count. */
async function recordFailure(ctx: MfaCtx, userId: string): Promise<VerifyResult> {
  const now = ctx.now();
  const until = new Date(now.getTime() + LOCKOUT_MS);
  const lockExpired = and(isNotNull(userMfa.lockedUntil), lte(userMfa.lockedUntil, now));
  const next = sql<number>`(case when ${lockExpired} then 1 else ${userMfa.failedAttempts} + 1 end)`;
  const [row] = await ctx.db
    .update(userMfa)
    .set({
      failedAttempts: next,
      lockedUntil: sql`case when ${next} >= ${MAX_FAILED_ATTEMPTS} then ${until.toISOString()}::timestamptz else null end`,
      updatedAt: now,
    })
    .where(and(eq(userMfa.userId, userId), notLocked(now)))
    .returning({ failed: userMfa.failedAttempts, lockedUntil: userMfa.lockedUntil });
  if (!row) return lockedOrMissing(ctx, userId);
  if (row.lockedUntil) return { ok: false, reason: "locked", lockedUntil: row.lockedUntil };
  return { ok: false, reason: "invalid", attemptsLeft: MAX_FAILED_ATTEMPTS - row.failed };
}

async function lockedOrMissing(ctx: MfaCtx, userId: string): Promise<VerifyResult> {
  const s = await getMfaStatus(ctx, userId);
  if (s.lockedUntil) return { ok: false, reason: "locked", lockedUntil: s.lockedUntil };
  return { ok: false, reason: "not-enrolled" };
}

/**
 * Accepts the step only if it is newer than the last accepted one and MFA is not locked; resets the
 * failure count. Returns false when another request won the step (or a lock came first).
 */
async function consumeStep(
  ctx: MfaCtx,
  userId: string,
  step: number,
  extra: Partial<typeof userMfa.$inferInsert> = {},
) {
  const now = ctx.now();
  const rows = await ctx.db
    .update(userMfa)
    .set({ lastUsedStep: step, failedAttempts: 0, lockedUntil: null, updatedAt: now, ...extra })
    .where(
      and(eq(userMfa.userId, userId), or(isNull(userMfa.lastUsedStep), lt(userMfa.lastUsedStep, step)), notLocked(now)),
    )
    .returning({ userId: userMfa.userId });
  return rows.length === 1;
}

/** The MFA challenge: checks a code for an enrolled user. */
export async function verifyTotp(ctx: MfaCtx, userId: string, rawCode: string): Promise<VerifyResult> {
  const [row] = await ctx.db.select().from(userMfa).where(eq(userMfa.userId, userId));
  if (!row?.secretEncrypted || !row.enrolledAt) return { ok: false, reason: "not-enrolled" };
  const now = ctx.now();
  if (row.lockedUntil && row.lockedUntil > now) return { ok: false, reason: "locked", lockedUntil: row.lockedUntil };
  const code = normalizeCode(rawCode);
  if (!code) return { ok: false, reason: "malformed" };
  const step = matchStep(decryptSecret(row.secretEncrypted), code, totpClock(ctx));
  if (step === null) return recordFailure(ctx, userId);
  if (await consumeStep(ctx, userId, step)) return { ok: true, step };
  const s = await getMfaStatus(ctx, userId);
  if (s.lockedUntil) return { ok: false, reason: "locked", lockedUntil: s.lockedUntil };
  return { ok: false, reason: "reused" };
}

export type Enrolment = { secret: string; otpauthUri: string; qrDataUrl: string };

/**
 * Starts (or resumes) enrolment: a pending secret is stored encrypted; the enrolled secret, if any,
 * is untouched until the user confirms a code. Refuses when the user is already enrolled.
 */
export async function beginEnrolment(ctx: MfaCtx, userId: string): Promise<Enrolment> {
  const [user] = await ctx.db.select({ upn: users.userPrincipalName }).from(users).where(eq(users.id, userId));
  if (!user) throw new Error("No such user");
  const [row] = await ctx.db.select().from(userMfa).where(eq(userMfa.userId, userId));
  if (row?.secretEncrypted && row.enrolledAt) throw new Error("Already enrolled");
  let secret = row?.pendingSecretEncrypted ? decryptSecret(row.pendingSecretEncrypted) : null;
  if (!secret) {
    const fresh = new Secret({ size: 20 }).base32;
    const now = ctx.now();
    // Two tabs starting at once: the first pending secret wins, the second reads it back.
    await ctx.db
      .insert(userMfa)
      .values({ userId, pendingSecretEncrypted: encryptSecret(fresh), updatedAt: now })
      .onConflictDoUpdate({
        target: userMfa.userId,
        set: {
          pendingSecretEncrypted: sql`coalesce(${userMfa.pendingSecretEncrypted}, excluded.pending_secret_encrypted)`,
          updatedAt: now,
        },
      });
    const [again] = await ctx.db
      .select({ p: userMfa.pendingSecretEncrypted })
      .from(userMfa)
      .where(eq(userMfa.userId, userId));
    secret = again?.p ? decryptSecret(again.p) : fresh;
  }
  const otpauthUri = totpFor(secret, user.upn).toString();
  const qrDataUrl = await QRCode.toDataURL(otpauthUri, { margin: 1, width: 200, errorCorrectionLevel: "M" });
  return { secret, otpauthUri, qrDataUrl };
}

/** Confirms enrolment with a first code: the pending secret becomes the enrolled one and that step is used. */
export async function confirmEnrolment(ctx: MfaCtx, userId: string, rawCode: string): Promise<VerifyResult> {
  const [row] = await ctx.db.select().from(userMfa).where(eq(userMfa.userId, userId));
  if (!row?.pendingSecretEncrypted) return { ok: false, reason: "not-enrolled" };
  const now = ctx.now();
  if (row.lockedUntil && row.lockedUntil > now) return { ok: false, reason: "locked", lockedUntil: row.lockedUntil };
  const code = normalizeCode(rawCode);
  if (!code) return { ok: false, reason: "malformed" };
  const step = matchStep(decryptSecret(row.pendingSecretEncrypted), code, totpClock(ctx));
  if (step === null) return recordFailure(ctx, userId);
  const moved = await ctx.db
    .update(userMfa)
    .set({
      secretEncrypted: row.pendingSecretEncrypted,
      pendingSecretEncrypted: null,
      enrolledAt: now,
      lastUsedStep: step,
      failedAttempts: 0,
      lockedUntil: null,
      updatedAt: now,
    })
    .where(and(eq(userMfa.userId, userId), eq(userMfa.pendingSecretEncrypted, row.pendingSecretEncrypted)))
    .returning({ userId: userMfa.userId });
  return moved.length === 1 ? { ok: true, step } : { ok: false, reason: "reused" };
}

/** The current code of an enrolled user (demo-mode hint only). */
export async function currentCodeFor(ctx: MfaCtx, userId: string): Promise<string | null> {
  const [row] = await ctx.db.select({ s: userMfa.secretEncrypted }).from(userMfa).where(eq(userMfa.userId, userId));
  return row?.s ? totpCode(decryptSecret(row.s), totpClock(ctx)) : null;
}

/** "HH:MM" in the given time zone (24-hour clock). */
export function formatClock(d: Date, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone }).format(d);
}

/** The sentence people see for each refusal. */
export function mfaMessage(r: Exclude<VerifyResult, { ok: true }>, timeZone = "UTC"): string {
  switch (r.reason) {
    case "invalid":
      return r.attemptsLeft === 1
        ? "That code is not correct. Check your authenticator app and try again. One attempt left before MFA is locked for 15 minutes."
        : "That code is not correct. Check your authenticator app and try again.";
    case "reused":
      return "That code was already used. Wait for the next code.";
    case "locked":
      return `Too many wrong codes. Try again after ${formatClock(r.lockedUntil, timeZone)}${timeZone === "UTC" ? " UTC" : ""}.`;
    case "not-enrolled":
      return "Multi-factor authentication is not set up for this account.";
    case "malformed":
      return "Enter the 6-digit code from your authenticator app.";
  }
}

import { signInEvents } from "@/db/schema";
import type { Db } from "@/db/types";
import type { MfaCtx, VerifyResult } from "./mfa";

/**
 * Writes one row of the sign-in log (table sign_in_events). Called inside the transaction that changes the
 * sign-in state (lockout counter, session row, MFA step), so the log and the state cannot disagree.
 */
export type SignInSource = { clientIp: string | null; userAgent: string | null };
export const NO_SOURCE: SignInSource = { clientIp: null, userAgent: null };

export type SignInEventInput = {
  at: Date;
  userId: string | null;
  identifier?: string | null;
  kind: "password" | "oidc" | "mfa";
  result: "success" | "failure" | "locked";
  reason?: string | null;
  sessionId?: string | null;
  source: SignInSource;
};

// Claims from an identity provider are not validated input: make them storable rather than fail the sign-in.
const clip = (s: string | null | undefined, n: number) =>
  s ? s.slice(0, n).toWellFormed().replaceAll("\u0000", "\uFFFD") : null;

export async function logSignIn(db: Db, e: SignInEventInput): Promise<void> {
  await db.insert(signInEvents).values({
    at: e.at,
    userId: e.userId,
    identifier: clip(e.identifier, 320),
    kind: e.kind,
    result: e.result,
    reason: clip(e.reason, 200),
    clientIp: clip(e.source.clientIp, 64),
    userAgent: clip(e.source.userAgent, 512),
    sessionId: e.sessionId ?? null,
  });
}

const MFA_REASONS = {
  invalid: "Wrong code",
  reused: "Code already used",
  locked: "MFA locked",
  "not-enrolled": "Not enrolled",
  malformed: "Malformed code",
} as const;

/**
 * Runs an MFA check (verifyTotp or confirmEnrolment) in one transaction with its sign-in log row: the
 * failure count, the lock or the consumed time step and the log row commit together.
 */
export async function withMfaLog(
  ctx: MfaCtx,
  userId: string,
  source: SignInSource,
  check: (ctx: MfaCtx) => Promise<VerifyResult>,
): Promise<VerifyResult> {
  return ctx.db.transaction(async (tx) => {
    const r = await check({ ...ctx, db: tx });
    await logSignIn(tx, {
      at: ctx.now(),
      userId,
      kind: "mfa",
      result: r.ok ? "success" : r.reason === "locked" ? "locked" : "failure",
      reason: r.ok ? null : MFA_REASONS[r.reason],
      source,
    });
    return r;
  });
}

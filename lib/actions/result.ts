import type { z } from "zod";
import { isPimError, type PimErrorCode } from "@/lib/pim/errors";
import { fieldErrorsOf } from "@/lib/validation/field-errors";

/** What every server action returns (house style): data, or a code, a sentence and per-field errors. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: PimErrorCode | "Internal"; message: string; fieldErrors?: Record<string, string[]> };

/** A zod failure as an action result, keyed by the first path segment (the form field). */
export function invalidInput(error: z.ZodError): ActionResult<never> {
  return {
    ok: false,
    code: "ValidationFailed",
    message: "Check the highlighted fields.",
    fieldErrors: fieldErrorsOf(error),
  };
}

/**
 * Maps a thrown error to a result: a PimError keeps its code and its sentence (rule failures name the
 * rule); anything else is logged and answered with a generic sentence (no internals leak to the browser).
 */
export function actionError(err: unknown): ActionResult<never> {
  if (isPimError(err)) {
    return { ok: false, code: err.code, message: err.message, fieldErrors: err.fieldErrors };
  }
  console.error("server action failed", err);
  return { ok: false, code: "Internal", message: "Something went wrong on our side. Try again in a moment." };
}

const ruleWords: Partial<Record<PimErrorCode, string>> = {
  ExpirationRule: "Expiration rule",
  MfaRule: "MFA rule",
  JustificationRule: "Justification rule",
  TicketingRule: "Ticketing rule",
  EligibilityRule: "Eligibility rule",
  ApprovalRule: "Approval rule",
  LockoutProtection: "Lockout protection",
};

/** "Expiration rule: The end time is after the maximum of 365 days." — the failed rule, then why. */
export function describeFailure(r: { code: string; message: string }): string {
  const words = ruleWords[r.code as PimErrorCode];
  return words ? `${words}: ${r.message}` : r.message;
}

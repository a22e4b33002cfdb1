/**
 * Typed domain errors. A rule failure names the rule (Graph's names) and carries a sentence a person understands.
 * Adapters map `code` to an HTTP status through `httpStatusFor` — the one table for the whole product.
 */
export const ruleCodes = [
  "ExpirationRule",
  "MfaRule",
  "JustificationRule",
  "TicketingRule",
  "EligibilityRule",
  "ApprovalRule",
] as const;
export type RuleCode = (typeof ruleCodes)[number];

export type PimErrorCode =
  | RuleCode
  | "Forbidden"
  | "Unauthenticated"
  | "NotFound"
  | "Conflict"
  | "ValidationFailed"
  | "LockoutProtection"
  | "RateLimited";

/** What kind of Conflict it is, where an adapter answers differently (Graph: 400 RoleAssignmentExists). */
export type ConflictReason = "AssignmentExists" | "PendingRequestExists";

export class PimError extends Error {
  readonly code: PimErrorCode;
  readonly rule?: RuleCode;
  readonly fieldErrors?: Record<string, string[]>;
  readonly reason?: ConflictReason;

  constructor(
    code: PimErrorCode,
    message: string,
    extra: { fieldErrors?: Record<string, string[]>; reason?: ConflictReason } = {},
  ) {
    super(message);
    this.name = "PimError";
    this.code = code;
    if ((ruleCodes as readonly string[]).includes(code)) this.rule = code as RuleCode;
    this.fieldErrors = extra.fieldErrors;
    this.reason = extra.reason;
  }
}

export const isPimError = (e: unknown): e is PimError => e instanceof PimError;

/** The one code → HTTP status table (rules are 400: the request broke a policy). */
export const httpStatusByCode: Record<PimErrorCode, number> = {
  ExpirationRule: 400,
  MfaRule: 400,
  JustificationRule: 400,
  TicketingRule: 400,
  EligibilityRule: 400,
  ApprovalRule: 400,
  ValidationFailed: 400,
  LockoutProtection: 400,
  Unauthenticated: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  RateLimited: 429,
};

export function httpStatusFor(err: unknown): number {
  return isPimError(err) ? httpStatusByCode[err.code] : 500;
}

export const forbidden = (message = "You do not have permission to do this.") => new PimError("Forbidden", message);
export const notFound = (what: string) => new PimError("NotFound", `${what} was not found.`);
export const conflict = (message: string) => new PimError("Conflict", message);

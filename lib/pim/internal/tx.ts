import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/types";
import { fieldErrorsOf } from "@/lib/validation/field-errors";
import { writeAudit, type AuditInput } from "../audit";
import type { Actor, Ctx } from "../context";
import { isSerializationFailure, isUniqueViolation } from "../db-errors";
import { isPimError, PimError } from "../errors";

/** Validates a use-case input with its zod schema; failures become `ValidationFailed` with per-field messages. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0]?.message ?? "Check the highlighted fields.";
  throw new PimError("ValidationFailed", first, { fieldErrors: fieldErrorsOf(parsed.error) });
}

/** Serialises transactions on one logical key (held to commit). Works on PostgreSQL and PGlite. */
export async function lockKey(tx: Db, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

export { mfaIsRecent } from "../rules/mfa";

/**
 * Writes the audit row of a state change. `changed` lists the ids (schedules, requests) whose state this
 * row records; every changed row is listed by exactly one audit row (the property tests check it).
 */
export async function auditChange(tx: Db, now: Date, input: AuditInput & { changed: string[] }): Promise<void> {
  const { changed, details, ...rest } = input;
  await writeAudit(tx, now, { ...rest, details: { ...details, changed } });
}

/** Failures worth an audit row (someone tried something the policy refused). */
const AUDITED_FAILURES = new Set([
  "Forbidden",
  "Conflict",
  "LockoutProtection",
  "ExpirationRule",
  "MfaRule",
  "JustificationRule",
  "TicketingRule",
  "EligibilityRule",
  "ApprovalRule",
]);

export type UseCaseMeta = {
  operation: string;
  activity: string;
  /** The audit category of the failure row (default: the audit log's default, role management). */
  category?: AuditInput["category"];
  target?: AuditInput["target"];
  role?: AuditInput["role"];
  directoryScopeId?: string | null;
  requestId?: string | null;
  /** The caller's justification, kept on the failure row too (what they said when they were refused). */
  justification?: string | null;
};

export type RunOptions<P> = {
  /** What a unique-index or serialization loss answers (default: "Someone else changed this …"). */
  conflict?: string | (() => PimError);
  /**
   * Work before the transaction (a cheap authorization check, a slow password hash that must not hold the
   * audit chain lock); its refusals are audited like the body's. Its result is the body's third argument.
   */
  prepare?: (now: Date) => Promise<P>;
};

/**
 * Runs a use case's ONE transaction. A unique-index or serialization loss becomes `Conflict`; a refused
 * attempt (rule, Forbidden, Conflict) is recorded as a failure audit row in its own transaction, since the
 * use case's transaction rolled back. The caller's `meta` may be filled in by the body as it learns more.
 */
export async function runUseCase<T, P = undefined>(
  ctx: Ctx,
  actor: Actor,
  meta: UseCaseMeta,
  body: (tx: Db, now: Date, prepared: NoInfer<P>) => Promise<T>,
  opts: RunOptions<P> = {},
): Promise<T> {
  const now = ctx.now();
  try {
    const prepared = (opts.prepare ? await opts.prepare(now) : undefined) as P;
    return await ctx.db.transaction((tx) => body(tx, now, prepared));
  } catch (err) {
    let e: unknown = err;
    if (!isPimError(e) && (isUniqueViolation(e) || isSerializationFailure(e))) e = conflictError(opts.conflict);
    if (isPimError(e) && AUDITED_FAILURES.has(e.code)) await auditRefusal(ctx, actor, meta, now, e);
    throw e;
  }
}

function conflictError(conflict: RunOptions<unknown>["conflict"]): PimError {
  if (typeof conflict === "function") return conflict();
  return new PimError("Conflict", conflict ?? "Someone else changed this at the same moment. Refresh and try again.");
}

/** The failure audit row of a refused attempt, in its own transaction (the use case's rolled back). */
async function auditRefusal(ctx: Ctx, actor: Actor, meta: UseCaseMeta, now: Date, failure: PimError): Promise<void> {
  await ctx.db
    .transaction((tx) =>
      writeAudit(tx, now, {
        // "Add member to role in PIM completed (timebound)" → "Add member to role in PIM failed"
        activity: `${meta.activity.replace(/ completed(?: \((?:permanent|timebound)\))?$/, "")} failed`,
        ...(meta.category ? { category: meta.category } : {}),
        operation: meta.operation,
        result: "failure",
        resultReason: `${failure.code}: ${failure.message}`,
        actor,
        target: meta.target ?? null,
        role: meta.role ?? null,
        directoryScopeId: meta.directoryScopeId ?? null,
        requestId: meta.requestId ?? null,
        justification: meta.justification ?? null,
        details: { code: failure.code },
      }),
    )
    .catch(() => undefined); // the refusal itself is what the caller must see
}

import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/types";
import { fieldErrorsOf } from "@/lib/validation/field-errors";
import { writeAudit, type AuditInput } from "../audit";
import type { Actor, Ctx } from "../context";
import { isSerializationFailure, isUniqueViolation } from "../db-errors";
import { isPimError, PimError } from "../errors";
import { MFA_RECENT_MS } from "../rules/constants";

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

/** Did the actor's session pass MFA within `MFA_RECENT_MS` before `now`? */
export function mfaIsRecent(actor: Actor, now: Date): boolean {
  const t = actor.mfaAt?.getTime();
  return t !== undefined && t <= now.getTime() + 60_000 && now.getTime() - t <= MFA_RECENT_MS;
}

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
  target?: AuditInput["target"];
  role?: AuditInput["role"];
  directoryScopeId?: string | null;
  requestId?: string | null;
  /** The caller's justification, kept on the failure row too (what they said when they were refused). */
  justification?: string | null;
};

/**
 * Runs a use case's ONE transaction. A unique-index or serialization loss becomes `Conflict`; a refused
 * attempt (rule, Forbidden, Conflict) is recorded as a failure audit row in its own transaction, since the
 * use case's transaction rolled back. The caller's `meta` may be filled in by the body as it learns more.
 */
export async function runUseCase<T>(
  ctx: Ctx,
  actor: Actor,
  meta: UseCaseMeta,
  body: (tx: Db, now: Date) => Promise<T>,
  conflictMessage = "Someone else changed this at the same moment. Refresh and try again.",
): Promise<T> {
  const now = ctx.now();
  try {
    return await ctx.db.transaction((tx) => body(tx, now));
  } catch (err) {
    let e: unknown = err;
    if (!isPimError(e) && (isUniqueViolation(e) || isSerializationFailure(e)))
      e = new PimError("Conflict", conflictMessage);
    if (isPimError(e) && AUDITED_FAILURES.has(e.code)) {
      const failure = e;
      await ctx.db
        .transaction((tx) =>
          writeAudit(tx, now, {
            // "Add member to role in PIM completed (timebound)" → "Add member to role in PIM failed"
            activity: `${meta.activity.replace(/ completed(?: \((?:permanent|timebound)\))?$/, "")} failed`,
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
    throw e;
  }
}

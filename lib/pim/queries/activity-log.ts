import { and, count, desc, eq, gte, ilike, lt, or, type SQL } from "drizzle-orm";
import { administrativeUnits, auditEvents } from "@/db/schema";
import type { Ctx } from "../context";
import { likePattern } from "./list-users";

/** Filters of the Activity page (§8). Text filters match names; `mineFor` restricts to "My audit". */
export type ActivityQuery = {
  /** My audit: only events where this principal is the actor or the target. */
  mineFor?: string;
  since?: Date;
  until?: Date;
  actor?: string;
  target?: string;
  roleDefinitionId?: string;
  /** Activity name (e.g. "Add eligible member to role") or operation (e.g. "adminAssign"). */
  action?: string;
  result?: "success" | "failure";
};

export type ActivityRow = {
  id: number;
  createdAt: Date;
  actorName: string | null;
  activity: string;
  operation: string;
  targetName: string | null;
  roleName: string | null;
  directoryScopeId: string | null;
  justification: string | null;
  ticketNumber: string | null;
  ticketSystem: string | null;
  result: "success" | "failure";
  resultReason: string | null;
  requestId: string | null;
};

const columns = {
  id: auditEvents.id,
  createdAt: auditEvents.createdAt,
  actorName: auditEvents.actorName,
  activity: auditEvents.activity,
  operation: auditEvents.operation,
  targetName: auditEvents.targetName,
  roleName: auditEvents.roleName,
  directoryScopeId: auditEvents.directoryScopeId,
  justification: auditEvents.justification,
  ticketNumber: auditEvents.ticketNumber,
  ticketSystem: auditEvents.ticketSystem,
  result: auditEvents.result,
  resultReason: auditEvents.resultReason,
  requestId: auditEvents.requestId,
};

function where(q: ActivityQuery): SQL | undefined {
  return and(
    q.mineFor ? or(eq(auditEvents.actorId, q.mineFor), eq(auditEvents.targetId, q.mineFor)) : undefined,
    q.since ? gte(auditEvents.createdAt, q.since) : undefined,
    q.until ? lt(auditEvents.createdAt, q.until) : undefined,
    q.actor ? ilike(auditEvents.actorName, likePattern(q.actor)) : undefined,
    q.target ? ilike(auditEvents.targetName, likePattern(q.target)) : undefined,
    q.roleDefinitionId ? eq(auditEvents.roleDefinitionId, q.roleDefinitionId) : undefined,
    q.action ? or(eq(auditEvents.activity, q.action), eq(auditEvents.operation, q.action)) : undefined,
    q.result ? eq(auditEvents.result, q.result) : undefined,
  );
}

/**
 * Audit rows newest first, keyset-paginated on the id (the bigserial grows with insertion order and the
 * hash chain makes writers serial, so id order is creation order). Any page costs the same at any depth.
 * Callers authorize: Resource audit is for PIM admins and readers; My audit passes `mineFor`.
 */
export async function listActivity(
  ctx: Ctx,
  q: ActivityQuery,
  page: { cursor?: string | null; limit?: number; withTotal?: boolean } = {},
): Promise<{ rows: ActivityRow[]; nextCursor: string | null; total: number | null }> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
  const before = page.cursor && /^\d{1,18}$/.test(page.cursor) ? Number(page.cursor) : null;
  const filter = where(q);
  const [rows, totals] = await Promise.all([
    ctx.db
      .select(columns)
      .from(auditEvents)
      .where(and(filter, before !== null ? lt(auditEvents.id, before) : undefined))
      .orderBy(desc(auditEvents.id))
      .limit(limit + 1),
    page.withTotal === false ? Promise.resolve(null) : ctx.db.select({ n: count() }).from(auditEvents).where(filter),
  ]);
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    rows: pageRows,
    nextCursor: rows.length > limit && last ? String(last.id) : null,
    total: totals ? Number(totals[0]?.n ?? 0) : null,
  };
}

/** Every matching row, newest first, in batches: the CSV export streams from this without holding the set. */
export async function* iterateActivity(ctx: Ctx, q: ActivityQuery, batch = 500): AsyncGenerator<ActivityRow> {
  let cursor: string | null = null;
  for (;;) {
    const page = await listActivity(ctx, q, { cursor, limit: batch, withTotal: false });
    for (const r of page.rows) yield r;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

/** The distinct activity names seen so far (for the filter's drop-down). */
export async function listActivityNames(ctx: Ctx): Promise<string[]> {
  const rows = await ctx.db
    .selectDistinct({ a: auditEvents.activity })
    .from(auditEvents)
    .orderBy(auditEvents.activity)
    .limit(200);
  return rows.map((r) => r.a);
}

/** "Directory" or "New York Office (Administrative unit)" for each scope id. */
export async function scopeLabeler(ctx: Ctx): Promise<(scopeId: string | null) => string> {
  const aus = await ctx.db
    .select({ id: administrativeUnits.id, n: administrativeUnits.displayName })
    .from(administrativeUnits);
  const names = new Map(aus.map((a) => [`/administrativeUnits/${a.id}`, a.n]));
  return (scopeId) => {
    if (!scopeId) return "-";
    if (scopeId === "/") return "Directory";
    const n = names.get(scopeId);
    return n ? `${n} (Administrative unit)` : scopeId;
  };
}

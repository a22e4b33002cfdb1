import { and, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { administrativeUnits, auditActivityNames, auditEvents, roleDefinitions } from "@/db/schema";
import type { Actor, Ctx } from "../context";
import { csvLineSql } from "@/lib/export/csv-sql";
import { rawRows, rowsOf } from "../sql-rows";
import { likePattern } from "./list-users";
import { assertPimReader, cappedCount, toCapped, type CappedCount, pimReader } from "./read-scope";

/** Filters of the Activity page (§8). Text filters match names. */
export type ActivityQuery = {
  /**
   * "resource": every event (PIM readers only, else Forbidden); "mine": events where the actor is the actor
   * or the target (My audit, open to everyone, scoped to the actor).
   */
  view: "resource" | "mine";
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

function where(q: ActivityQuery, actor: Actor): SQL | undefined {
  return and(
    q.view === "mine" ? or(eq(auditEvents.actorId, actor.id), eq(auditEvents.targetId, actor.id)) : undefined,
    q.since ? gte(auditEvents.createdAt, q.since) : undefined,
    q.until ? lt(auditEvents.createdAt, q.until) : undefined,
    q.actor ? ilike(auditEvents.actorName, likePattern(q.actor)) : undefined,
    q.target ? ilike(auditEvents.targetName, likePattern(q.target)) : undefined,
    q.roleDefinitionId ? eq(auditEvents.roleDefinitionId, q.roleDefinitionId) : undefined,
    q.action ? or(eq(auditEvents.activity, q.action), eq(auditEvents.operation, q.action)) : undefined,
    q.result ? eq(auditEvents.result, q.result) : undefined,
  );
}

/** Above this the footer says "1,000+": an exact count over a million audit rows cost 250–730 ms a load. */
export const ACTIVITY_COUNT_CAP = 1000;

/** Resource audit is for PIM admins and readers; My audit is scoped to the actor by `where`. */
async function authorize(ctx: Ctx, actor: Actor, q: ActivityQuery): Promise<void> {
  if (q.view === "resource") await assertPimReader(ctx, actor, "the resource audit");
}

/**
 * Audit rows newest first, keyset-paginated on the id (the bigserial grows with insertion order and the
 * hash chain makes writers serial, so id order is creation order). Any page costs the same at any depth;
 * the total is capped at `ACTIVITY_COUNT_CAP`. Authorizes itself (see `ActivityQuery.view`).
 */
export async function listActivity(
  ctx: Ctx,
  actor: Actor,
  q: ActivityQuery,
  page: { cursor?: string | null; limit?: number; withTotal?: boolean } = {},
): Promise<{ rows: ActivityRow[]; nextCursor: string | null; total: CappedCount | null }> {
  await authorize(ctx, actor, q);
  return listAuthorized(ctx, actor, q, page);
}

async function listAuthorized(
  ctx: Ctx,
  actor: Actor,
  q: ActivityQuery,
  page: { cursor?: string | null; limit?: number; withTotal?: boolean },
): Promise<{ rows: ActivityRow[]; nextCursor: string | null; total: CappedCount | null }> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
  const before = page.cursor && /^\d{1,18}$/.test(page.cursor) ? Number(page.cursor) : null;
  const filter = where(q, actor);
  const [rows, totals] = await Promise.all([
    ctx.db
      .select(columns)
      .from(auditEvents)
      .where(and(filter, before !== null ? lt(auditEvents.id, before) : undefined))
      .orderBy(desc(auditEvents.id))
      .limit(limit + 1),
    page.withTotal === false
      ? Promise.resolve(null)
      : ctx.db.execute(
          sql`select ${cappedCount(sql`select 1 from ${auditEvents} ${filter ? sql`where ${filter}` : sql``}`, ACTIVITY_COUNT_CAP)} as n`,
        ),
  ]);
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    rows: pageRows,
    nextCursor: rows.length > limit && last ? String(last.id) : null,
    total: totals ? toCapped(rowsOf<{ n: number }>(totals)[0]?.n, ACTIVITY_COUNT_CAP) : null,
  };
}

type RawActivityRow = {
  id: string | number;
  created_at: string;
  actor_name: string | null;
  activity: string;
  operation: string;
  target_name: string | null;
  role_name: string | null;
  directory_scope_id: string | null;
  justification: string | null;
  ticket_number: string | null;
  ticket_system: string | null;
  result: "success" | "failure";
  result_reason: string | null;
  request_id: string | null;
};

/** The export's batch: at most this many rows per statement (the pages stop at 500). */
export const ACTIVITY_EXPORT_BATCH_MAX = 10_000;

/**
 * Every matching row, newest first, a keyset batch of `batch` rows (≤ `ACTIVITY_EXPORT_BATCH_MAX`) at a time:
 * the CSV export streams from this without holding the set. Batches, not rows: inside the server every awaited
 * row cost promises that Next's async hooks track (a sixth of a million-row export's CPU, issue 10). Authorizes once, before the first row. Rows are read as
 * plain values (the time as ISO text from the database), not through the query builder's per-row mapping,
 * which was a tenth of a million-row export's CPU.
 */
export async function* iterateActivityBatches(
  ctx: Ctx,
  actor: Actor,
  q: ActivityQuery,
  batch = 500,
): AsyncGenerator<ActivityRow[]> {
  await authorize(ctx, actor, q);
  const limit = Math.min(Math.max(batch, 1), ACTIVITY_EXPORT_BATCH_MAX);
  const filter = where(q, actor);
  let before: number | null = null;
  for (;;) {
    const cond = and(filter, before !== null ? lt(auditEvents.id, before) : undefined);
    const res = await ctx.db.execute(sql`
      select id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at, actor_name,
             activity, operation, target_name, role_name, directory_scope_id, justification, ticket_number,
             ticket_system, result, result_reason, request_id
        from ${auditEvents} ${cond ? sql`where ${cond}` : sql``}
       order by id desc limit ${limit}`);
    const rows = rowsOf<RawActivityRow>(res);
    if (rows.length > 0)
      yield rows.map((r) => ({
        id: Number(r.id),
        createdAt: new Date(r.created_at),
        actorName: r.actor_name,
        activity: r.activity,
        operation: r.operation,
        targetName: r.target_name,
        roleName: r.role_name,
        directoryScopeId: r.directory_scope_id,
        justification: r.justification,
        ticketNumber: r.ticket_number,
        ticketSystem: r.ticket_system,
        result: r.result,
        resultReason: r.result_reason,
        requestId: r.request_id,
      }));
    if (rows.length < limit) return;
    before = Number(rows[rows.length - 1]!.id);
  }
}

/** `iterateActivityBatches` one row at a time. */
export async function* iterateActivity(
  ctx: Ctx,
  actor: Actor,
  q: ActivityQuery,
  batch = 500,
): AsyncGenerator<ActivityRow> {
  for await (const rows of iterateActivityBatches(ctx, actor, q, batch)) yield* rows;
}

/** The Activity export's columns (the CSV header), in the order `iterateActivityCsv` writes them. */
export const ACTIVITY_CSV_HEADER = [
  "time",
  "actor",
  "activity",
  "target",
  "role",
  "scope",
  "justification",
  "ticket",
  "result",
  "reason",
  "request id",
];

/**
 * Every matching row as CSV text (`ACTIVITY_CSV_HEADER`'s columns, `csvLine`'s format), newest first, in pieces
 * of at most `ACTIVITY_CSV_PIECE` lines; one keyset statement per `batch` rows. The database writes the lines,
 * and on PostgreSQL they arrive as its bytes (`rawRows`), not as strings: Node handles a few buffers per
 * statement instead of a row object and a dozen strings per audit row. Decoded text was promoted by the young
 * generation at the export's rate and the server's heap grew by ~150–190 MB between full collections during a
 * million-row export (issue 10); PGlite gets strings (its driver has no raw mode). The same cells as the Activity page: time in UTC ISO, scope label (administrative units by name,
 * as of the start), ticket as "system number". Authorizes once, at the first `next()`, before any row.
 */
export function iterateActivityCsv(
  ctx: Ctx,
  actor: Actor,
  q: ActivityQuery,
  batch = 2000,
): AsyncIterableIterator<(string | Uint8Array)[]> {
  const limit = Math.min(Math.max(batch, 1), ACTIVITY_EXPORT_BATCH_MAX);
  const filter = where(q, actor);
  const e = auditEvents;
  const ticket = sql`case when coalesce(${e.ticketNumber}, '') = '' then null
    else case when coalesce(${e.ticketSystem}, '') = '' then '' else ${e.ticketSystem} || ' ' end || ${e.ticketNumber} end`;
  const scope = sql`case when coalesce(${e.directoryScopeId}, '') = '' then '-' when ${e.directoryScopeId} = '/' then 'Directory'
    else coalesce(l.m ->> ${e.directoryScopeId}, ${e.directoryScopeId}) end`;
  // The cells as plain columns first, then the CSV line from those columns (each cell is referred to several
  // times by its quoting rule: a column, not the expression that computes it).
  const cells = [
    sql`to_char(${e.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    sql`${e.actorName}`,
    sql`${e.activity}`,
    sql`${e.targetName}`,
    sql`${e.roleName}`,
    scope,
    sql`${e.justification}`,
    ticket,
    sql`${e.result}::text`,
    sql`${e.resultReason}`,
    sql`${e.requestId}::text`,
  ];
  const columns = sql.join(
    cells.map((c, i) => sql`${c} as ${sql.raw(`c${i}`)}`),
    sql`, `,
  );
  const line = csvLineSql(cells.map((_, i) => sql.raw(`r.c${i}`)));
  const piece = sql.raw(String(ACTIVITY_CSV_PIECE));
  const batchAfter = async (labels: string, before: number | null) => {
    const cond = and(filter, before !== null ? lt(e.id, before) : undefined);
    const query = sql`
      with l as materialized (select ${labels}::jsonb as m),
      r as (
        select ${e.id} as id, ${columns}, row_number() over (order by ${e.id} desc) as n
          from ${e} cross join l ${cond ? sql`where ${cond}` : sql``}
         order by ${e.id} desc limit ${limit}
      )
      select string_agg(${line}, '' order by r.id desc) as csv, min(r.id)::text as last, count(*)::int as n
        from r group by (r.n - 1) / ${piece} order by (r.n - 1) / ${piece}`;
    // On PostgreSQL the pieces come as the database's UTF-8 bytes, written to the client as they are.
    const raw = rawRows(ctx.db, query);
    const pieces = raw
      ? (await raw).map(([csv, last, n]) => ({ csv: csv!, last: String(last), n: String(n) }))
      : rowsOf<{ csv: string; last: string; n: number | string }>(await ctx.db.execute(query));
    return {
      csv: pieces.map((p) => p.csv),
      rows: pieces.reduce((sum, p) => sum + Number(p.n), 0),
      last: pieces.length > 0 ? Number(pieces[pieces.length - 1]!.last) : null,
    };
  };
  // An iterator object, not a generator: a suspended generator keeps the batch it yielded until it resumes (while
  // the client downloads it and the next batch is read); this keeps nothing of a batch once handed on.
  let labels: string | null = null;
  let before: number | null = null;
  let done = false;
  const finished = { done: true, value: undefined } as const;
  return {
    async next(): Promise<IteratorResult<(string | Uint8Array)[]>> {
      if (done) return finished;
      if (labels === null) {
        await authorize(ctx, actor, q);
        labels = JSON.stringify(Object.fromEntries(await auLabels(ctx)));
      }
      const b = await batchAfter(labels, before);
      if (b.rows < limit) done = true;
      before = b.last;
      return b.rows > 0 ? { done: false, value: b.csv } : finished;
    },
    async return(): Promise<IteratorResult<(string | Uint8Array)[]>> {
      done = true;
      return finished;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Lines per piece of `iterateActivityCsv`: ~50 KB a piece. */
export const ACTIVITY_CSV_PIECE = 250;

/** "<name> (Administrative unit)" by scope id, for every administrative unit with a name (`scopeLabeler`'s rule). */
async function auLabels(ctx: Ctx): Promise<[string, string][]> {
  const aus = await ctx.db
    .select({ id: administrativeUnits.id, n: administrativeUnits.displayName })
    .from(administrativeUnits);
  return aus.filter((a) => a.n).map((a) => [`/administrativeUnits/${a.id}`, `${a.n} (Administrative unit)`]);
}

/** The audit views the actor may open: My audit always, Resource audit for PIM admins and readers. */
export async function activityViews(ctx: Ctx, actor: Actor): Promise<ActivityQuery["view"][]> {
  return (await pimReader(ctx, actor)) ? ["resource", "mine"] : ["mine"];
}

/**
 * The Activity filters' drop-downs, from small tables in one statement: the activity names ever written
 * (kept by a trigger on audit_events in audit_activity_names, never a DISTINCT over the audit rows) and
 * the role names. Open to every signed-in person (My audit uses them too).
 */
export async function listActivityFilterOptions(
  ctx: Ctx,
  o: { selectedRole?: string } = {},
): Promise<{ activities: string[]; roles: { id: string; displayName: string }[] }> {
  // The directory roles, and the one a link already filters on: the access definitions of groups under PIM
  // (two per group, thousands in a large tenant) would make every load grow with the groups.
  const selected = o.selectedRole && z.uuid().safeParse(o.selectedRole).success ? o.selectedRole : null;
  const res = await ctx.db.execute(sql`
    select
      (select coalesce(json_agg(n.activity order by n.activity), '[]'::json)
         from (select activity from ${auditActivityNames} order by activity limit 500) n) as activities,
      (select coalesce(json_agg(json_build_object('id', r.id, 'displayName', r.display_name) order by r.display_name), '[]'::json)
         from ${roleDefinitions} r where r.group_id is null or r.id = ${selected}::uuid) as roles`);
  type Row = { activities: string[] | string; roles: { id: string; displayName: string }[] | string };
  const row = rowsOf<Row>(res)[0];
  // postgres.js parses json columns; PGlite may hand back text.
  const parse = <T>(v: T | string | undefined, empty: T): T =>
    v === undefined ? empty : typeof v === "string" ? (JSON.parse(v) as T) : v;
  return { activities: parse(row?.activities, []), roles: parse(row?.roles, []) };
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

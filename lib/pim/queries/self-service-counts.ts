import { sql } from "drizzle-orm";
import { isPimReader } from "../authz";
import type { Actor, Ctx } from "../context";
import { rowsOf } from "../sql-rows";
import { listApprovableRequests, type RequestCursor } from "./requests";

const SELF_ACTIONS = sql`('selfActivate', 'selfExtend', 'selfRenew', 'selfDeactivate')`;

/** How many requests `listMyRequests` lists in all (the "of M results" of the Pending requests page). */
export async function countMyRequests(ctx: Ctx, actor: Actor, opts: { pendingOnly?: boolean } = {}): Promise<number> {
  const res = await ctx.db.execute(sql`
    select count(*)::int as n from schedule_requests r
    where (r.principal_id = ${actor.id}::uuid or r.requestor_id = ${actor.id}::uuid) and r.action in ${SELF_ACTIONS}
      ${opts.pendingOnly ? sql`and r.status = 'PendingApproval' and r.approval_deadline > ${ctx.now().toISOString()}::timestamptz` : sql``}`);
  return Number(rowsOf<{ n: number }>(res)[0]?.n ?? 0);
}

/**
 * How many requests await the actor's decision. Counts through `listApprovableRequests` itself (the one
 * definition of "may decide"), page by page, stopping at `cap` (the UI shows "cap+").
 */
export async function countApprovableRequests(ctx: Ctx, actor: Actor, cap = 1000): Promise<number> {
  let n = 0;
  let cursor: RequestCursor | null = null;
  do {
    const page: Awaited<ReturnType<typeof listApprovableRequests>> = await listApprovableRequests(ctx, actor, {
      limit: 200,
      cursor,
    });
    n += page.rows.length;
    cursor = page.nextCursor;
  } while (cursor && n < cap);
  return Math.min(n, cap);
}

export type OverviewStats = {
  myEligible: number;
  myActive: number;
  approvalsForMe: number;
  /** Directory-wide figures: only for PIM readers/admins (null otherwise). */
  directory: { activeAssignments: number; activations: { day: string; count: number }[] } | null;
  /** The actor's own activations per day (for people who may not see directory figures). */
  myActivations: { day: string; count: number }[];
};

const DAY_MS = 86_400_000;

/** 30 UTC days ending today, zero-filled, oldest first. */
function lastDays(now: Date, counts: Map<string, number>, days = 30): { day: string; count: number }[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10);
    return { day, count: counts.get(day) ?? 0 };
  });
}

async function activationsPerDay(ctx: Ctx, me: string | null): Promise<{ day: string; count: number }[]> {
  const now = ctx.now();
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 29 * DAY_MS);
  const res = await ctx.db.execute(sql`
    select to_char(a.start_date_time at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as n
    from role_assignment_schedules a
    where a.assignment_type = 'Activated' and a.status <> 'Canceled'
      and a.start_date_time >= ${since.toISOString()}::timestamptz and a.start_date_time <= ${now.toISOString()}::timestamptz
      ${me ? sql`and a.principal_id = ${me}::uuid` : sql``}
    group by 1`);
  return lastDays(now, new Map(rowsOf<{ day: string; n: number }>(res).map((r) => [r.day, Number(r.n)])));
}

/**
 * The Overview page's figures: my eligible and active roles (held directly or through a group, as the My
 * roles tabs count them), requests awaiting my decision, and — for PIM readers — active assignments in
 * the directory and activations per UTC day over the last 30 days.
 */
export async function getOverviewStats(ctx: Ctx, actor: Actor): Promise<OverviewStats> {
  const now = ctx.now().toISOString();
  const me = actor.id;
  const mine = (t: string) =>
    sql`(${sql.raw(t)}.principal_id = ${me}::uuid or (${sql.raw(t)}.principal_type = 'Group' and ${sql.raw(t)}.principal_id in (select group_id from group_members where user_id = ${me}::uuid)))`;
  const live = (t: string) =>
    sql`${sql.raw(t)}.status in ('Provisioned','Granted') and (${sql.raw(t)}.end_date_time is null or ${sql.raw(t)}.end_date_time > ${now}::timestamptz)`;
  const res = await ctx.db.execute(sql`
    select
      (select count(*)::int from role_eligibility_schedules e where ${mine("e")} and ${live("e")}) as eligible,
      (select count(*)::int from role_assignment_schedules a where ${mine("a")} and ${live("a")} and a.start_date_time <= ${now}::timestamptz) as active`);
  const row = rowsOf<{ eligible: number; active: number }>(res)[0];
  const reader = await isPimReader(ctx, actor);
  let directory: OverviewStats["directory"] = null;
  if (reader) {
    const d = await ctx.db.execute(sql`
      select count(*)::int as n from role_assignment_schedules a
      where a.status in ('Provisioned','Granted') and a.start_date_time <= ${now}::timestamptz
        and (a.end_date_time is null or a.end_date_time > ${now}::timestamptz)`);
    directory = {
      activeAssignments: Number(rowsOf<{ n: number }>(d)[0]?.n ?? 0),
      activations: await activationsPerDay(ctx, null),
    };
  }
  return {
    myEligible: Number(row?.eligible ?? 0),
    myActive: Number(row?.active ?? 0),
    approvalsForMe: await countApprovableRequests(ctx, actor),
    directory,
    myActivations: await activationsPerDay(ctx, me),
  };
}

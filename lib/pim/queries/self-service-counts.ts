import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { roleAssignmentSchedules, roleEligibilitySchedules } from "@/db/schema";
import type { Actor, Ctx } from "../context";
import { rowsOf } from "../sql-rows";
import {
  cappedCount,
  heldByMeOrMyGroups,
  inForceSchedule,
  liveSchedule,
  toCapped,
  type CappedCount,
  pimReader,
} from "./read-scope";
import { countApprovableRequests } from "./requests";

export { countApprovableRequests, countMyRequests } from "./requests";

const e = alias(roleEligibilitySchedules, "e");
const a = alias(roleAssignmentSchedules, "a");

/** Above this the Overview says "1,000+" active assignments instead of counting the whole table each load. */
export const DIRECTORY_COUNT_CAP = 1000;

export type OverviewStats = {
  myEligible: number;
  myActive: number;
  approvalsForMe: CappedCount;
  /** Directory-wide figures: only for PIM readers/admins (null otherwise). */
  directory: { activeAssignments: CappedCount; activations: { day: string; count: number }[] } | null;
  /** The actor's own activations per day (for people who may not see directory figures; empty for readers). */
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
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const since = new Date(today.getTime() - 29 * DAY_MS);
  const activatedSince = (from: Date) => sql`
    select to_char(a.start_date_time at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as n
    from role_assignment_schedules a
    where a.assignment_type = 'Activated' and a.status <> 'Canceled'
      and a.start_date_time >= ${from.toISOString()}::timestamptz and a.start_date_time <= ${now.toISOString()}::timestamptz
      ${me ? sql`and a.principal_id = ${me}::uuid` : sql``}
    group by 1`;
  // The directory's chart reads activation_days (kept by triggers, 0013), today included, and subtracts what
  // starts later today (scheduled activations) through assignment_activated_start_idx: a range from now to
  // midnight, never the day's activations themselves (at size L today held 11,781 of them: 140 ms of heap reads).
  const tomorrow = new Date(today.getTime() + DAY_MS);
  const res = await ctx.db.execute(
    me
      ? activatedSince(since)
      : sql`select to_char(d.day, 'YYYY-MM-DD') as day,
                   d.activations - case when d.day = ${today.toISOString().slice(0, 10)}::date then (
                     select count(*)::int from role_assignment_schedules a
                      where a.assignment_type = 'Activated' and a.status <> 'Canceled'
                        and a.start_date_time > ${now.toISOString()}::timestamptz
                        and a.start_date_time < ${tomorrow.toISOString()}::timestamptz) else 0 end as n
              from activation_days d
             where d.day >= ${since.toISOString().slice(0, 10)}::date and d.day <= ${today.toISOString().slice(0, 10)}::date`,
  );
  return lastDays(now, new Map(rowsOf<{ day: string; n: number }>(res).map((r) => [r.day, Number(r.n)])));
}

/**
 * The Overview page's figures: my eligible and active roles (held directly or through a group, as the My
 * roles tabs count them), requests awaiting my decision (capped), and — for PIM readers — active assignments
 * in the directory (capped at `DIRECTORY_COUNT_CAP`) and activations per UTC day over the last 30 days (an
 * index range of 30 days). Scoped to the actor; at most six statements whatever the directory's size.
 */
export async function getOverviewStats(ctx: Ctx, actor: Actor): Promise<OverviewStats> {
  const now = ctx.now();
  const me = actor.id;
  const [mine, reader, approvalsForMe] = await Promise.all([
    ctx.db.execute(sql`
      select
        (select count(*)::int from role_eligibility_schedules e where ${heldByMeOrMyGroups(e.principalId, me)} and ${liveSchedule(e, now)}) as eligible,
        (select count(*)::int from role_assignment_schedules a where ${heldByMeOrMyGroups(a.principalId, me)} and ${inForceSchedule(a, now)}) as active`),
    pimReader(ctx, actor),
    countApprovableRequests(ctx, actor),
  ]);
  const row = rowsOf<{ eligible: number; active: number }>(mine)[0];
  let directory: OverviewStats["directory"] = null;
  if (reader) {
    const [d, activations] = await Promise.all([
      ctx.db.execute(
        sql`select ${cappedCount(sql`select 1 from role_assignment_schedules a where ${inForceSchedule(a, now)}`, DIRECTORY_COUNT_CAP)} as n`,
      ),
      activationsPerDay(ctx, null),
    ]);
    directory = {
      activeAssignments: toCapped(rowsOf<{ n: number }>(d)[0]?.n, DIRECTORY_COUNT_CAP),
      activations,
    };
  }
  return {
    myEligible: Number(row?.eligible ?? 0),
    myActive: Number(row?.active ?? 0),
    approvalsForMe,
    directory,
    myActivations: reader ? [] : await activationsPerDay(ctx, me),
  };
}

import { and, asc, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import { roleAssignmentSchedules as ras, roleEligibilitySchedules as res, scheduleRequests } from "@/db/schema";
import type { Db } from "@/db/types";
import { systemActor, type Ctx } from "../context";
import { emitNotifications } from "../notifications/emit";
import { ms } from "../rules/constants";
import { expireDueSchedules, withNames } from "../internal/expiry";
import { requestActivity } from "../internal/request-words";
import type { RequestRow, ScheduleKind } from "../internal/schedules";
import { writeAuditRows } from "../audit";
import { rowsOf, toDate } from "../sql-rows";

export type ExpireCounts = {
  assignmentsExpired: number;
  eligibilitiesExpired: number;
  requestsTimedOut: number;
  expiringNotices: number;
};

/**
 * The expiry sweep (§6). Records what has already ended — access never waited for it: due activations and
 * assignments and eligibilities become Expired (audit row + "expired" notice each), pending requests past
 * their 24-hour deadline become TimedOut (audit + notice), and expiring-soon notices (14 days, 1 day) are
 * queued once per schedule (the expiring_notice_* columns). Works in transactions of at most `batchSize`
 * rows claimed with `FOR UPDATE SKIP LOCKED`, so several processes may run it at once and split the work;
 * it is idempotent (a second run finds nothing). Returns what this call did.
 */
export async function expireDue(ctx: Ctx, opts: { batchSize?: number } = {}): Promise<ExpireCounts> {
  const batch = Math.min(Math.max(opts.batchSize ?? 500, 1), 5000);
  const now = ctx.now();
  const counts: ExpireCounts = {
    assignmentsExpired: 0,
    eligibilitiesExpired: 0,
    requestsTimedOut: 0,
    expiringNotices: 0,
  };
  const loop = async (step: (tx: Db) => Promise<number>): Promise<number> => {
    let total = 0;
    for (;;) {
      const n = await ctx.db.transaction(step);
      total += n;
      if (n < batch) return total;
    }
  };
  counts.assignmentsExpired = await loop((tx) =>
    expireDueSchedules(tx, now, "assignment", { limit: batch, skipLocked: true }),
  );
  counts.eligibilitiesExpired = await loop((tx) =>
    expireDueSchedules(tx, now, "eligibility", { limit: batch, skipLocked: true }),
  );
  counts.requestsTimedOut = await loop((tx) => timeOutRequests(tx, now, batch));
  for (const days of [14, 1] as const) {
    for (const kind of ["eligibility", "assignment"] as const)
      counts.expiringNotices += await loop((tx) => queueNotices(tx, now, kind, days, batch));
  }
  return counts;
}

type TimedOutRow = {
  id: string;
  action: RequestRow["action"];
  principal_id: string;
  principal_type: "User" | "Group" | "ServicePrincipal";
  principal_name: string;
  role_id: string;
  role_name: string;
  scope: string;
  approval_deadline: Date | string | null;
};

/**
 * Pending requests past their deadline become TimedOut, set-based like the schedule expiry: ONE statement
 * claims a batch (`FOR UPDATE SKIP LOCKED`, so two sweeps split the work), marks it and returns it with the
 * role's and principal's names; then one multi-row insert of the notification events and one chained batch
 * of audit rows (one row per request, as before, but no per-row round trips).
 */
async function timeOutRequests(tx: Db, now: Date, limit: number): Promise<number> {
  const r = scheduleRequests;
  const at = now.toISOString();
  const rows = rowsOf<TimedOutRow>(
    await tx.execute(sql`
      with due as (
        select ${r.id} as id from ${r}
         where ${r.status} = 'PendingApproval' and ${r.approvalDeadline} <= ${at}::timestamptz
         order by ${r.approvalDeadline}, ${r.id} limit ${limit} for update skip locked
      ), done as (
        update ${r} set status = 'TimedOut', completed_date_time = ${at}::timestamptz,
          failure_reason = 'No decision within ' || coalesce((${r.approvalStages} -> ${r.currentStage} ->> 'escalationHours')
            || ' hours', '24 hours') || '.'
          from due where ${r.id} = due.id and ${r.status} = 'PendingApproval'
        returning ${r.id} as id, ${r.action} as action, ${r.principalId} as principal_id,
          ${r.principalType} as principal_type, ${r.roleDefinitionId} as role_id, ${r.directoryScopeId} as scope,
          ${r.approvalDeadline} as approval_deadline
      )
      ${withNames(sql`done.approval_deadline, done.id`)}`),
  );
  if (rows.length === 0) return 0;
  await emitNotifications(
    tx,
    now,
    rows.map((x) => ({ type: "requestTimedOut" as const, requestId: x.id })),
  );
  // One chained insert, last: the audit chain lock is held for the shortest time.
  await writeAuditRows(
    tx,
    now,
    rows.map((x) => ({
      activity: requestActivity(x.action, "timed out"),
      operation: "request.timeout",
      actor: systemActor,
      target: { id: x.principal_id, type: x.principal_type, name: x.principal_name },
      role: { id: x.role_id, name: x.role_name },
      directoryScopeId: x.scope,
      requestId: x.id,
      details: {
        from: "PendingApproval",
        to: "TimedOut",
        deadline: toDate(x.approval_deadline)?.toISOString() ?? null,
        changed: [x.id],
      },
    })),
  );
  return rows.length;
}

/**
 * Expiring-soon notices: a live schedule ending within `days` (and not yet within the next reminder's
 * horizon, for the 14-day one), longer than that horizon in total, whose reminder column is empty.
 * Setting the column under the row lock makes each reminder go out once. Not a state change of the
 * assignment itself, so no audit row.
 */
async function queueNotices(tx: Db, now: Date, kind: ScheduleKind, days: 14 | 1, limit: number): Promise<number> {
  const t = kind === "eligibility" ? res : ras;
  const col = days === 14 ? t.expiringNotice14dAt : t.expiringNotice1dAt;
  const horizon = new Date(now.getTime() + days * ms.DAY);
  const claimed = await tx
    .select({ id: t.id })
    .from(t)
    .where(
      and(
        inArray(t.status, ["Provisioned", "Granted"]),
        gt(t.endDateTime, now),
        lte(t.endDateTime, horizon),
        days === 14 ? gt(t.endDateTime, new Date(now.getTime() + ms.DAY)) : undefined,
        sql`${t.endDateTime} - ${t.startDateTime} > ${`${days} days`}::interval`,
        isNull(col),
      ),
    )
    .orderBy(asc(t.endDateTime), asc(t.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  if (claimed.length === 0) return 0;
  const ids = claimed.map((c) => c.id);
  if (kind === "eligibility") {
    await tx
      .update(res)
      .set(days === 14 ? { expiringNotice14dAt: now } : { expiringNotice1dAt: now })
      .where(inArray(res.id, ids));
  } else {
    await tx
      .update(ras)
      .set(days === 14 ? { expiringNotice14dAt: now } : { expiringNotice1dAt: now })
      .where(inArray(ras.id, ids));
  }
  await emitNotifications(
    tx,
    now,
    ids.map((id) => ({ type: "expiringSoon" as const, kind, scheduleId: id, days })),
  );
  return ids.length;
}

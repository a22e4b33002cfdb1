import { and, asc, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import {
  roleAssignmentSchedules as ras,
  roleDefinitions,
  roleEligibilitySchedules as res,
  scheduleRequests,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { systemActor, type Ctx } from "../context";
import { emitNotification, emitNotifications } from "../notifications/emit";
import { ms } from "../rules/constants";
import { expireDueSchedules } from "../internal/expiry";
import { requestActivity } from "../internal/request-words";
import type { ScheduleKind } from "../internal/schedules";
import { auditChange } from "../internal/tx";

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

async function timeOutRequests(tx: Db, now: Date, limit: number): Promise<number> {
  const claimed = await tx
    .select({ id: scheduleRequests.id })
    .from(scheduleRequests)
    .where(and(eq(scheduleRequests.status, "PendingApproval"), lte(scheduleRequests.approvalDeadline, now)))
    .orderBy(asc(scheduleRequests.approvalDeadline), asc(scheduleRequests.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  if (claimed.length === 0) return 0;
  const rows = await tx
    .update(scheduleRequests)
    .set({
      status: "TimedOut",
      completedDateTime: now,
      failureReason: sql`'No decision within ' || coalesce((${scheduleRequests.approvalStages} -> ${scheduleRequests.currentStage} ->> 'escalationHours') || ' hours', '24 hours') || '.'`,
    })
    .where(
      and(
        inArray(
          scheduleRequests.id,
          claimed.map((c) => c.id),
        ),
        eq(scheduleRequests.status, "PendingApproval"),
      ),
    )
    .returning();
  const roleNames = new Map(
    (
      await tx
        .select({ id: roleDefinitions.id, n: roleDefinitions.displayName })
        .from(roleDefinitions)
        .where(inArray(roleDefinitions.id, [...new Set(rows.map((r) => r.roleDefinitionId))]))
    ).map((x) => [x.id, x.n]),
  );
  for (const r of rows) {
    await auditChange(tx, now, {
      activity: requestActivity(r.action, "timed out"),
      operation: "request.timeout",
      actor: systemActor,
      target: {
        id: r.principalId,
        type: r.principalType,
        name: await principalLabel(tx, r.principalType, r.principalId),
      },
      role: { id: r.roleDefinitionId, name: roleNames.get(r.roleDefinitionId) ?? r.roleDefinitionId },
      directoryScopeId: r.directoryScopeId,
      requestId: r.id,
      changed: [r.id],
      details: { from: "PendingApproval", to: "TimedOut", deadline: r.approvalDeadline?.toISOString() ?? null },
    });
    await emitNotification(tx, now, { type: "requestTimedOut", requestId: r.id });
  }
  return rows.length;
}

async function principalLabel(tx: Db, type: "User" | "Group" | "ServicePrincipal", id: string): Promise<string> {
  const table = type === "User" ? "users" : type === "Group" ? "groups" : "service_principals";
  const r = await tx.execute(sql`select display_name from ${sql.identifier(table)} where id = ${id}`);
  const rows = (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { display_name: string }[];
  return rows[0]?.display_name ?? "Unknown principal";
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

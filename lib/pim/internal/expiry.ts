import { and, eq, inArray, lte, sql, type SQL } from "drizzle-orm";
import {
  groups,
  roleAssignmentSchedules as ras,
  roleDefinitions,
  roleEligibilitySchedules as res,
  servicePrincipals,
  users,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { systemActor } from "../context";
import { emitNotifications } from "../notifications/emit";
import type { ScheduleKind } from "./schedules";
import { writeAuditRows } from "../audit";
import { rowsOf, toDate } from "../sql-rows";

export function expiryActivity(kind: ScheduleKind, assignmentType: "Assigned" | "Activated" | null): string {
  if (kind === "eligibility") return "Remove eligible member from role (PIM assignment expired)";
  return assignmentType === "Activated"
    ? "Remove member from role (PIM activation expired)"
    : "Remove member from role (PIM assignment expired)";
}

type ExpiredRow = {
  id: string;
  principal_id: string;
  principal_type: "User" | "Group" | "ServicePrincipal";
  principal_name: string;
  role_id: string;
  role_name: string;
  scope: string;
  end_date_time: Date | string | null;
  assignment_type: "Assigned" | "Activated" | null;
};

/**
 * The rows a batch statement's `done` CTE changed (with `role_id`, `principal_type`, `principal_id`), with the
 * role's and the principal's display names for their audit rows: one select after the update, shared by the
 * schedule sweep and the request time-outs.
 */
export const withNames = (orderBy: SQL): SQL => sql`
      select done.*, rd.display_name as role_name,
        coalesce(u.display_name, g.display_name, sp.display_name, 'Unknown principal') as principal_name
      from done
      join ${roleDefinitions} rd on rd.id = done.role_id
      left join ${users} u on done.principal_type = 'User' and u.id = done.principal_id
      left join ${groups} g on done.principal_type = 'Group' and g.id = done.principal_id
      left join ${servicePrincipals} sp on done.principal_type = 'ServicePrincipal' and sp.id = done.principal_id
      order by ${orderBy}`;

/**
 * Records expiry of live schedules whose end has passed (`end <= now`): status Expired, one audit row and
 * one "expired" notification event each. Set-based: ONE statement claims the due rows (`FOR UPDATE`;
 * `SKIP LOCKED` for the sweep, so two sweeps split the work and never handle a row twice; plain for inline
 * use, which waits and re-checks), marks them Expired and returns them with the principal's and role's
 * names; then one multi-row insert of their events and one chained batch of audit rows.
 * Access never depended on this: the window already ended.
 */
export async function expireDueSchedules(
  tx: Db,
  now: Date,
  kind: ScheduleKind,
  opts: { limit: number; skipLocked: boolean; where?: SQL },
): Promise<number> {
  const t = kind === "eligibility" ? res : ras;
  const due = and(inArray(t.status, ["Provisioned", "Granted"]), lte(t.endDateTime, now), opts.where);
  const lock = opts.skipLocked ? sql`for update skip locked` : sql`for update`;
  const at = now.toISOString();
  const rows = rowsOf<ExpiredRow>(
    await tx.execute(sql`
      with due as (
        select ${t.id} as id from ${t} where ${due}
        order by ${t.endDateTime}, ${t.id} limit ${opts.limit} ${lock}
      ), done as (
        update ${t} set status = 'Expired', updated_at = ${at}::timestamptz from due where ${t.id} = due.id
        returning ${t.id} as id, ${t.principalId} as principal_id, ${t.principalType} as principal_type,
          ${t.roleDefinitionId} as role_id, ${t.directoryScopeId} as scope, ${t.endDateTime} as end_date_time,
          ${kind === "assignment" ? ras.assignmentType : sql`null::text`} as assignment_type
      )
      ${withNames(sql`done.end_date_time, done.id`)}`),
  );
  if (rows.length === 0) return 0;
  await emitNotifications(
    tx,
    now,
    rows.map((r) => ({ type: "expired" as const, kind, scheduleId: r.id })),
  );
  // The batch's audit rows in one chained insert, last: the chain lock is held for the shortest time.
  await writeAuditRows(
    tx,
    now,
    rows.map((r) => ({
      activity: expiryActivity(kind, r.assignment_type),
      operation: "schedule.expire",
      actor: systemActor,
      target: { id: r.principal_id, type: r.principal_type, name: r.principal_name },
      role: { id: r.role_id, name: r.role_name },
      directoryScopeId: r.scope,
      details: { kind, scheduleId: r.id, endDateTime: toDate(r.end_date_time)?.toISOString() ?? null, changed: [r.id] },
    })),
  );
  return rows.length;
}

/** For the inline clean-up before a new activation: the person's stale live activation of this eligibility. */
export const staleActivationOf = (eligibilityId: string, principalId: string): SQL =>
  and(
    eq(ras.eligibilityScheduleId, eligibilityId),
    eq(ras.principalId, principalId),
    eq(ras.assignmentType, "Activated"),
  ) as SQL;

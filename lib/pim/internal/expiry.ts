import { and, asc, eq, inArray, lte, sql, type SQL } from "drizzle-orm";
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

const nameOf = (t: typeof ras | typeof res) =>
  sql<string>`coalesce(
    (select display_name from ${users} where ${users.id} = ${t.principalId} and ${t.principalType} = 'User'),
    (select display_name from ${groups} where ${groups.id} = ${t.principalId} and ${t.principalType} = 'Group'),
    (select display_name from ${servicePrincipals} where ${servicePrincipals.id} = ${t.principalId} and ${t.principalType} = 'ServicePrincipal'),
    'Unknown principal')`;

export function expiryActivity(kind: ScheduleKind, assignmentType: "Assigned" | "Activated" | null): string {
  if (kind === "eligibility") return "Remove eligible member from role (PIM assignment expired)";
  return assignmentType === "Activated"
    ? "Remove member from role (PIM activation expired)"
    : "Remove member from role (PIM assignment expired)";
}

/**
 * Records expiry of live schedules whose end has passed (`end <= now`): status Expired, one audit row and
 * one "expired" notice each. Rows are claimed with `FOR UPDATE` (`SKIP LOCKED` for the sweep, so two
 * sweeps split the work and never handle a row twice; plain for inline use, which waits and re-checks).
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
  const claimed = await tx
    .select({ id: t.id })
    .from(t)
    .where(due)
    .orderBy(asc(t.endDateTime), asc(t.id))
    .limit(opts.limit)
    .for("update", opts.skipLocked ? { skipLocked: true } : {});
  if (claimed.length === 0) return 0;
  const ids = claimed.map((c) => c.id);
  await tx.update(t).set({ status: "Expired", updatedAt: now }).where(inArray(t.id, ids));
  const rows = await tx
    .select({
      id: t.id,
      principalId: t.principalId,
      principalType: t.principalType,
      principalName: nameOf(t),
      roleId: t.roleDefinitionId,
      roleName: roleDefinitions.displayName,
      scope: t.directoryScopeId,
      end: t.endDateTime,
      assignmentType: kind === "assignment" ? ras.assignmentType : sql<null>`null`,
    })
    .from(t)
    .innerJoin(roleDefinitions, eq(roleDefinitions.id, t.roleDefinitionId))
    .where(inArray(t.id, ids))
    .orderBy(asc(t.endDateTime), asc(t.id));
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
      activity: expiryActivity(kind, r.assignmentType as "Assigned" | "Activated" | null),
      operation: "schedule.expire",
      actor: systemActor,
      target: { id: r.principalId, type: r.principalType, name: r.principalName },
      role: { id: r.roleId, name: r.roleName },
      directoryScopeId: r.scope,
      details: { kind, scheduleId: r.id, endDateTime: r.end?.toISOString() ?? null, changed: [r.id] },
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

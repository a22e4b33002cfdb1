import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { roleAssignmentSchedules as ras, scheduleRequests, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { writeAuditRows, type AuditInput } from "../audit";
import type { Actor } from "../context";
import { emitNotification } from "../notifications/emit";
import { revokeUserSessions, revokeUserTokens } from "./credentials";
import { loadRole, type RoleInfo } from "./directory";
import { assertNotLastGlobalAdmin } from "./privileged-users";
import { requestActivity } from "./request-words";
import { LIVE } from "./schedules";

export type DisableCounts = {
  sessionsEnded: number;
  tokensRevoked: number;
  requestsCanceled: number;
  activationsEnded: number;
};

/**
 * Disables a person in the caller's transaction: what "Disable user" does, shared by the Users page and
 * SCIM deprovisioning (`active: false`, DELETE). Last-Global-Administrator lockout first; then the account
 * is disabled, the person's sessions end, their personal API tokens are revoked, pending requests they made
 * or that are for them become Canceled, their live activations end now (Revoked; not started: Canceled),
 * each audited, and `summary` (the caller's summary row) is written with the counts. Notifications queued
 * in the same transaction. The caller has authorized the actor and locked the user row.
 */
export async function disableUserInTx(
  tx: Db,
  now: Date,
  actor: Actor,
  o: {
    target: { id: string; displayName: string; userPrincipalName: string };
    justification: string | null;
    summary: AuditInput;
  },
): Promise<DisableCounts> {
  const target = o.target;
  const who = { id: target.id, type: "User" as const, name: target.displayName };
  await assertNotLastGlobalAdmin(tx, target.id, target.displayName, now);
  await tx.update(users).set({ accountEnabled: false, updatedAt: now }).where(eq(users.id, target.id));
  const sessionsEnded = await revokeUserSessions(tx, target.id, now);
  const tokensRevoked = await revokeUserTokens(tx, target.id, now);
  // row locks first, the audit chain lock last (the order every use case keeps: no deadlock with the sweep)
  const requests = await cancelPendingRequests(tx, now, target.id);
  const activations = await endActivations(tx, now, target.id);

  const roles = new Map<string, RoleInfo>();
  const role = async (id: string) => roles.get(id) ?? roles.set(id, await loadRole(tx, id)).get(id)!;
  const rows: AuditInput[] = [];
  for (const r of requests) {
    const ro = await role(r.roleDefinitionId);
    rows.push({
      activity: requestActivity(r.action, "canceled"),
      operation: "request.cancel",
      actor,
      target: r.principalId === target.id ? who : null,
      role: { id: ro.id, name: ro.name },
      directoryScopeId: r.directoryScopeId,
      requestId: r.id,
      justification: o.justification,
      details: { from: "PendingApproval", to: "Canceled", action: r.action, reason: "user disabled", changed: [r.id] },
    });
  }
  for (const a of activations) {
    const ro = await role(a.roleDefinitionId);
    rows.push({
      activity: "Remove member from role (PIM activation ended: user disabled)",
      operation: "schedule.userDisabled",
      actor,
      target: who,
      role: { id: ro.id, name: ro.name },
      directoryScopeId: a.directoryScopeId,
      justification: o.justification,
      details: { scheduleId: a.id, to: a.status, endDateTime: a.endDateTime?.toISOString() ?? null, changed: [a.id] },
    });
  }
  const counts = {
    sessionsEnded,
    tokensRevoked,
    requestsCanceled: requests.length,
    activationsEnded: activations.length,
  };
  rows.push({
    ...o.summary,
    details: { ...o.summary.details, accountEnabled: false, ...counts, eligibilitiesKept: true },
  });
  await writeAuditRows(tx, now, rows);
  for (const r of requests) await emitNotification(tx, now, { type: "requestCanceled", requestId: r.id });
  for (const a of activations) {
    if (a.status === "Revoked")
      await emitNotification(tx, now, {
        type: "assignmentRemoved",
        kind: "assignment",
        scheduleId: a.id,
        requestId: null,
      });
  }
  return counts;
}

/** Pending requests the person made or that are for them: locked, then Canceled (completed now). */
async function cancelPendingRequests(tx: Db, now: Date, userId: string) {
  const pending = await tx
    .select({
      id: scheduleRequests.id,
      action: scheduleRequests.action,
      principalId: scheduleRequests.principalId,
      roleDefinitionId: scheduleRequests.roleDefinitionId,
      directoryScopeId: scheduleRequests.directoryScopeId,
    })
    .from(scheduleRequests)
    .where(
      and(
        eq(scheduleRequests.status, "PendingApproval"),
        or(eq(scheduleRequests.principalId, userId), eq(scheduleRequests.requestorId, userId)),
      ),
    )
    .orderBy(scheduleRequests.createdDateTime, scheduleRequests.id)
    .for("update");
  if (pending.length === 0) return [];
  await tx
    .update(scheduleRequests)
    .set({
      status: "Canceled",
      completedDateTime: now,
      failureReason: "The requester's or member's account was disabled.",
    })
    .where(
      and(
        inArray(
          scheduleRequests.id,
          pending.map((r) => r.id),
        ),
        eq(scheduleRequests.status, "PendingApproval"),
      ),
    );
  return pending;
}

/** The person's live activations not over yet: ended now (Revoked), or Canceled when they had not started. */
async function endActivations(tx: Db, now: Date, userId: string) {
  const live = await tx
    .select({ id: ras.id, start: ras.startDateTime })
    .from(ras)
    .where(
      and(
        eq(ras.principalId, userId),
        eq(ras.assignmentType, "Activated"),
        sql`${ras.status} in ${sql.raw(`('${LIVE.join("','")}')`)}`,
        or(isNull(ras.endDateTime), gt(ras.endDateTime, now)),
      ),
    )
    .orderBy(ras.startDateTime, ras.id)
    .for("update");
  const ended = [];
  for (const a of live) {
    const notStarted = a.start > now;
    const [row] = await tx
      .update(ras)
      .set(
        notStarted
          ? { status: "Canceled", endDateTime: a.start, updatedAt: now }
          : { status: "Revoked", endDateTime: now, updatedAt: now },
      )
      .where(eq(ras.id, a.id))
      .returning({
        id: ras.id,
        status: ras.status,
        endDateTime: ras.endDateTime,
        roleDefinitionId: ras.roleDefinitionId,
        directoryScopeId: ras.directoryScopeId,
      });
    if (row) ended.push(row);
  }
  return ended;
}

import { and, eq } from "drizzle-orm";
import { scheduleRequests } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Actor } from "../context";
import { PimError } from "../errors";
import { emitNotification } from "../notifications/emit";
import { stageDeadline } from "../rules/constants";
import { DEFAULT_STAGE } from "./approval";
import { loadRole } from "./directory";
import { requestActivity } from "./request-words";
import { insertRequest, lockSchedule, type ScheduleKind, type ScheduleRow } from "./schedules";
import { auditChange, type UseCaseMeta } from "./tx";

/** Locks one of the actor's own schedules (held directly) for a self-service request. */
export async function lockOwnSchedule(
  tx: Db,
  actor: Actor,
  kind: ScheduleKind,
  id: string,
  meta: UseCaseMeta,
): Promise<ScheduleRow> {
  const s = await lockSchedule(tx, kind, id);
  if (!s || s.principalId !== actor.id) throw new PimError("NotFound", "The assignment was not found among yours.");
  const role = await loadRole(tx, s.roleDefinitionId);
  meta.role = { id: role.id, name: role.name };
  meta.target = { id: actor.id, type: "User", name: actor.displayName };
  meta.directoryScopeId = s.directoryScopeId;
  return s;
}

/**
 * Files a self-service extension or renewal request for the GA/PRA holders to approve (one stage, any one,
 * 24-hour deadline). At most one pending request per schedule (checked under the schedule's row lock).
 */
export async function fileSelfRequest(
  tx: Db,
  now: Date,
  actor: Actor,
  s: ScheduleRow,
  action: "selfExtend" | "selfRenew",
  v: { endDateTime: Date | null; justification?: string; ticketNumber?: string; ticketSystem?: string },
  meta: UseCaseMeta,
): Promise<{ requestId: string; status: "PendingApproval" }> {
  const [pending] = await tx
    .select({ id: scheduleRequests.id })
    .from(scheduleRequests)
    .where(
      and(
        eq(scheduleRequests.targetScheduleId, s.id),
        eq(scheduleRequests.status, "PendingApproval"),
        eq(scheduleRequests.action, action),
      ),
    )
    .limit(1);
  if (pending)
    throw new PimError(
      "Conflict",
      `You already asked to ${action === "selfExtend" ? "extend" : "renew"} this assignment; wait for the decision.`,
    );
  const request = await insertRequest(tx, now, actor, {
    requestType: s.kind,
    action,
    status: "PendingApproval",
    principalId: s.principalId,
    principalType: s.principalType,
    roleDefinitionId: s.roleDefinitionId,
    directoryScopeId: s.directoryScopeId,
    justification: v.justification,
    ticketNumber: v.ticketNumber,
    ticketSystem: v.ticketSystem,
    startDateTime: action === "selfRenew" ? now : s.startDateTime,
    endDateTime: v.endDateTime,
    targetScheduleId: s.id,
    eligibilityScheduleId: s.eligibilityScheduleId,
    approvalStages: [DEFAULT_STAGE],
    approvalDeadline: stageDeadline(now, DEFAULT_STAGE),
    completed: false,
  });
  await auditChange(tx, now, {
    activity: requestActivity(action, "requested"),
    operation: action,
    actor,
    target: meta.target,
    role: meta.role,
    directoryScopeId: s.directoryScopeId,
    requestId: request.id,
    justification: v.justification,
    ticketNumber: v.ticketNumber,
    ticketSystem: v.ticketSystem,
    changed: [request.id],
    details: { kind: s.kind, scheduleId: s.id, endDateTime: v.endDateTime?.toISOString() ?? null },
  });
  await emitNotification(tx, now, { type: "activationPendingApproval", requestId: request.id });
  return { requestId: request.id, status: "PendingApproval" };
}

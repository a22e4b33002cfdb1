import { assignRoleInput, type AssignRoleInput } from "@/lib/validation/pim";
import type { Actor, Ctx } from "../context";
import { emitNotification } from "../notifications/emit";
import { checkGroupAccessTarget } from "../groups/access-definitions";
import { assertMayManageAccess } from "../groups/group-ownership";
import { getRoleSettings } from "../role-settings";
import { loadPrincipal, loadRole, resolveScope } from "../internal/directory";
import {
  adminActivity,
  assertNoOverlap,
  checkActiveAssignmentExtras,
  checkAssignmentWindow,
  checkPrincipal,
} from "../internal/assignment-rules";
import { insertRequest, insertSchedule, type ScheduleRow } from "../internal/schedules";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

export type AdminChangeResult = { requestId: string; schedule: ScheduleRow };

/**
 * Admin assignment (Graph adminAssign): makes a user, group or service principal eligible for, or active in,
 * a role at a scope, permanently or for a window. Rules: actor holds GA/PRA now (or, for a group's membership,
 * owns the group now: `assertMayManageAccess`); service principals only
 * active; permanent only when the role allows it, else at most eligibleMaxDays/activeMaxDays; at least 5
 * minutes; an active assignment needs a justification and recent MFA when the role says so; no overlapping
 * assignment of the same kind. One transaction: schedule_requests row (Provisioned, or Granted for a future
 * start), the schedule, the audit row and the notification.
 */
export async function assignRole(ctx: Ctx, actor: Actor, raw: AssignRoleInput): Promise<AdminChangeResult> {
  const input = parseInput(assignRoleInput, raw);
  const kind = input.assignmentType === "Eligible" ? "eligibility" : "assignment";
  const meta: UseCaseMeta = {
    operation: "adminAssign",
    activity: adminActivity("Add", kind),
    directoryScopeId: input.directoryScopeId,
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    const role = await loadRole(tx, input.roleDefinitionId);
    meta.role = { id: role.id, name: role.name };
    await assertMayManageAccess(tx, actor, now, role, "assign roles");
    const [principal, scopeName] = [
      await loadPrincipal(tx, input.principalType, input.principalId),
      await resolveScope(tx, input.directoryScopeId),
    ];
    meta.target = { id: principal.id, type: principal.type, name: principal.name };
    checkPrincipal(principal, kind);
    checkGroupAccessTarget(role, input.directoryScopeId, principal);
    const settings = await getRoleSettings(tx, role.id, input.directoryScopeId);
    const start = input.startDateTime && input.startDateTime > now ? input.startDateTime : now;
    const end = input.endDateTime ?? null;
    checkAssignmentWindow(settings, role, kind, start, end, now);
    const mfa =
      kind === "assignment" ? checkActiveAssignmentExtras(settings, role, actor, now, input.justification) : false;
    await assertNoOverlap(tx, kind, principal, role, input.directoryScopeId, scopeName, start, end);

    const status = start > now ? "Granted" : "Provisioned";
    const schedule = await insertSchedule(tx, kind, now, {
      principalId: principal.id,
      principalType: principal.type,
      roleDefinitionId: role.id,
      directoryScopeId: input.directoryScopeId,
      status,
      startDateTime: start,
      endDateTime: end,
      assignmentType: "Assigned",
      createdUsing: null,
      createdBy: actor.id,
    });
    const request = await insertRequest(tx, now, actor, {
      requestType: kind,
      action: "adminAssign",
      status,
      principalId: principal.id,
      principalType: principal.type,
      roleDefinitionId: role.id,
      directoryScopeId: input.directoryScopeId,
      justification: input.justification,
      ticketNumber: input.ticketNumber,
      ticketSystem: input.ticketSystem,
      startDateTime: start,
      endDateTime: end,
      targetScheduleId: schedule.id,
      mfaVerified: mfa,
      completed: true,
    });
    await auditChange(tx, now, {
      activity: adminActivity("Add", kind, end),
      operation: "adminAssign",
      actor,
      target: meta.target,
      role: meta.role,
      directoryScopeId: input.directoryScopeId,
      requestId: request.id,
      justification: input.justification,
      ticketNumber: input.ticketNumber,
      ticketSystem: input.ticketSystem,
      changed: [request.id, schedule.id],
      details: {
        kind,
        scheduleId: schedule.id,
        startDateTime: start.toISOString(),
        endDateTime: end?.toISOString() ?? null,
        status,
      },
    });
    await emitNotification(tx, now, {
      type: kind === "eligibility" ? "eligibleAssigned" : "activeAssigned",
      scheduleId: schedule.id,
      requestId: request.id,
    });
    return { requestId: request.id, schedule };
  });
}

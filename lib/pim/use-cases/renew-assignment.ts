import { renewAssignmentInput, type RenewAssignmentInput } from "@/lib/validation/pim";
import { assertMayManageSchedule } from "../groups/group-ownership";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { emitNotification } from "../notifications/emit";
import { auditAdminChange, lockAdminTarget } from "../internal/admin-target";
import {
  adminActivity,
  assertNoOverlap,
  checkActiveAssignmentExtras,
  checkAssignmentWindow,
  checkPrincipal,
} from "../internal/assignment-rules";
import { insertRequest, insertSchedule } from "../internal/schedules";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import type { AdminChangeResult } from "./assign-role";

/**
 * Admin renewal (Graph adminRenew) of an eligible or admin-given active assignment that has ended (expired
 * or removed): a new schedule for the same principal, role and scope, under the same rules as assigning.
 * The old row stays as history.
 */
export async function renewAssignment(ctx: Ctx, actor: Actor, raw: RenewAssignmentInput): Promise<AdminChangeResult> {
  const input = parseInput(renewAssignmentInput, raw);
  const meta: UseCaseMeta = {
    operation: "adminRenew",
    activity: adminActivity("Renew", input.kind),
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertMayManageSchedule(tx, actor, now, input.kind, input.scheduleId, "renew role assignments");
    const t = await lockAdminTarget(tx, input.kind, input.scheduleId, meta);
    const s = t.schedule;
    const ended = s.status === "Expired" || s.status === "Revoked" || (s.endDateTime !== null && s.endDateTime <= now);
    if (!ended || s.status === "Canceled")
      throw new PimError("Conflict", "Only an assignment that has ended can be renewed; extend it instead.");
    if (s.assignmentType === "Activated")
      throw new PimError("Conflict", "Activations are not renewed; activate the role again.");
    checkPrincipal(t.principal, s.kind);
    const start = input.startDateTime && input.startDateTime > now ? input.startDateTime : now;
    const end = input.endDateTime ?? null;
    checkAssignmentWindow(t.settings, t.role, s.kind, start, end, now);
    const mfa =
      s.kind === "assignment"
        ? checkActiveAssignmentExtras(t.settings, t.role, actor, now, input.justification)
        : false;
    await assertNoOverlap(tx, s.kind, t.principal, t.role, s.directoryScopeId, t.scopeName, start, end);

    const status = start > now ? "Granted" : "Provisioned";
    const schedule = await insertSchedule(tx, s.kind, now, {
      principalId: s.principalId,
      principalType: s.principalType,
      roleDefinitionId: s.roleDefinitionId,
      directoryScopeId: s.directoryScopeId,
      status,
      startDateTime: start,
      endDateTime: end,
      assignmentType: "Assigned",
      createdUsing: s.id,
      createdBy: actor.id,
    });
    const request = await insertRequest(tx, now, actor, {
      requestType: s.kind,
      action: "adminRenew",
      status,
      principalId: s.principalId,
      principalType: s.principalType,
      roleDefinitionId: s.roleDefinitionId,
      directoryScopeId: s.directoryScopeId,
      justification: input.justification,
      ticketNumber: input.ticketNumber,
      ticketSystem: input.ticketSystem,
      startDateTime: start,
      endDateTime: end,
      targetScheduleId: schedule.id,
      mfaVerified: mfa,
      completed: true,
    });
    await auditAdminChange(tx, now, actor, meta, s, {
      activity: adminActivity("Renew", s.kind, end),
      operation: "adminRenew",
      requestId: request.id,
      input,
      changed: [request.id, schedule.id],
      details: {
        kind: s.kind,
        scheduleId: schedule.id,
        renewedScheduleId: s.id,
        startDateTime: start.toISOString(),
        endDateTime: end?.toISOString() ?? null,
      },
    });
    await emitNotification(tx, now, {
      type: s.kind === "eligibility" ? "eligibleAssigned" : "activeAssigned",
      scheduleId: schedule.id,
      requestId: request.id,
    });
    return { requestId: request.id, schedule };
  });
}

import { extendAssignmentInput, type ExtendAssignmentInput } from "@/lib/validation/pim";
import { assertMayManageSchedule } from "../groups/group-ownership";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { emitNotification } from "../notifications/emit";
import { auditAdminChange, lockAdminTarget } from "../internal/admin-target";
import {
  adminActivity,
  checkActiveAssignmentExtras,
  checkAssignmentWindow,
  kindWord,
} from "../internal/assignment-rules";
import { insertRequest, notOverAt, patchSchedule } from "../internal/schedules";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import type { AdminChangeResult } from "./assign-role";

/**
 * Admin extension (Graph adminExtend) of a time-bound eligible or admin-given active assignment that has not
 * ended: a later end (or permanent, when allowed). The maximum length counts from now, so an expiring
 * assignment can always get up to a full term again. Also used to grant an approved self-extension.
 */
export async function extendAssignment(ctx: Ctx, actor: Actor, raw: ExtendAssignmentInput): Promise<AdminChangeResult> {
  const input = parseInput(extendAssignmentInput, raw);
  const meta: UseCaseMeta = {
    operation: "adminExtend",
    activity: adminActivity("Extend", input.kind),
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertMayManageSchedule(tx, actor, now, input.kind, input.scheduleId, "extend role assignments");
    const t = await lockAdminTarget(tx, input.kind, input.scheduleId, meta);
    const s = t.schedule;
    if (!notOverAt(s, now))
      throw new PimError("Conflict", `This ${kindWord(s.kind)} assignment has already ended; renew it instead.`);
    if (s.assignmentType === "Activated")
      throw new PimError("Conflict", "Activations are extended by their holder's request.");
    if (s.endDateTime === null)
      throw new PimError("Conflict", "This assignment is permanent; there is nothing to extend.");
    const end = input.endDateTime ?? null;
    if (end !== null && end <= s.endDateTime)
      throw new PimError("ExpirationRule", "The new end must be later than the current end.");
    checkAssignmentWindow(t.settings, t.role, s.kind, s.startDateTime, end, now, now);
    const mfa =
      s.kind === "assignment"
        ? checkActiveAssignmentExtras(t.settings, t.role, actor, now, input.justification)
        : false;

    const updated = await patchSchedule(tx, s.kind, s.id, now, { endDateTime: end });
    const request = await insertRequest(tx, now, actor, {
      requestType: s.kind,
      action: "adminExtend",
      status: "Provisioned",
      principalId: s.principalId,
      principalType: s.principalType,
      roleDefinitionId: s.roleDefinitionId,
      directoryScopeId: s.directoryScopeId,
      justification: input.justification,
      ticketNumber: input.ticketNumber,
      ticketSystem: input.ticketSystem,
      startDateTime: s.startDateTime,
      endDateTime: end,
      targetScheduleId: s.id,
      mfaVerified: mfa,
      completed: true,
    });
    await auditAdminChange(tx, now, actor, meta, s, {
      activity: adminActivity("Extend", s.kind, end),
      operation: "adminExtend",
      requestId: request.id,
      input,
      changed: [request.id, s.id],
      details: {
        kind: s.kind,
        scheduleId: s.id,
        before: { endDateTime: s.endDateTime.toISOString() },
        after: { endDateTime: end?.toISOString() ?? null },
      },
    });
    await emitNotification(tx, now, {
      type: s.kind === "eligibility" ? "eligibleAssigned" : "activeAssigned",
      scheduleId: s.id,
      requestId: request.id,
    });
    return { requestId: request.id, schedule: updated };
  });
}

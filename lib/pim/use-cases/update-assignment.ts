import { updateAssignmentInput, type UpdateAssignmentInput } from "@/lib/validation/pim";
import { assertMayManageSchedule } from "../groups/group-ownership";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { auditAdminChange, lockAdminTarget } from "../internal/admin-target";
import {
  adminActivity,
  assertNoOverlap,
  assertNotLastAdmin,
  checkActiveAssignmentExtras,
  checkAssignmentWindow,
  clampActivations,
  kindWord,
} from "../internal/assignment-rules";
import { insertRequest, notOverAt, patchSchedule } from "../internal/schedules";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import type { AdminChangeResult } from "./assign-role";

/**
 * Admin update (Graph adminUpdate) of an eligible or admin-given active assignment that has not ended: a new
 * end (or permanent), and a new start while it has not started. Same rules as assigning. Cutting the last
 * active GA/PRA short is refused; shortening an eligibility shortens the activations made from it.
 */
export async function updateAssignment(ctx: Ctx, actor: Actor, raw: UpdateAssignmentInput): Promise<AdminChangeResult> {
  const input = parseInput(updateAssignmentInput, raw);
  const meta: UseCaseMeta = {
    operation: "adminUpdate",
    activity: adminActivity("Update", input.kind),
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertMayManageSchedule(tx, actor, now, input.kind, input.scheduleId, "update role assignments");
    const t = await lockAdminTarget(tx, input.kind, input.scheduleId, meta);
    const s = t.schedule;
    if (!notOverAt(s, now))
      throw new PimError("Conflict", `This ${kindWord(s.kind)} assignment has already ended; renew it instead.`);
    if (s.assignmentType === "Activated") throw new PimError("Conflict", "Activations cannot be updated by an admin.");
    const started = s.startDateTime <= now;
    if (started && input.startDateTime && input.startDateTime.getTime() !== s.startDateTime.getTime()) {
      throw new PimError("ValidationFailed", "The start of an assignment that has begun cannot change.", {
        fieldErrors: { startDateTime: ["It has already started."] },
      });
    }
    const start = started
      ? s.startDateTime
      : input.startDateTime && input.startDateTime > now
        ? input.startDateTime
        : s.startDateTime;
    const end = input.endDateTime ?? null;
    checkAssignmentWindow(t.settings, t.role, s.kind, start, end, now);
    const mfa =
      s.kind === "assignment"
        ? checkActiveAssignmentExtras(t.settings, t.role, actor, now, input.justification)
        : false;
    if (end !== null && (s.endDateTime === null || end < s.endDateTime))
      await assertNotLastAdmin(tx, s, t.role, t.principal.name, now);
    await assertNoOverlap(tx, s.kind, t.principal, t.role, s.directoryScopeId, t.scopeName, start, end, s.id);

    const updated = await patchSchedule(tx, s.kind, s.id, now, { startDateTime: start, endDateTime: end });
    const request = await insertRequest(tx, now, actor, {
      requestType: s.kind,
      action: "adminUpdate",
      status: "Provisioned",
      principalId: s.principalId,
      principalType: s.principalType,
      roleDefinitionId: s.roleDefinitionId,
      directoryScopeId: s.directoryScopeId,
      justification: input.justification,
      ticketNumber: input.ticketNumber,
      ticketSystem: input.ticketSystem,
      startDateTime: start,
      endDateTime: end,
      targetScheduleId: s.id,
      mfaVerified: mfa,
      completed: true,
    });
    // row locks before the audit chain lock (see remove-assignment)
    if (s.kind === "eligibility" && end)
      await clampActivations(tx, now, actor, s, end, "eligibility shortened", t.role, request.id);
    await auditAdminChange(tx, now, actor, meta, s, {
      activity: adminActivity("Update", s.kind),
      operation: "adminUpdate",
      requestId: request.id,
      input,
      changed: [request.id, s.id],
      details: {
        kind: s.kind,
        scheduleId: s.id,
        before: { startDateTime: s.startDateTime.toISOString(), endDateTime: s.endDateTime?.toISOString() ?? null },
        after: { startDateTime: start.toISOString(), endDateTime: end?.toISOString() ?? null },
      },
    });
    return { requestId: request.id, schedule: updated };
  });
}

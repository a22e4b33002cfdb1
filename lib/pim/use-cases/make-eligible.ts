import { z } from "zod";
import { requiredText } from "@/lib/validation/text";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { emitNotification } from "../notifications/emit";
import { ms } from "../rules/constants";
import { adminActivity, assertNoOverlap } from "../internal/assignment-rules";
import { loadPrincipal, loadRole, resolveScope } from "../internal/directory";
import { insertRequest, insertSchedule, lockSchedule } from "../internal/schedules";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import { getRoleSettings } from "../role-settings";
import { removeScheduleInTx } from "./remove-assignment";

export const makeEligibleInput = z.object({
  scheduleId: z.uuid(),
  justification: requiredText({ max: 500, required: "Give a reason." }),
});

/**
 * "Make eligible" (alerts and Discovery's "Eliminate standing access"): ends a standing active assignment
 * and gives the same person an eligible assignment to the same role and scope instead, in ONE transaction.
 * The removal keeps every rule of adminRemove (5-minute grace, lockout protection of the last GA/PRA); the
 * eligibility keeps the active end (a permanent one stays permanent when the role allows it, else it ends
 * after the role's maximum). When the person is already eligible, only the active assignment ends.
 */
export async function makeEligible(
  ctx: Ctx,
  actor: Actor,
  raw: z.input<typeof makeEligibleInput>,
): Promise<{ removedScheduleId: string; eligibilityId: string | null }> {
  const input = parseInput(makeEligibleInput, raw);
  const meta: UseCaseMeta = {
    operation: "adminRemove",
    activity: adminActivity("Remove", "assignment"),
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "change role assignments");
    const s = await lockSchedule(tx, "assignment", input.scheduleId);
    if (!s) throw new PimError("NotFound", "The active assignment was not found.");
    if (s.assignmentType !== "Assigned")
      throw new PimError("Conflict", "Only an assigned (standing) active assignment can be made eligible.");
    if (s.principalType === "ServicePrincipal")
      throw new PimError("Conflict", "A service principal cannot be eligible: remove the assignment instead.");
    await removeScheduleInTx(
      tx,
      now,
      actor,
      {
        kind: "assignment",
        scheduleId: s.id,
        justification: input.justification,
        ticketNumber: undefined,
        ticketSystem: undefined,
      },
      meta,
      {
        replacedBy: "eligibility",
      },
    );
    const settings = await getRoleSettings(tx, s.roleDefinitionId, s.directoryScopeId);
    const principal = await loadPrincipal(tx, s.principalType, s.principalId);
    const role = await loadRole(tx, s.roleDefinitionId);
    const scopeName = await resolveScope(tx, s.directoryScopeId);
    let end = s.endDateTime;
    if (end === null && !settings.allowPermanentEligible)
      end = new Date(now.getTime() + settings.eligibleMaxDays * ms.DAY);
    try {
      await assertNoOverlap(tx, "eligibility", principal, role, s.directoryScopeId, scopeName, now, end);
    } catch (e) {
      if (e instanceof PimError && e.code === "Conflict") return { removedScheduleId: s.id, eligibilityId: null };
      throw e;
    }
    const schedule = await insertSchedule(tx, "eligibility", now, {
      principalId: s.principalId,
      principalType: s.principalType,
      roleDefinitionId: s.roleDefinitionId,
      directoryScopeId: s.directoryScopeId,
      status: "Provisioned",
      startDateTime: now,
      endDateTime: end,
      createdUsing: null,
      createdBy: actor.id,
    });
    const request = await insertRequest(tx, now, actor, {
      requestType: "eligibility",
      action: "adminAssign",
      status: "Provisioned",
      principalId: s.principalId,
      principalType: s.principalType,
      roleDefinitionId: s.roleDefinitionId,
      directoryScopeId: s.directoryScopeId,
      justification: input.justification,
      startDateTime: now,
      endDateTime: end,
      targetScheduleId: schedule.id,
      completed: true,
    });
    await auditChange(tx, now, {
      activity: adminActivity("Add", "eligibility", end),
      operation: "adminAssign",
      actor,
      target: meta.target,
      role: meta.role,
      directoryScopeId: s.directoryScopeId,
      requestId: request.id,
      justification: input.justification,
      changed: [request.id, schedule.id],
      details: {
        kind: "eligibility",
        scheduleId: schedule.id,
        replaces: s.id,
        endDateTime: end?.toISOString() ?? null,
      },
    });
    await emitNotification(tx, now, { type: "eligibleAssigned", scheduleId: schedule.id, requestId: request.id });
    return { removedScheduleId: s.id, eligibilityId: schedule.id };
  });
}

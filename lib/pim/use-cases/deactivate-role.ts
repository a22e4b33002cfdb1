import { and, asc, eq, gt, inArray, isNull, or } from "drizzle-orm";
import { roleAssignmentSchedules as ras } from "@/db/schema";
import { deactivateRoleInput, type DeactivateRoleInput } from "@/lib/validation/pim";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { REMOVE_GRACE_MS } from "../rules/constants";
import { utc } from "../rules/durations";
import { loadRole } from "../internal/directory";
import { insertRequest, lockSchedule, patchSchedule, type ScheduleRow } from "../internal/schedules";
import { emitNotification } from "../notifications/emit";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

export type DeactivationResult = { requestId: string; schedule: ScheduleRow };

/**
 * Self-deactivation (Graph selfDeactivate) of the actor's own live activation, by schedule id or by role and
 * scope. Access stops at once: the end is set to now and the status to Revoked (a scheduled one that has not
 * started becomes Canceled). Refused within 5 minutes (REMOVE_GRACE_MS) of the activation's start (§4).
 */
export async function deactivateRole(ctx: Ctx, actor: Actor, raw: DeactivateRoleInput): Promise<DeactivationResult> {
  const input = parseInput(deactivateRoleInput, raw);
  const meta: UseCaseMeta = {
    operation: "selfDeactivate",
    activity: "Remove member from role completed (PIM deactivation)",
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    const [found] = await tx
      .select({ id: ras.id })
      .from(ras)
      .where(
        and(
          input.scheduleId ? eq(ras.id, input.scheduleId) : undefined,
          input.roleDefinitionId
            ? and(eq(ras.roleDefinitionId, input.roleDefinitionId), eq(ras.directoryScopeId, input.directoryScopeId))
            : undefined,
          eq(ras.principalId, actor.id),
          eq(ras.assignmentType, "Activated"),
          inArray(ras.status, ["Provisioned", "Granted"]),
          or(isNull(ras.endDateTime), gt(ras.endDateTime, now)),
        ),
      )
      .orderBy(asc(ras.startDateTime), asc(ras.id))
      .limit(1);
    if (!found) throw new PimError("NotFound", "You have no active activation of this role to deactivate.");
    const s = await lockSchedule(tx, "assignment", found.id);
    if (
      !s ||
      (s.status !== "Provisioned" && s.status !== "Granted") ||
      (s.endDateTime !== null && s.endDateTime <= now)
    ) {
      throw new PimError("Conflict", "This activation has just ended.");
    }
    const role = await loadRole(tx, s.roleDefinitionId);
    meta.role = { id: role.id, name: role.name };
    meta.target = { id: actor.id, type: "User", name: actor.displayName };
    meta.directoryScopeId = s.directoryScopeId;
    const future = s.startDateTime > now;
    if (!future && now.getTime() - s.startDateTime.getTime() < REMOVE_GRACE_MS) {
      throw new PimError(
        "ExpirationRule",
        `An activation cannot be deactivated within ${REMOVE_GRACE_MS / 60_000} minutes of its start; try again after ${utc(new Date(s.startDateTime.getTime() + REMOVE_GRACE_MS))}.`,
      );
    }
    const updated = await patchSchedule(
      tx,
      "assignment",
      s.id,
      now,
      future ? { status: "Canceled" } : { status: "Revoked", endDateTime: now },
    );
    const request = await insertRequest(tx, now, actor, {
      requestType: "assignment",
      action: "selfDeactivate",
      status: "Revoked",
      principalId: actor.id,
      principalType: "User",
      roleDefinitionId: s.roleDefinitionId,
      directoryScopeId: s.directoryScopeId,
      justification: input.justification,
      targetScheduleId: s.id,
      eligibilityScheduleId: s.eligibilityScheduleId,
      completed: true,
    });
    await auditChange(tx, now, {
      activity: "Remove member from role completed (PIM deactivation)",
      operation: "selfDeactivate",
      actor,
      target: meta.target,
      role: meta.role,
      directoryScopeId: s.directoryScopeId,
      requestId: request.id,
      justification: input.justification,
      changed: [request.id, s.id],
      details: { scheduleId: s.id, from: s.status, to: updated.status },
    });
    await emitNotification(tx, now, { type: "roleDeactivated", scheduleId: s.id, requestId: request.id });
    return { requestId: request.id, schedule: updated };
  });
}

import type { z } from "zod";
import type { Db } from "@/db/types";
import { removeAssignmentInput, type RemoveAssignmentInput } from "@/lib/validation/pim";
import { assertMayManageSchedule } from "../groups/group-ownership";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { emitNotification } from "../notifications/emit";
import { REMOVE_GRACE_MS } from "../rules/constants";
import { utc } from "../rules/durations";
import { auditAdminChange, lockAdminTarget } from "../internal/admin-target";
import { adminActivity, assertNotLastAdmin, clampActivations, kindWord } from "../internal/assignment-rules";
import { insertRequest, notOverAt, patchSchedule } from "../internal/schedules";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import type { AdminChangeResult } from "./assign-role";

export type ParsedRemoveInput = z.output<typeof removeAssignmentInput>;

/**
 * Admin removal (Graph adminRemove) of an eligible or active assignment that has not ended. Sets the end to
 * now and the status to Revoked (a future one becomes Canceled), so access stops at once. Refused within 5
 * minutes of creation, and for the last active Global Administrator / Privileged Role Administrator
 * (LockoutProtection). Removing an eligibility ends the activations made from it.
 */
export async function removeAssignment(ctx: Ctx, actor: Actor, raw: RemoveAssignmentInput): Promise<AdminChangeResult> {
  const input = parseInput(removeAssignmentInput, raw);
  const meta: UseCaseMeta = {
    operation: "adminRemove",
    activity: adminActivity("Remove", input.kind),
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertMayManageSchedule(tx, actor, now, input.kind, input.scheduleId, "remove role assignments");
    return removeScheduleInTx(tx, now, actor, input, meta);
  });
}

/**
 * The removal itself, in the caller's transaction, once the caller has authorized it (an admin above; an
 * access review's application, authorized when the review was applied or by its auto-apply setting). Every
 * rule of the removal holds here: the 5-minute grace, activations not removable, lockout protection.
 */
export async function removeScheduleInTx(
  tx: Db,
  now: Date,
  actor: Actor,
  input: ParsedRemoveInput,
  meta: UseCaseMeta,
  extraDetails: Record<string, unknown> = {},
): Promise<AdminChangeResult> {
  const t = await lockAdminTarget(tx, input.kind, input.scheduleId, meta);
  const s = t.schedule;
  if (!notOverAt(s, now)) throw new PimError("Conflict", `This ${kindWord(s.kind)} assignment has already ended.`);
  if (s.kind === "assignment" && s.assignmentType === "Activated") {
    throw new PimError(
      "Conflict",
      "This is an activation; the holder deactivates it, or remove the eligibility it came from.",
    );
  }
  if (now.getTime() - s.createdAt.getTime() < REMOVE_GRACE_MS) {
    throw new PimError(
      "ExpirationRule",
      `An assignment cannot be removed within ${REMOVE_GRACE_MS / 60_000} minutes of its creation; try again after ${utc(new Date(s.createdAt.getTime() + REMOVE_GRACE_MS))}.`,
    );
  }
  await assertNotLastAdmin(tx, s, t.role, t.principal.name, now);

  const future = s.startDateTime > now;
  const updated = await patchSchedule(
    tx,
    s.kind,
    s.id,
    now,
    future ? { status: "Canceled" } : { status: "Revoked", endDateTime: now },
  );
  const request = await insertRequest(tx, now, actor, {
    requestType: s.kind,
    action: "adminRemove",
    status: "Revoked",
    principalId: s.principalId,
    principalType: s.principalType,
    roleDefinitionId: s.roleDefinitionId,
    directoryScopeId: s.directoryScopeId,
    justification: input.justification,
    ticketNumber: input.ticketNumber,
    ticketSystem: input.ticketSystem,
    targetScheduleId: s.id,
    completed: true,
  });
  // lock and end the activations before taking the audit chain lock (row locks first, audit last: no deadlock with the sweep)
  if (s.kind === "eligibility")
    await clampActivations(tx, now, actor, s, now, "eligibility removed", t.role, request.id);
  await auditAdminChange(tx, now, actor, meta, s, {
    activity: adminActivity("Remove", s.kind),
    operation: "adminRemove",
    requestId: request.id,
    input,
    changed: [request.id, s.id],
    details: { kind: s.kind, scheduleId: s.id, from: s.status, to: updated.status, ...extraDetails },
  });
  await emitNotification(tx, now, {
    type: "assignmentRemoved",
    kind: s.kind,
    scheduleId: s.id,
    requestId: request.id,
  });
  return { requestId: request.id, schedule: updated };
}

import { and, desc, eq } from "drizzle-orm";
import { scheduleRequests } from "@/db/schema";
import { cancelRequestInput, type CancelRequestInput } from "@/lib/validation/pim";
import { isPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { emitNotification } from "../notifications/emit";
import { loadPrincipal, loadRole } from "../internal/directory";
import { lockSchedule, patchSchedule } from "../internal/schedules";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import { requestActivity } from "../internal/request-words";

/**
 * Cancels a request: one's own (requestor or subject) or, for GA/PRA holders now, anyone's. A pending
 * request becomes Canceled; a granted activation that has not started yet is withdrawn (schedule Canceled).
 * Given a `scheduleId` instead, the request that created that scheduled activation is canceled (the Assignments
 * blade and My roles know the schedule). The request row is locked (`FOR UPDATE`), so a cancel racing an approval yields exactly one outcome:
 * the loser gets Conflict.
 */
export async function cancelRequest(
  ctx: Ctx,
  actor: Actor,
  raw: CancelRequestInput,
): Promise<{ requestId: string; status: "Canceled" }> {
  const input = parseInput(cancelRequestInput, raw);
  const meta: UseCaseMeta = {
    operation: "request.cancel",
    activity: "Request canceled (PIM)",
    requestId: input.requestId,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    const [r] = await tx
      .select()
      .from(scheduleRequests)
      .where(
        input.requestId
          ? eq(scheduleRequests.id, input.requestId)
          : and(
              eq(scheduleRequests.targetScheduleId, input.scheduleId ?? ""),
              eq(scheduleRequests.action, "selfActivate"),
            ),
      )
      .orderBy(desc(scheduleRequests.createdDateTime))
      .limit(1)
      .for("update");
    if (!r)
      throw new PimError(
        "NotFound",
        input.requestId ? "The request was not found." : "The scheduled activation was not found.",
      );
    meta.requestId = r.id;
    const role = await loadRole(tx, r.roleDefinitionId);
    const target = await loadPrincipal(tx, r.principalType, r.principalId).catch(() => null);
    meta.role = { id: role.id, name: role.name };
    meta.target = target ? { id: target.id, type: target.type, name: target.name } : null;
    meta.directoryScopeId = r.directoryScopeId;
    meta.activity = requestActivity(r.action, "canceled");
    const own = r.requestorId === actor.id || r.principalId === actor.id;
    if (!own && !(await isPimAdmin(tx, actor.id, now))) {
      throw new PimError(
        "Forbidden",
        "Only the requester or a Global Administrator or Privileged Role Administrator may cancel this request.",
      );
    }
    const changed = [r.id];
    if (r.status === "PendingApproval") {
      // fall through
    } else if (r.status === "Granted" && r.action === "selfActivate" && r.targetScheduleId) {
      const s = await lockSchedule(tx, "assignment", r.targetScheduleId);
      if (!s || s.status !== "Granted" || s.startDateTime <= now)
        throw new PimError("Conflict", "This activation has already started; deactivate it instead.");
      await patchSchedule(tx, "assignment", s.id, now, { status: "Canceled" });
      changed.push(s.id);
    } else {
      throw new PimError("Conflict", `This request is no longer pending (${r.status}).`);
    }
    await tx
      .update(scheduleRequests)
      .set({ status: "Canceled", completedDateTime: now })
      .where(eq(scheduleRequests.id, r.id));
    await auditChange(tx, now, {
      activity: meta.activity,
      operation: "request.cancel",
      actor,
      target: meta.target,
      role: meta.role,
      directoryScopeId: r.directoryScopeId,
      requestId: r.id,
      changed,
      details: { from: r.status, to: "Canceled", action: r.action },
    });
    await emitNotification(tx, now, { type: "requestCanceled", requestId: r.id });
    return { requestId: r.id, status: "Canceled" as const };
  });
}

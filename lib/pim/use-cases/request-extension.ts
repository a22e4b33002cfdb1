import { requestExtensionInput, type RequestExtensionInput } from "@/lib/validation/pim";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { getRoleSettings } from "../role-settings";
import { EXTEND_WINDOW_MS } from "../rules/constants";
import { humanMinutes } from "../rules/durations";
import { checkAssignmentWindow } from "../internal/assignment-rules";
import { loadRole } from "../internal/directory";
import { notOverAt } from "../internal/schedules";
import { fileSelfRequest, lockOwnSchedule } from "../internal/self-request";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

/**
 * Self-extension (Graph selfExtend): the holder of a time-bound eligible or active assignment (or an
 * activation) whose end is within 14 days asks the admins for a later end. Creates a PendingApproval
 * request; `decideRequest` applies it when approved. The new end obeys the role's settings (activation:
 * at most the activation maximum from now, never past the eligibility).
 */
export async function requestExtension(
  ctx: Ctx,
  actor: Actor,
  raw: RequestExtensionInput,
): Promise<{ requestId: string; status: "PendingApproval" }> {
  const input = parseInput(requestExtensionInput, raw);
  const meta: UseCaseMeta = {
    operation: "selfExtend",
    activity: "Extend role assignment request requested (PIM extension)",
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    const s = await lockOwnSchedule(tx, actor, input.kind, input.scheduleId, meta);
    if (!notOverAt(s, now) || s.endDateTime === null)
      throw new PimError("Conflict", "Only a time-bound assignment that has not ended can be extended.");
    if (s.endDateTime.getTime() - now.getTime() > EXTEND_WINDOW_MS) {
      throw new PimError("ExpirationRule", "An assignment can be extended when it ends within 14 days.");
    }
    const role = await loadRole(tx, s.roleDefinitionId);
    const settings = await getRoleSettings(tx, role.id, s.directoryScopeId);
    const end = input.endDateTime ?? null;
    if (end !== null && end <= s.endDateTime)
      throw new PimError("ExpirationRule", "The new end must be later than the current end.");
    if (s.assignmentType === "Activated") {
      if (end === null || end.getTime() - now.getTime() > settings.activationMaxMinutes * 60_000) {
        throw new PimError(
          "ExpirationRule",
          `${role.name} can be activated for at most ${humanMinutes(settings.activationMaxMinutes)}.`,
        );
      }
    } else {
      checkAssignmentWindow(settings, role, s.kind, s.startDateTime, end, now, now);
    }
    return fileSelfRequest(tx, now, actor, s, "selfExtend", { ...input, endDateTime: end }, meta);
  });
}

import { requestRenewalInput, type RequestRenewalInput } from "@/lib/validation/pim";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { getRoleSettings } from "../role-settings";
import { RENEW_WINDOW_MS } from "../rules/constants";
import { checkAssignmentWindow } from "../internal/assignment-rules";
import { loadRole } from "../internal/directory";
import { fileSelfRequest, lockOwnSchedule } from "../internal/self-request";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

/**
 * Self-renewal (Graph selfRenew): the former holder of an eligible or admin-given active assignment that
 * expired at most 30 days ago asks the admins for a new one. Creates a PendingApproval request;
 * `decideRequest` creates the new schedule when approved.
 */
export async function requestRenewal(
  ctx: Ctx,
  actor: Actor,
  raw: RequestRenewalInput,
): Promise<{ requestId: string; status: "PendingApproval" }> {
  const input = parseInput(requestRenewalInput, raw);
  const meta: UseCaseMeta = {
    operation: "selfRenew",
    activity: "Renew role assignment request requested (PIM renewal)",
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    const s = await lockOwnSchedule(tx, actor, input.kind, input.scheduleId, meta);
    if (s.assignmentType === "Activated")
      throw new PimError("Conflict", "Activations are not renewed; activate the role again.");
    const ended = s.status !== "Canceled" && s.endDateTime !== null && s.endDateTime <= now;
    if (!ended) throw new PimError("Conflict", "Only an assignment that has ended can be renewed.");
    if (now.getTime() - s.endDateTime!.getTime() > RENEW_WINDOW_MS) {
      throw new PimError("ExpirationRule", "An assignment can be renewed up to 30 days after it expired.");
    }
    const role = await loadRole(tx, s.roleDefinitionId);
    const settings = await getRoleSettings(tx, role.id, s.directoryScopeId);
    const end = input.endDateTime ?? null;
    checkAssignmentWindow(settings, role, s.kind, now, end, now);
    return fileSelfRequest(tx, now, actor, s, "selfRenew", { ...input, endDateTime: end }, meta);
  });
}

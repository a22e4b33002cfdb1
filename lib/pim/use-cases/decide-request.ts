import { eq } from "drizzle-orm";
import { approvalDecisions, scheduleRequests } from "@/db/schema";
import {
  decideRequestInput,
  decideRequestsInput,
  type DecideRequestInput,
  type DecideRequestsInput,
} from "@/lib/validation/pim";
import type { Actor, Ctx } from "../context";
import { isPimError, PimError, type PimErrorCode } from "../errors";
import { emitNotification } from "../notifications/emit";
import { approvalsInStage, DEFAULT_STAGE, isStageApprover, stageQuota } from "../internal/approval";
import { stageDeadline, stageWaitWords } from "../rules/constants";
import { loadPrincipal, loadRole } from "../internal/directory";
import { fulfilApprovedRequest } from "../internal/fulfil";
import { requestActivity } from "../internal/request-words";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

export type DecisionResult = {
  requestId: string;
  /** The request's status after this decision (PendingApproval when a further approval or stage is needed). */
  status: "PendingApproval" | "Provisioned" | "Granted" | "Denied" | "Failed";
  /** The stage (0-based) this decision was counted in. */
  stage: number;
  /** The activation/assignment created or extended when the request completed. */
  scheduleId: string | null;
  failureReason: string | null;
};

/**
 * Approve or deny a pending request (§5). The request row is locked (`SELECT … FOR UPDATE`) for the whole
 * decision, so concurrent deciders are serialised: the first decision of an "any one" stage wins and the
 * others get Conflict. Rules: a justification is required; never one's own request (Forbidden, admins
 * included); the approver must be entitled for the current stage at this moment (named user, member of a
 * named group, or GA/PRA holder when none is named); each person decides a request at most once (unique
 * index). A decision that names a stage (`stage`: Graph's step, the stage the page showed) counts only in that
 * stage: when another stage is in progress it gets Conflict, so a decision made on a stale page or step cannot
 * land in the next stage. A denial ends the request; enough approvals pass the stage ("anyOne" 1, "nOfM" N, "all" every
 * approver); passing the last stage carries the request out (activation created, extension applied, …).
 */
export async function decideRequest(ctx: Ctx, actor: Actor, raw: DecideRequestInput): Promise<DecisionResult> {
  const input = parseInput(decideRequestInput, raw);
  const verb = input.decision === "Approve" ? "approved" : "denied";
  const meta: UseCaseMeta = {
    operation: input.decision === "Approve" ? "request.approve" : "request.deny",
    activity: `Request ${verb} (PIM)`,
    requestId: input.requestId,
    justification: input.justification,
  };
  return runUseCase(
    ctx,
    actor,
    meta,
    async (tx, now) => {
      const [r] = await tx
        .select()
        .from(scheduleRequests)
        .where(eq(scheduleRequests.id, input.requestId))
        .for("update");
      if (!r) throw new PimError("NotFound", "The request was not found.");
      const role = await loadRole(tx, r.roleDefinitionId);
      const subject = await loadPrincipal(tx, r.principalType, r.principalId).catch(() => null);
      Object.assign(meta, {
        role: { id: role.id, name: role.name },
        target: subject ? { id: subject.id, type: subject.type, name: subject.name } : null,
        directoryScopeId: r.directoryScopeId,
        activity: requestActivity(r.action, verb),
      });
      if (r.status !== "PendingApproval")
        throw new PimError("Conflict", `This request has already been decided or closed (${r.status}).`);
      if (r.approvalDeadline && r.approvalDeadline <= now)
        throw new PimError(
          "Conflict",
          `This request expired without a decision (${stageWaitWords(r.approvalStages[r.currentStage])} at this stage).`,
        );
      if (input.stage !== undefined && input.stage !== r.currentStage)
        throw new PimError(
          "Conflict",
          `Stage ${input.stage + 1} of this request has been decided already; it is at stage ${r.currentStage + 1} ` +
            `of ${Math.max(r.approvalStages.length, 1)} now. Review it again before deciding.`,
        );
      if (actor.id === r.requestorId || actor.id === r.principalId)
        throw new PimError("Forbidden", "You cannot approve or deny your own request.");
      const stages = r.approvalStages.length > 0 ? r.approvalStages : [DEFAULT_STAGE];
      const stage = stages[r.currentStage] ?? DEFAULT_STAGE;
      if (actor.type !== "User" || !(await isStageApprover(tx, stage, actor.id, now))) {
        const which = stages.length > 1 ? ` at stage ${r.currentStage + 1} of ${stages.length}` : "";
        throw new PimError("Forbidden", `You are not an approver for this request${which}.`);
      }
      const mine = await tx
        .select({ approverId: approvalDecisions.approverId })
        .from(approvalDecisions)
        .where(eq(approvalDecisions.requestId, r.id));
      if (mine.some((d) => d.approverId === actor.id))
        throw new PimError(
          "Conflict",
          "You have already decided this request; every approval must come from a different person.",
        );

      const [decision] = await tx
        .insert(approvalDecisions)
        .values({
          requestId: r.id,
          stage: r.currentStage,
          approverId: actor.id,
          decision: input.decision,
          justification: input.justification,
          decidedAt: now,
        })
        .returning({ id: approvalDecisions.id });
      if (!decision) throw new PimError("Conflict", "The decision could not be recorded.");
      const base = {
        operation: meta.operation,
        actor,
        target: meta.target,
        role: meta.role,
        directoryScopeId: r.directoryScopeId,
        requestId: r.id,
        justification: input.justification,
      };
      const result = (
        status: DecisionResult["status"],
        scheduleId: string | null = null,
        failureReason: string | null = null,
      ): DecisionResult => ({
        requestId: r.id,
        status,
        stage: r.currentStage,
        scheduleId,
        failureReason,
      });

      if (input.decision === "Deny") {
        await tx
          .update(scheduleRequests)
          .set({ status: "Denied", completedDateTime: now })
          .where(eq(scheduleRequests.id, r.id));
        await auditChange(tx, now, {
          ...base,
          activity: requestActivity(r.action, "denied"),
          changed: [decision.id, r.id],
          details: { stage: r.currentStage, from: "PendingApproval", to: "Denied" },
        });
        await emitNotification(tx, now, { type: "requestDenied", requestId: r.id, approverId: actor.id });
        return result("Denied");
      }

      const have = await approvalsInStage(tx, r.id, r.currentStage);
      const need = await stageQuota(tx, stage, r, now);
      if (have < need) {
        await auditChange(tx, now, {
          ...base,
          activity: requestActivity(r.action, `approval recorded (${have} of ${need})`),
          changed: [decision.id],
          details: { stage: r.currentStage, have, need },
        });
        return result("PendingApproval");
      }
      if (r.currentStage + 1 < stages.length) {
        // The next stage gets its own time to decide (its escalationHours, else 24 hours), counted from now.
        await tx
          .update(scheduleRequests)
          .set({ currentStage: r.currentStage + 1, approvalDeadline: stageDeadline(now, stages[r.currentStage + 1]) })
          .where(eq(scheduleRequests.id, r.id));
        await auditChange(tx, now, {
          ...base,
          activity: requestActivity(r.action, `approved at stage ${r.currentStage + 1} of ${stages.length}`),
          changed: [decision.id, r.id],
          details: { stage: r.currentStage, nextStage: r.currentStage + 1 },
        });
        await emitNotification(tx, now, { type: "activationPendingApproval", requestId: r.id });
        return result("PendingApproval");
      }

      const f = await fulfilApprovedRequest(tx, now, r, role);
      if (f.status === "Failed") {
        await tx
          .update(scheduleRequests)
          .set({ status: "Failed", failureReason: f.failureReason, completedDateTime: now })
          .where(eq(scheduleRequests.id, r.id));
        await auditChange(tx, now, {
          ...base,
          activity: requestActivity(r.action, "approved; could not be carried out"),
          result: "failure",
          resultReason: f.failureReason,
          changed: [decision.id, r.id],
          details: { stage: r.currentStage, from: "PendingApproval", to: "Failed" },
        });
        return result("Failed", null, f.failureReason);
      }
      await tx
        .update(scheduleRequests)
        .set({ status: f.status, targetScheduleId: f.scheduleId, completedDateTime: now })
        .where(eq(scheduleRequests.id, r.id));
      await auditChange(tx, now, {
        ...base,
        activity: requestActivity(r.action, "approved"),
        changed: [decision.id, r.id, f.scheduleId],
        details: { stage: r.currentStage, from: "PendingApproval", to: f.status, scheduleId: f.scheduleId },
      });
      await emitNotification(tx, now, { type: "requestApproved", requestId: r.id, approverId: actor.id });
      if (r.action === "selfActivate")
        await emitNotification(tx, now, { type: "roleActivated", scheduleId: f.scheduleId, requestId: r.id });
      return result(f.status, f.scheduleId);
    },
    { conflict: "Someone decided this request at the same moment. Refresh and try again." },
  );
}

export type BulkDecisionResult =
  ({ ok: true } & DecisionResult) | { ok: false; requestId: string; code: PimErrorCode; message: string };

/**
 * Bulk approve/deny (the Approve requests page's selected rows): each request is decided in its own
 * transaction with the same rules as `decideRequest`; one failure does not stop the others.
 */
export async function decideRequests(ctx: Ctx, actor: Actor, raw: DecideRequestsInput): Promise<BulkDecisionResult[]> {
  const input = parseInput(decideRequestsInput, raw);
  const out: BulkDecisionResult[] = [];
  for (const requestId of [...new Set(input.requestIds)]) {
    try {
      out.push({
        ok: true,
        ...(await decideRequest(ctx, actor, {
          requestId,
          decision: input.decision,
          justification: input.justification,
          stage: input.stages?.[requestId],
        })),
      });
    } catch (err) {
      if (!isPimError(err)) throw err;
      out.push({ ok: false, requestId, code: err.code, message: err.message });
    }
  }
  return out;
}

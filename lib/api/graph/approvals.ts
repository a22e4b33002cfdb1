/**
 * roleManagement/directory/roleAssignmentApprovals/{id} (Graph beta's approval of a request; its id is the
 * request's id) with one step per approval stage. PATCH a step with reviewResult Approve|Deny and a
 * justification → the engine's decideRequest (first decision of a stage wins; the loser gets 409).
 */
import { createHash } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { approvalDecisions, scheduleRequests as r, users } from "@/db/schema";
import { decideRequest } from "@/lib/pim/use-cases/decide-request";
import { isPimReader } from "@/lib/pim/authz";
import { type Actor } from "@/lib/pim/context";
import { isStageApprover } from "@/lib/pim/authz";
import { badRequest, forbidden, notFound } from "../errors";
import { noContent, parseBody, readJson, type ApiContext } from "../handler";
import { approvalStepPatchBody } from "./schemas";
import { collection, contextUrl, guidOr404, iso } from "./serialize";

/** A stable GUID for stage `n` of request `id`. */
export function stepId(requestId: string, stage: number): string {
  const h = createHash("sha256").update(`${requestId}:${stage}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function loadApproval(c: ApiContext, rawId: string, forWrite = false) {
  const approvalId = guidOr404(rawId, "approval");
  const [req] = await c.ctx.db.select().from(r).where(eq(r.id, approvalId)).limit(1);
  const missing = () => notFound(`No approval with id '${approvalId}' exists.`);
  if (!req || req.approvalStages.length === 0) throw missing();
  const me: Actor = c.caller.actor;
  const now = c.ctx.now();
  const stage = req.approvalStages[req.currentStage];
  const pending = req.status === "PendingApproval" && (!req.approvalDeadline || req.approvalDeadline > now);
  const assignedToMe =
    pending &&
    stage !== undefined &&
    me.type === "User" &&
    me.id !== req.principalId &&
    me.id !== req.requestorId &&
    (await isStageApprover(c.ctx.db, stage, me.id, now));
  const decisions = await c.ctx.db
    .select({
      stage: approvalDecisions.stage,
      approverId: approvalDecisions.approverId,
      name: users.displayName,
      decision: approvalDecisions.decision,
      justification: approvalDecisions.justification,
      at: approvalDecisions.decidedAt,
    })
    .from(approvalDecisions)
    .leftJoin(users, eq(users.id, approvalDecisions.approverId))
    .where(eq(approvalDecisions.requestId, req.id))
    .orderBy(asc(approvalDecisions.decidedAt));
  // visible to the requester and subject, to whoever may decide it now or has decided it, and to readers
  const involved =
    req.principalId === me.id ||
    req.requestorId === me.id ||
    assignedToMe ||
    decisions.some((d) => d.approverId === me.id);
  if (!involved && !(await isPimReader(c.ctx.db, me.id, now))) {
    // Graph: deciding an approval one is not an approver of is 403 (reading it stays 404: not visible)
    if (forWrite) throw forbidden("You are not an approver of this request.");
    throw missing();
  }
  const steps = req.approvalStages.map((_, i) => {
    const mine = decisions.filter((d) => d.stage === i);
    const denied = mine.find((d) => d.decision === "Deny");
    const lastDecision = mine[mine.length - 1];
    const done = i < req.currentStage || (i === req.currentStage && req.status !== "PendingApproval");
    const status =
      i === req.currentStage && pending
        ? "InProgress"
        : done || mine.length > 0
          ? "Completed"
          : req.status === "TimedOut"
            ? "Expired"
            : "Initializing";
    return {
      id: stepId(req.id, i),
      displayName: req.approvalStages.length > 1 ? `Stage ${i + 1} of ${req.approvalStages.length}` : "Approval",
      status: req.status === "TimedOut" && i === req.currentStage ? "Expired" : status,
      assignedToMe: i === req.currentStage && assignedToMe,
      reviewResult: denied ? "Denied" : done && mine.length > 0 ? "Approved" : "NotReviewed",
      justification: (denied ?? lastDecision)?.justification ?? null,
      reviewedDateTime: iso((denied ?? lastDecision)?.at ?? null),
      reviewedBy: mine.map((d) => ({ id: d.approverId, displayName: d.name })),
    };
  });
  return { req, steps };
}

/** Where approvals live: directory roles' `roleAssignmentApprovals`, PIM for Groups' `…/group/assignmentApprovals`. */
export type ApprovalSet = string;
const RMA = "roleManagement/directory/roleAssignmentApprovals";

export async function getApproval(c: ApiContext, approvalId: string, set: ApprovalSet = RMA) {
  const { req, steps } = await loadApproval(c, approvalId);
  return {
    "@odata.context": contextUrl(c.url, `${set}/$entity`),
    id: req.id,
    steps,
  };
}

export async function listSteps(c: ApiContext, approvalId: string, set: ApprovalSet = RMA) {
  const { steps } = await loadApproval(c, approvalId);
  return collection(contextUrl(c.url, `${set}('${approvalId}')/steps`), steps, {});
}

export async function getStep(c: ApiContext, approvalId: string, id: string, set: ApprovalSet = RMA) {
  const { steps } = await loadApproval(c, approvalId);
  const step = steps.find((s) => s.id === id);
  if (!step) throw notFound(`No approval step with id '${id}' exists.`);
  return {
    "@odata.context": contextUrl(c.url, `${set}/steps/$entity`),
    ...step,
  };
}

export async function patchStep(c: ApiContext, approvalId: string, id: string) {
  const body = parseBody(approvalStepPatchBody, await readJson(c.req));
  const { req, steps } = await loadApproval(c, approvalId, true);
  const idx = steps.findIndex((s) => s.id === id);
  if (idx < 0) throw notFound(`No approval step with id '${id}' exists.`);
  if (idx !== req.currentStage)
    throw badRequest(`Step '${id}' is not the stage in progress; decide stage ${req.currentStage + 1}.`);
  await decideRequest(c.ctx, c.caller.actor, {
    requestId: req.id,
    decision: body.reviewResult,
    justification: body.justification,
    // the step names its stage: if another decider passed it meanwhile, this decision must not land in the next
    stage: idx,
  });
  return noContent();
}

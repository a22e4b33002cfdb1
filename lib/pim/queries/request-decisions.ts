import { and, asc, eq, inArray, or } from "drizzle-orm";
import { approvalDecisions, scheduleRequests, users } from "@/db/schema";
import type { Actor, Ctx } from "../context";

export type RequestDecisionView = {
  stage: number;
  approverName: string;
  decision: "Approve" | "Deny";
  justification: string;
  decidedAt: Date;
};

/**
 * The approvers' decisions on the given requests (who, approve/deny, why, when), oldest first, so a
 * requester sees why a request was denied. Scoped to the actor's own requests (made by them or for them):
 * any other id gives nothing. One statement for the whole page.
 */
export async function listRequestDecisions(
  ctx: Ctx,
  actor: Actor,
  query: { requestIds: readonly string[] },
): Promise<Record<string, RequestDecisionView[]>> {
  const { requestIds } = query;
  if (requestIds.length === 0) return {};
  const rows = await ctx.db
    .select({
      requestId: approvalDecisions.requestId,
      stage: approvalDecisions.stage,
      approverName: users.displayName,
      decision: approvalDecisions.decision,
      justification: approvalDecisions.justification,
      decidedAt: approvalDecisions.decidedAt,
    })
    .from(approvalDecisions)
    .innerJoin(scheduleRequests, eq(scheduleRequests.id, approvalDecisions.requestId))
    .leftJoin(users, eq(users.id, approvalDecisions.approverId))
    .where(
      and(
        inArray(approvalDecisions.requestId, [...requestIds]),
        or(eq(scheduleRequests.principalId, actor.id), eq(scheduleRequests.requestorId, actor.id)),
      ),
    )
    .orderBy(asc(approvalDecisions.decidedAt), asc(approvalDecisions.id));
  const out: Record<string, RequestDecisionView[]> = {};
  for (const r of rows) {
    (out[r.requestId] ??= []).push({
      stage: r.stage,
      approverName: r.approverName ?? "A former user",
      decision: r.decision,
      justification: r.justification,
      decidedAt: r.decidedAt,
    });
  }
  return out;
}

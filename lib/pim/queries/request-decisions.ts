import { asc, eq, inArray } from "drizzle-orm";
import { approvalDecisions, users } from "@/db/schema";
import type { Ctx } from "../context";

export type RequestDecisionView = {
  stage: number;
  approverName: string;
  decision: "Approve" | "Deny";
  justification: string;
  decidedAt: Date;
};

/**
 * The approvers' decisions on the given requests (who, approve/deny, why, when), oldest first, so a
 * requester sees why a request was denied. Callers pass only requests the viewer may see (e.g. their own).
 */
export async function listRequestDecisions(
  ctx: Ctx,
  requestIds: string[],
): Promise<Record<string, RequestDecisionView[]>> {
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
    .leftJoin(users, eq(users.id, approvalDecisions.approverId))
    .where(inArray(approvalDecisions.requestId, requestIds))
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

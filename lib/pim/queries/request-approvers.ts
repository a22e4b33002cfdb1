import { inArray } from "drizzle-orm";
import { scheduleRequests } from "@/db/schema";
import type { Ctx } from "../context";
import { DEFAULT_STAGE } from "../internal/approval";
import { approversOf } from "../notifications/recipients";

export type RequestApprover = { userId: string; name: string };

/**
 * Who may decide each request at its current stage right now (named users, enabled members of named groups,
 * or — none named — the GA/PRA holders), never the requester or the person the request is for. For the
 * Approve requests page's "Other approvers" (callers drop the viewer). One small query per request.
 */
export async function listRequestApprovers(ctx: Ctx, requestIds: string[]): Promise<Record<string, RequestApprover[]>> {
  if (requestIds.length === 0) return {};
  const now = ctx.now();
  const rows = await ctx.db
    .select({
      id: scheduleRequests.id,
      stages: scheduleRequests.approvalStages,
      current: scheduleRequests.currentStage,
      requestorId: scheduleRequests.requestorId,
      principalId: scheduleRequests.principalId,
    })
    .from(scheduleRequests)
    .where(inArray(scheduleRequests.id, requestIds));
  const out: Record<string, RequestApprover[]> = {};
  for (const r of rows) {
    const stage = (r.stages.length > 0 ? r.stages[r.current] : DEFAULT_STAGE) ?? DEFAULT_STAGE;
    const people = await approversOf(ctx.db, now, [stage], [r.requestorId, r.principalId]);
    out[r.id] = people.map((p) => ({ userId: p.userId, name: p.name }));
  }
  return out;
}

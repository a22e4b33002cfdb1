/**
 * Reviewers' bulk decisions: every item they review in the current stage at once (Graph's batchRecordDecisions,
 * optionally narrowed to one principal or one resource), and "Accept recommendations" (each undecided item
 * takes its recommendation). Authorized on the stored reviewer rows; one audit row per decided item; refusals
 * audited by runUseCase.
 */
import { and, eq, isNotNull, or, sql } from "drizzle-orm";
import { accessReviewItems as items } from "@/db/schema";
import {
  recordReviewDecisionsInput,
  reviewInstanceRef,
  type RecordReviewDecisionsInput,
} from "@/lib/validation/governance";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { lockInstance } from "../governance/review-lifecycle";
import {
  assertInProgress,
  assertReviewer,
  checkJustification,
  decisionWords,
  myItems,
  writeDecisions,
} from "../governance/review-decisions";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

const category = "AccessReviews";

/**
 * The actor's decision on every item they review in the current stage of an InProgress instance, or on those
 * of one principal (`principalId`) and/or one resource (`resourceId`: the role definition or the reviewed
 * assignment's schedule). The review's reason rule applies. Someone who reviews nothing there is Forbidden.
 */
export async function recordReviewDecisions(
  ctx: Ctx,
  actor: Actor,
  raw: RecordReviewDecisionsInput,
): Promise<{ decided: number }> {
  const input = parseInput(recordReviewDecisionsInput, raw);
  const meta: UseCaseMeta = {
    category,
    operation: "accessReview.decide",
    activity: `Access review decision: ${decisionWords[input.decision]}`,
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    const l = await lockInstance(tx, input.instanceId, input.definitionId);
    if (!l) throw new PimError("NotFound", "The access review was not found.");
    const { inst, def } = l;
    assertInProgress(inst);
    await assertReviewer(tx, actor, inst);
    checkJustification(def, input.decision, input.justification);
    const mine = await myItems(
      tx,
      actor,
      inst,
      and(
        input.principalId ? eq(items.principalId, input.principalId) : undefined,
        input.resourceId
          ? or(eq(items.roleDefinitionId, input.resourceId), eq(items.scheduleId, input.resourceId))
          : undefined,
      ),
    );
    const justification = input.justification ?? null;
    const decided = await writeDecisions(
      tx,
      now,
      actor,
      inst,
      def,
      mine.map((item) => ({ item, decision: input.decision, justification })),
      { batch: true },
    );
    return { decided };
  });
}

/**
 * "Accept recommendations": every item the actor reviews in the current stage that has no decision in this
 * stage yet and has a recommendation takes it (Approve or Deny), with the recommendation's reason as the
 * justification. Items decided already keep their decision. Returns how many were decided.
 */
export async function acceptReviewRecommendations(
  ctx: Ctx,
  actor: Actor,
  raw: { instanceId: string },
): Promise<{ decided: number; approved: number; denied: number }> {
  const input = parseInput(reviewInstanceRef, raw);
  const meta: UseCaseMeta = {
    category,
    operation: "accessReview.acceptRecommendations",
    activity: "Access review: recommendations accepted",
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    const l = await lockInstance(tx, input.instanceId, input.definitionId);
    if (!l) throw new PimError("NotFound", "The access review was not found.");
    const { inst, def } = l;
    assertInProgress(inst);
    await assertReviewer(tx, actor, inst);
    const undecided = await myItems(
      tx,
      actor,
      inst,
      and(
        isNotNull(items.recommendation),
        sql`not exists (select 1 from access_review_decisions x where x.item_id = ${items.id} and x.stage = ${inst.currentStage})`,
      ),
    );
    const rows = undecided.flatMap((item) =>
      item.recommendation
        ? [
            {
              item,
              decision: item.recommendation,
              justification: `Accepted the recommendation${item.recommendationReason ? `: ${item.recommendationReason}` : ""}`,
            },
          ]
        : [],
    );
    const decided = await writeDecisions(tx, now, actor, inst, def, rows, { acceptedRecommendation: true });
    const denied = rows.filter((r) => r.decision === "Deny").length;
    return { decided, approved: decided - denied, denied };
  });
}

/**
 * Access review writes in Graph's shapes. Every write goes through the engine's use cases (authorized on
 * database state, audited, refusals audited): create a definition (201 + the definition), stop a series
 * (`POST …/definitions/{id}/stop` and `DELETE …/definitions/{id}`, 204: history stays, no next instance opens),
 * and on an instance `stop`, `applyDecisions`, `resetDecisions`, `acceptRecommendations`, `batchRecordDecisions`
 * (204); `PATCH` a decision item (204); the reviewer's own items `decisions/filterByCurrentUser(on='reviewer')`.
 */
import { z } from "zod";
import { isPimError } from "@/lib/pim/errors";
import { getAccessReview, getMyReview, itemCursor } from "@/lib/pim/queries/access-reviews";
import {
  applyAccessReview,
  createAccessReview,
  decideReviewItems,
  resetAccessReview,
  stopAccessReview,
} from "@/lib/pim/use-cases/access-reviews";
import { acceptReviewRecommendations, recordReviewDecisions } from "@/lib/pim/use-cases/review-decisions";
import { stopAccessReviewSeries } from "@/lib/pim/use-cases/stop-review-series";
import { badRequest } from "../errors";
import { json, noContent, parseBody, readJson, type ApiContext } from "../handler";
import { decisionOut, definitionOut, nextLink, skip, top } from "./governance";
import { createDefinitionBody, createInputOf } from "./review-create";
import { collection, contextUrl, guidOr404 } from "./serialize";

const AR = "identityGovernance/accessReviews/definitions";
const ids = (def: string, inst?: string) => ({
  definitionId: guidOr404(def, "accessReviewScheduleDefinition"),
  instanceId: inst ? guidOr404(inst, "accessReviewInstance") : "",
});

export async function createReviewDefinition(c: ApiContext) {
  const body = parseBody(createDefinitionBody, await readJson(c.req));
  const r = await createAccessReview(c.ctx, c.caller.actor, createInputOf(body, c.ctx.now()));
  const v = await getAccessReview(c.ctx, c.caller.actor, r.definitionId);
  return json(
    {
      "@odata.context": contextUrl(c.url, `${AR}/$entity`),
      ...definitionOut({ ...v.definition, latest: v.instances[0] ?? null }),
    },
    201,
  );
}

export async function stopReviewSeries(c: ApiContext, rawId: string) {
  await stopAccessReviewSeries(c.ctx, c.caller.actor, { definitionId: ids(rawId).definitionId });
  return noContent();
}

type InstanceAction = "stop" | "applyDecisions" | "resetDecisions" | "acceptRecommendations";
export async function instanceAction(c: ApiContext, rawId: string, rawInstance: string, action: InstanceAction) {
  const ref = ids(rawId, rawInstance);
  if (action === "stop") await stopAccessReview(c.ctx, c.caller.actor, ref);
  else if (action === "applyDecisions") await applyAccessReview(c.ctx, c.caller.actor, ref);
  else if (action === "resetDecisions") await resetAccessReview(c.ctx, c.caller.actor, ref);
  else await acceptReviewRecommendations(c.ctx, c.caller.actor, ref);
  return noContent();
}

const decisionValue = z.enum(["Approve", "Deny", "DontKnow", "NotReviewed"], {
  message: "decision must be Approve, Deny, DontKnow or NotReviewed.",
});
const reviewable = (d: z.output<typeof decisionValue>) => {
  if (d === "NotReviewed")
    throw badRequest("A decision cannot be set back to NotReviewed one by one: use resetDecisions on the instance.");
  return d;
};
export const decisionPatchBody = z.object({ decision: decisionValue, justification: z.string().max(500).optional() });
export const batchDecisionsBody = z.object({
  decision: decisionValue,
  justification: z.string().max(500).optional(),
  principalId: z.string().max(100).optional(),
  resourceId: z.string().max(100).optional(),
});

export async function patchDecision(c: ApiContext, rawId: string, rawInstance: string, rawItem: string) {
  const ref = ids(rawId, rawInstance);
  const itemId = guidOr404(rawItem, "accessReviewInstanceDecisionItem");
  const body = parseBody(decisionPatchBody, await readJson(c.req));
  await decideReviewItems(c.ctx, c.caller.actor, {
    ...ref,
    itemIds: [itemId],
    decision: reviewable(body.decision),
    justification: body.justification || undefined,
  });
  return noContent();
}

export async function batchRecordDecisions(c: ApiContext, rawId: string, rawInstance: string) {
  const ref = ids(rawId, rawInstance);
  const body = parseBody(batchDecisionsBody, await readJson(c.req));
  const guid = (v: string | undefined, what: string) => {
    if (v === undefined || v === "") return undefined;
    if (!z.uuid().safeParse(v).success) throw badRequest(`${what} must be an id.`);
    return v.toLowerCase();
  };
  await recordReviewDecisions(c.ctx, c.caller.actor, {
    ...ref,
    decision: reviewable(body.decision),
    justification: body.justification || undefined,
    principalId: guid(body.principalId, "principalId"),
    resourceId: guid(body.resourceId, "resourceId"),
  });
  return noContent();
}

/** The decision items the caller reviews in the instance's current stage (empty when they review none). */
export async function myDecisions(c: ApiContext, rawId: string, rawInstance: string, on: string) {
  if (on !== "reviewer") throw badRequest("filterByCurrentUser on decisions takes on='reviewer'.");
  const ref = ids(rawId, rawInstance);
  const context = contextUrl(c.url, "Collection(microsoft.graph.accessReviewInstanceDecisionItem)");
  try {
    const page = await getMyReview(c.ctx, c.caller.actor, {
      instanceId: ref.instanceId,
      cursor: skip(c, itemCursor),
      limit: top(c, 200, 100),
    });
    if (page.review.definitionId !== ref.definitionId) return collection(context, [], {});
    return collection(
      context,
      page.rows.map((i) => ({
        "@odata.type": "#microsoft.graph.accessReviewInstanceDecisionItem",
        ...decisionOut(i, ref.instanceId, ref.definitionId),
      })),
      { nextLink: nextLink(c, page.nextCursor) },
    );
  } catch (e) {
    if (isPimError(e) && e.code === "NotFound") return collection(context, [], {});
    throw e;
  }
}

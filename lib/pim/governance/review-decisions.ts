/**
 * Recording reviewers' decisions (shared by the single, batch and accept-recommendations use cases): which
 * items the actor reviews in the instance's current stage (the stored reviewer rows decide), and the write
 * (upsert per item and stage, the instance's decided count, one audit row per item), in the caller's transaction.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import {
  accessReviewDecisions as decisions,
  accessReviewInstances as instances,
  accessReviewItems as items,
  accessReviewItemReviewers as itemReviewers,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { writeAuditRows, type AuditInput } from "../audit";
import type { Actor } from "../context";
import { PimError } from "../errors";
import type { Definition, Instance } from "./review-lifecycle";

export type ReviewDecision = "Approve" | "Deny" | "DontKnow";
export const decisionWords = { Approve: "Approve", Deny: "Deny", DontKnow: "Don't know" } as const;
const category = "AccessReviews";

export type MyItem = {
  id: string;
  principalId: string;
  principalType: (typeof items.$inferSelect)["principalType"];
  principalName: string;
  roleId: string;
  roleName: string;
  scope: string;
  recommendation: "Approve" | "Deny" | null;
  recommendationReason: string | null;
};

/** The items of `inst` the actor reviews in its current stage, narrowed by `where` (a condition on `items`). */
export async function myItems(tx: Db, actor: Actor, inst: Instance, where?: SQL): Promise<MyItem[]> {
  return tx
    .select({
      id: items.id,
      principalId: items.principalId,
      principalType: items.principalType,
      principalName: items.principalName,
      roleId: items.roleDefinitionId,
      roleName: items.roleName,
      scope: items.directoryScopeId,
      recommendation: items.recommendation,
      recommendationReason: items.recommendationReason,
    })
    .from(items)
    .innerJoin(
      itemReviewers,
      and(
        eq(itemReviewers.itemId, items.id),
        eq(itemReviewers.stage, inst.currentStage),
        eq(itemReviewers.reviewerId, actor.id),
      ),
    )
    .where(and(eq(items.instanceId, inst.id), where));
}

/** Throws Forbidden unless the actor reviews at least one item of the instance in its current stage. */
export async function assertReviewer(tx: Db, actor: Actor, inst: Instance): Promise<void> {
  const [one] = await tx
    .select({ one: sql<number>`1` })
    .from(itemReviewers)
    .where(
      and(
        eq(itemReviewers.instanceId, inst.id),
        eq(itemReviewers.stage, inst.currentStage),
        eq(itemReviewers.reviewerId, actor.id),
      ),
    )
    .limit(1);
  if (!one) throw new PimError("Forbidden", "You are not a reviewer in the current stage of this review.");
}

/** The review's rule on reasons: Deny always needs one; Approve when the review requires it. */
export function checkJustification(def: Definition, decision: ReviewDecision, justification?: string | null) {
  if (!justification && (decision === "Deny" || (decision === "Approve" && def.justificationRequired)))
    throw new PimError(
      "JustificationRule",
      decision === "Deny" ? "Give a reason to deny access." : "This review requires a reason to approve.",
      { fieldErrors: { justification: ["Give a reason."] } },
    );
}

export function assertInProgress(inst: Instance) {
  if (inst.status !== "InProgress")
    throw new PimError("Conflict", "This review is not in progress: decisions can no longer be changed.");
}

/**
 * Writes the decisions (a later decision in the same stage replaces the earlier one), refreshes the instance's
 * decided count and writes one audit row per item. `extra` lands in each row's details.
 */
export async function writeDecisions(
  tx: Db,
  now: Date,
  actor: Actor,
  inst: Instance,
  def: Definition,
  rows: { item: MyItem; decision: ReviewDecision; justification: string | null }[],
  extra: Record<string, unknown> = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const written = await tx
    .insert(decisions)
    .values(
      rows.map((r) => ({
        itemId: r.item.id,
        instanceId: inst.id,
        stage: inst.currentStage,
        reviewerId: actor.id,
        reviewerName: actor.displayName,
        decision: r.decision,
        justification: r.justification,
        decidedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [decisions.itemId, decisions.stage],
      set: {
        reviewerId: actor.id,
        reviewerName: actor.displayName,
        decision: sql`excluded.decision`,
        justification: sql`excluded.justification`,
        decidedAt: now,
      },
    })
    .returning({ id: decisions.id, itemId: decisions.itemId });
  await tx
    .update(instances)
    .set({
      decidedCount: sql`(select count(*) from access_review_decisions d where d.instance_id = ${inst.id}::uuid and d.stage = ${inst.currentStage})`,
    })
    .where(eq(instances.id, inst.id));
  const byItem = new Map(written.map((r) => [r.itemId, r.id]));
  const audits: AuditInput[] = rows.map(({ item: m, decision, justification }) => ({
    category,
    activity: `Access review decision: ${decisionWords[decision]}`,
    operation: "accessReview.decide",
    actor,
    target: { id: m.principalId, type: m.principalType, name: m.principalName },
    role: { id: m.roleId, name: m.roleName },
    directoryScopeId: m.scope,
    justification,
    details: {
      changed: [byItem.get(m.id)],
      definitionId: def.id,
      instanceId: inst.id,
      itemId: m.id,
      stage: inst.currentStage + 1,
      decision,
      ...extra,
    },
  }));
  await writeAuditRows(tx, now, audits);
  return rows.length;
}

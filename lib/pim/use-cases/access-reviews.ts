/**
 * Access reviews (§10, issue 14): create, decide (reviewers), stop, reset, apply (admins). Each goes through
 * `runUseCase`: authorized on database state, audited in its transaction; refusals audited by runUseCase.
 */
import { eq, inArray } from "drizzle-orm";
import {
  accessReviewDecisions as decisions,
  accessReviewDefinitions as defs,
  accessReviewInstances as instances,
  accessReviewItems as items,
  roleDefinitions,
} from "@/db/schema";
import {
  createAccessReviewInput,
  decideReviewItemsInput,
  reviewInstanceRef,
  type CreateAccessReviewInput,
  type DecideReviewItemsInput,
} from "@/lib/validation/governance";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import {
  applyInstance,
  completeInstance,
  lockInstance,
  startInstance,
  type ApplyCounts,
} from "../governance/review-lifecycle";
import {
  assertInProgress,
  checkJustification,
  decisionWords,
  myItems,
  writeDecisions,
} from "../governance/review-decisions";
import { resolveScope } from "../internal/directory";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import { ms } from "../rules/constants";

const category = "AccessReviews";

/**
 * Creates a review definition and its first instance. A start in the past or now starts it at once (items
 * and reviewers fixed, reviewers notified); a later start is picked up by the scheduled job.
 */
export async function createAccessReview(
  ctx: Ctx,
  actor: Actor,
  raw: CreateAccessReviewInput,
): Promise<{ definitionId: string; instanceId: string; status: string }> {
  const input = parseInput(createAccessReviewInput, raw);
  const meta: UseCaseMeta = {
    category,
    operation: "accessReview.create",
    activity: "Create access review",
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "create access reviews");
    const roles = await tx
      .select({ id: roleDefinitions.id, name: roleDefinitions.displayName })
      .from(roleDefinitions)
      .where(inArray(roleDefinitions.id, input.roleDefinitionIds));
    if (roles.length !== input.roleDefinitionIds.length)
      throw new PimError("NotFound", "One of the selected roles does not exist.");
    if (input.directoryScopeId) await resolveScope(tx, input.directoryScopeId);
    const durationDays = input.stages.reduce((n, s) => n + s.durationDays, 0);
    if (durationDays > 180)
      throw new PimError("ValidationFailed", "The stages together last at most 180 days.", {
        fieldErrors: { stages: ["The stages together last at most 180 days."] },
      });
    const start = input.startDateTime < now ? now : input.startDateTime;
    const [def] = await tx
      .insert(defs)
      .values({
        displayName: input.displayName,
        description: input.description ?? "",
        roleDefinitionIds: input.roleDefinitionIds,
        directoryScopeId: input.directoryScopeId,
        assignmentKind: input.assignmentKind,
        principalTypes: input.principalTypes ? [...new Set(input.principalTypes)] : null,
        stages: input.stages,
        startDateTime: start,
        durationDays,
        recurrence: input.recurrence,
        recurrenceEndDateTime: input.recurrenceEndDateTime,
        autoApply: input.autoApply,
        defaultDecision: input.defaultDecision,
        justificationRequired: input.justificationRequired,
        recommendationsEnabled: input.recommendationsEnabled,
        remindersEnabled: input.remindersEnabled,
        createdBy: actor.id,
        createdAt: now,
      })
      .returning();
    if (!def) throw new Error("insert failed");
    const [inst] = await tx
      .insert(instances)
      .values({
        definitionId: def.id,
        sequence: 1,
        startDateTime: start,
        endDateTime: new Date(start.getTime() + durationDays * ms.DAY),
        createdAt: now,
      })
      .returning();
    if (!inst) throw new Error("insert failed");
    await auditChange(tx, now, {
      category,
      activity: "Create access review",
      operation: "accessReview.create",
      actor,
      changed: [def.id, inst.id],
      details: {
        displayName: def.displayName,
        roles: roles.map((r) => r.name),
        assignmentKind: def.assignmentKind,
        recurrence: def.recurrence,
        stages: def.stages.length,
        defaultDecision: def.defaultDecision,
        autoApply: def.autoApply,
      },
    });
    let status = "NotStarted";
    if (start <= now) {
      await startInstance(tx, now, inst, def);
      status = "InProgress";
    }
    return { definitionId: def.id, instanceId: inst.id, status };
  });
}

/**
 * A reviewer's decision on one or more items of an InProgress instance, at its current stage. The actor must
 * be a reviewer of every item at that stage (checked on the stored reviewer rows: anyone else is Forbidden).
 * Deny always needs a reason; Approve when the review requires one. A later decision in the same stage
 * replaces the earlier one. One audit row per item.
 */
export async function decideReviewItems(
  ctx: Ctx,
  actor: Actor,
  raw: DecideReviewItemsInput,
): Promise<{ decided: number }> {
  const input = parseInput(decideReviewItemsInput, raw);
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
    checkJustification(def, input.decision, input.justification);
    const ids = [...new Set(input.itemIds)];
    const mine = await myItems(tx, actor, inst, inArray(items.id, ids));
    if (mine.length !== ids.length)
      throw new PimError("Forbidden", "You are not a reviewer of these members in the current stage of this review.");
    const justification = input.justification ?? null;
    const decided = await writeDecisions(
      tx,
      now,
      actor,
      inst,
      def,
      mine.map((item) => ({ item, decision: input.decision, justification })),
    );
    return { decided };
  });
}

/** "Stop": ends an InProgress (or NotStarted) instance now; outcomes are computed; auto-apply applies them. */
export async function stopAccessReview(ctx: Ctx, actor: Actor, raw: { instanceId: string }) {
  const input = parseInput(reviewInstanceRef, raw);
  const meta: UseCaseMeta = { category, operation: "accessReview.stop", activity: "Access review stopped" };
  const r = await runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "stop access reviews");
    const l = await lockInstance(tx, input.instanceId, input.definitionId);
    if (!l) throw new PimError("NotFound", "The access review was not found.");
    if (l.inst.status !== "InProgress" && l.inst.status !== "NotStarted")
      throw new PimError("Conflict", "This review has already ended.");
    return completeInstance(tx, now, l.inst, l.def, actor, "stopped");
  });
  const applied = r.autoApply ? await applyInstance(ctx, actor, input.instanceId) : null;
  return { ...r, applied };
}

/** "Reset": clears every decision of an InProgress instance (audited with how many were cleared). */
export async function resetAccessReview(ctx: Ctx, actor: Actor, raw: { instanceId: string }) {
  const input = parseInput(reviewInstanceRef, raw);
  const meta: UseCaseMeta = { category, operation: "accessReview.reset", activity: "Access review reset" };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "reset access reviews");
    const l = await lockInstance(tx, input.instanceId, input.definitionId);
    if (!l) throw new PimError("NotFound", "The access review was not found.");
    if (l.inst.status !== "InProgress") throw new PimError("Conflict", "Only a review in progress can be reset.");
    const gone = await tx.delete(decisions).where(eq(decisions.instanceId, l.inst.id)).returning({ id: decisions.id });
    await tx.update(instances).set({ decidedCount: 0 }).where(eq(instances.id, l.inst.id));
    await auditChange(tx, now, {
      category,
      activity: "Access review reset",
      operation: "accessReview.reset",
      actor,
      changed: [l.inst.id],
      details: { definitionId: l.def.id, instanceId: l.inst.id, decisionsCleared: gone.length },
    });
    return { decisionsCleared: gone.length };
  });
}

/** "Apply": removes denied access of a Completed instance (see `applyInstance`); admins only. */
export async function applyAccessReview(ctx: Ctx, actor: Actor, raw: { instanceId: string }): Promise<ApplyCounts> {
  const input = parseInput(reviewInstanceRef, raw);
  const meta: UseCaseMeta = { category, operation: "accessReview.apply", activity: "Access review results applied" };
  await runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "apply access review results");
    const [inst] = await tx.select().from(instances).where(eq(instances.id, input.instanceId));
    if (!inst || (input.definitionId && inst.definitionId !== input.definitionId))
      throw new PimError("NotFound", "The access review was not found.");
    if (inst.status === "Applied") throw new PimError("Conflict", "The results of this review are already applied.");
    if (inst.status !== "Completed")
      throw new PimError("Conflict", "Results can be applied once the review has ended: stop it first.");
  });
  return applyInstance(ctx, actor, input.instanceId);
}

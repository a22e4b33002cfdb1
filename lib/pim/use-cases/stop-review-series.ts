/**
 * Stop a review series (Graph: `POST definitions/{id}/stop`, `DELETE definitions/{id}`): no further instance
 * opens. The upcoming instance that a completed one already scheduled is removed (it has no items yet); a
 * first instance that has not started is stopped; the instance in progress is stopped too unless
 * `stopCurrent` is false (then it runs to its end and opens nothing after). History stays.
 */
import { and, eq, gt, inArray } from "drizzle-orm";
import { accessReviewDefinitions as defs, accessReviewInstances as instances } from "@/db/schema";
import { stopReviewSeriesInput, type StopReviewSeriesInput } from "@/lib/validation/governance";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { applyInstance, completeInstance } from "../governance/review-lifecycle";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

const category = "AccessReviews";

export async function stopAccessReviewSeries(
  ctx: Ctx,
  actor: Actor,
  raw: StopReviewSeriesInput,
): Promise<{ stoppedInstanceIds: string[]; removedUpcoming: number; applied: number }> {
  const input = parseInput(stopReviewSeriesInput, raw);
  const meta: UseCaseMeta = {
    category,
    operation: "accessReview.stopSeries",
    activity: "Access review series stopped",
  };
  const r = await runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "stop access reviews");
    const [locked] = await tx.select().from(defs).where(eq(defs.id, input.definitionId)).for("update");
    if (!locked) throw new PimError("NotFound", "The access review was not found.");
    if (locked.stoppedAt) throw new PimError("Conflict", "This review series is already stopped.");
    const [def] = await tx.update(defs).set({ stoppedAt: now }).where(eq(defs.id, locked.id)).returning();
    if (!def) throw new Error("update failed");
    // Instances still open, locked in a fixed order (the scheduled job claims them one at a time with SKIP LOCKED).
    const open = await tx
      .select()
      .from(instances)
      .where(and(eq(instances.definitionId, def.id), inArray(instances.status, ["NotStarted", "InProgress"])))
      .orderBy(instances.sequence)
      .for("update");
    const upcoming = open.filter((i) => i.status === "NotStarted" && i.sequence > 1);
    if (upcoming.length)
      await tx.delete(instances).where(
        and(
          inArray(
            instances.id,
            upcoming.map((i) => i.id),
          ),
          eq(instances.status, "NotStarted"),
          gt(instances.sequence, 1),
        ),
      );
    const toStop = open.filter(
      (i) => (i.status === "NotStarted" && i.sequence === 1) || (i.status === "InProgress" && input.stopCurrent),
    );
    const autoApply: string[] = [];
    for (const inst of toStop) {
      const c = await completeInstance(tx, now, inst, def, actor, "stopped");
      if (c.autoApply && inst.status === "InProgress") autoApply.push(inst.id);
    }
    await auditChange(tx, now, {
      category,
      activity: "Access review series stopped",
      operation: "accessReview.stopSeries",
      actor,
      changed: [def.id],
      details: {
        definitionId: def.id,
        displayName: def.displayName,
        recurrence: def.recurrence,
        stoppedInstanceIds: toStop.map((i) => i.id),
        removedUpcoming: upcoming.length,
        currentKeptRunning: !input.stopCurrent && open.some((i) => i.status === "InProgress"),
      },
    });
    return { stoppedInstanceIds: toStop.map((i) => i.id), removedUpcoming: upcoming.length, autoApply };
  });
  let applied = 0;
  for (const id of r.autoApply) {
    await applyInstance(ctx, actor, id);
    applied++;
  }
  return { stoppedInstanceIds: r.stoppedInstanceIds, removedUpcoming: r.removedUpcoming, applied };
}

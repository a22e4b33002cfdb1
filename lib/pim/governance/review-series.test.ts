import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { accessReviewInstances, users } from "@/db/schema";
import { days, hours } from "@/test/db";
import { auditRows, pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import type { TestUser } from "@/test/fixtures/directory";
import { USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import type { CreateAccessReviewInput } from "@/lib/validation/governance";
import { createAccessReview, decideReviewItems, stopAccessReview } from "@/lib/pim/use-cases/access-reviews";
import { acceptReviewRecommendations, recordReviewDecisions } from "@/lib/pim/use-cases/review-decisions";
import { stopAccessReviewSeries } from "@/lib/pim/use-cases/stop-review-series";
import { getAccessReview, getMyReview } from "@/lib/pim/queries/access-reviews";
import { advanceReviews } from "./review-lifecycle";

let w: PimWorld;
afterEach(async () => w?.h.drop());
const ago = (ms: number) => new Date(T0.getTime() - ms);

/** Alex (never signed in: recommendation Deny), Sophia (signed in, activated yesterday: Approve), Mia (Deny). */
async function people() {
  const [liam, alex, sophia, mia] = await w.d.users("Liam Carter", "Alex Johnson", "Sophia Davis", "Mia Stale");
  await w.d.eligible(alex, USER_ADMINISTRATOR, { start: ago(days(60)) });
  const es = await w.d.eligible(sophia, USER_ADMINISTRATOR, { start: ago(days(60)) });
  await w.d.eligible(mia, USER_ADMINISTRATOR, { start: ago(days(60)) });
  await w.d.active(sophia, USER_ADMINISTRATOR, {
    start: ago(days(1)),
    end: ago(days(1) - hours(1)),
    assignmentType: "Activated",
    eligibilityScheduleId: es.id,
    status: "Expired",
  });
  await w.h.db
    .update(users)
    .set({ lastSignInAt: ago(hours(3)) })
    .where(eq(users.id, sophia.id));
  return { liam, alex, sophia, mia };
}

const review = (reviewer: TestUser, extra: Partial<CreateAccessReviewInput> = {}): CreateAccessReviewInput => ({
  displayName: "User Administrator review",
  roleDefinitionIds: [USER_ADMINISTRATOR],
  assignmentKind: "eligible",
  stages: [{ reviewerType: "selected", reviewers: [{ type: "User", id: reviewer.id }], durationDays: 7 }],
  startDateTime: w.clock.now(),
  ...extra,
});

const decisionsOf = async (reviewer: TestUser, instanceId: string) =>
  Object.fromEntries(
    (await getMyReview(w.ctx, reviewer.actor(), { instanceId })).rows.map((i) => [
      i.principalName,
      i.decisions.map((d) => `${d.decision}: ${d.justification}`).join(),
    ]),
  );

describe("Accept recommendations", () => {
  it("every undecided item takes its recommendation with its reason; decided ones keep theirs; audited", async () => {
    w = await pimWorld();
    const p = await people();
    const r = await createAccessReview(w.ctx, w.alice.actor(), review(p.liam));
    const mine = await getMyReview(w.ctx, p.liam.actor(), { instanceId: r.instanceId });
    const mia = mine.rows.find((i) => i.principalId === p.mia.id);
    await decideReviewItems(w.ctx, p.liam.actor(), {
      instanceId: r.instanceId,
      itemIds: [mia!.id],
      decision: "Approve",
      justification: "Back from leave next week",
    });
    // Someone who reviews nothing here is refused, and nothing is written.
    await rejects(acceptReviewRecommendations(w.ctx, p.alex.actor(), { instanceId: r.instanceId }), "Forbidden");
    const out = await acceptReviewRecommendations(w.ctx, p.liam.actor(), { instanceId: r.instanceId });
    expect(out).toEqual({ decided: 2, approved: 1, denied: 1 });
    expect(await decisionsOf(p.liam, r.instanceId)).toEqual({
      "Alex Johnson": "Deny: Accepted the recommendation: Never signed in",
      "Mia Stale": "Approve: Back from leave next week",
      "Sophia Davis": "Approve: Accepted the recommendation: Signed in and used the role recently",
    });
    const rows = (await auditRows(w.ctx, "accessReview.decide")).filter(
      (a) => (a.details as { acceptedRecommendation?: boolean }).acceptedRecommendation,
    );
    expect(rows.map((a) => [a.target_id, a.activity, a.actor_id]).sort()).toEqual(
      [
        [p.alex.id, "Access review decision: Deny", p.liam.id],
        [p.sophia.id, "Access review decision: Approve", p.liam.id],
      ].sort(),
    );
    expect((await getAccessReview(w.ctx, w.alice.actor(), r.definitionId)).instance?.decidedCount).toBe(3);
    // Again: nothing left undecided.
    expect(await acceptReviewRecommendations(w.ctx, p.liam.actor(), { instanceId: r.instanceId })).toEqual({
      decided: 0,
      approved: 0,
      denied: 0,
    });
  });
});

describe("batch decisions (Graph's batchRecordDecisions)", () => {
  it("decides all the reviewer's items, or one principal's; the reason rule holds", async () => {
    w = await pimWorld();
    const p = await people();
    const r = await createAccessReview(w.ctx, w.alice.actor(), review(p.liam));
    await rejects(
      recordReviewDecisions(w.ctx, p.liam.actor(), { instanceId: r.instanceId, decision: "Deny" }),
      "JustificationRule",
    );
    await rejects(
      recordReviewDecisions(w.ctx, p.alex.actor(), {
        instanceId: r.instanceId,
        decision: "Approve",
        justification: "x",
      }),
      "Forbidden",
    );
    expect(
      await recordReviewDecisions(w.ctx, p.liam.actor(), {
        instanceId: r.instanceId,
        decision: "Deny",
        justification: "Left",
        principalId: p.alex.id,
      }),
    ).toEqual({ decided: 1 });
    expect(
      await recordReviewDecisions(w.ctx, p.liam.actor(), {
        instanceId: r.instanceId,
        decision: "Approve",
        justification: "Team",
        resourceId: USER_ADMINISTRATOR,
      }),
    ).toEqual({ decided: 3 });
    expect(await decisionsOf(p.liam, r.instanceId)).toEqual({
      "Alex Johnson": "Approve: Team",
      "Mia Stale": "Approve: Team",
      "Sophia Davis": "Approve: Team",
    });
  });
});

describe("stopping a recurring series", () => {
  it("no next instance opens after it; the instance in progress stops (or runs on when asked); audited", async () => {
    w = await pimWorld();
    const p = await people();
    const r = await createAccessReview(w.ctx, w.alice.actor(), review(p.liam, { recurrence: "weekly" }));
    // A reviewer cannot stop it.
    await rejects(stopAccessReviewSeries(w.ctx, p.liam.actor(), { definitionId: r.definitionId }), "Forbidden");
    const out = await stopAccessReviewSeries(w.ctx, w.alice.actor(), { definitionId: r.definitionId });
    expect(out).toMatchObject({ stoppedInstanceIds: [r.instanceId], removedUpcoming: 0 });
    await rejects(stopAccessReviewSeries(w.ctx, w.alice.actor(), { definitionId: r.definitionId }), "Conflict");
    // Months pass: the job opens nothing for this review.
    for (let k = 1; k <= 5; k++) {
      w.clock.set(new Date(T0.getTime() + k * days(8)));
      await advanceReviews(w.ctx);
    }
    const list = await w.h.db
      .select()
      .from(accessReviewInstances)
      .where(eq(accessReviewInstances.definitionId, r.definitionId));
    expect(list.map((i) => [i.sequence, i.status])).toEqual([[1, "Completed"]]);
    const detail = await getAccessReview(w.ctx, w.alice.actor(), r.definitionId);
    expect(detail.definition.stoppedAt).not.toBeNull();
    const stops = await auditRows(w.ctx, "accessReview.stopSeries");
    expect(stops.map((a) => [a.result, a.actor_id])).toEqual([
      ["failure", p.liam.id],
      ["success", w.alice.id],
      ["failure", w.alice.id],
    ]);
    const audit = stops[1];
    expect(audit?.details).toMatchObject({ definitionId: r.definitionId, removedUpcoming: 0 });
  });

  it("with stopCurrent false the instance in progress runs to its end and opens nothing after", async () => {
    w = await pimWorld();
    const p = await people();
    const r = await createAccessReview(w.ctx, w.alice.actor(), review(p.liam, { recurrence: "weekly" }));
    // Without the stop, the job would complete it after 7 days and schedule the next.
    w.clock.set(new Date(T0.getTime() + days(7) + hours(1)));
    await advanceReviews(w.ctx);
    const before = await w.h.db
      .select()
      .from(accessReviewInstances)
      .where(eq(accessReviewInstances.definitionId, r.definitionId));
    expect(before.map((i) => [i.sequence, i.status]).sort()).toEqual([
      [1, "Completed"],
      [2, "InProgress"],
    ]);
    w.clock.set(new Date(T0.getTime() + days(7) + hours(2)));
    const out = await stopAccessReviewSeries(w.ctx, w.alice.actor(), {
      definitionId: r.definitionId,
      stopCurrent: false,
    });
    expect(out).toMatchObject({ stoppedInstanceIds: [], removedUpcoming: 0 });
    // The second instance still takes decisions, then ends; no third one ever opens.
    const second = before.find((i) => i.sequence === 2)!;
    await recordReviewDecisions(w.ctx, p.liam.actor(), {
      instanceId: second.id,
      decision: "Approve",
      justification: "Fine",
    });
    for (let k = 2; k <= 6; k++) {
      w.clock.set(new Date(T0.getTime() + k * days(8)));
      await advanceReviews(w.ctx);
    }
    const after = await w.h.db
      .select()
      .from(accessReviewInstances)
      .where(eq(accessReviewInstances.definitionId, r.definitionId));
    expect(after.map((i) => [i.sequence, i.status]).sort()).toEqual([
      [1, "Completed"],
      [2, "Completed"],
    ]);
  });

  it("an upcoming instance already scheduled (the current one was stopped early) is removed", async () => {
    w = await pimWorld();
    const p = await people();
    const r = await createAccessReview(w.ctx, w.alice.actor(), review(p.liam, { recurrence: "monthly" }));
    w.clock.set(new Date(T0.getTime() + days(1)));
    await stopAccessReview(w.ctx, w.alice.actor(), { instanceId: r.instanceId });
    const scheduled = await w.h.db
      .select()
      .from(accessReviewInstances)
      .where(eq(accessReviewInstances.definitionId, r.definitionId));
    expect(scheduled.map((i) => [i.sequence, i.status]).sort()).toEqual([
      [1, "Completed"],
      [2, "NotStarted"],
    ]);
    expect(await stopAccessReviewSeries(w.ctx, w.alice.actor(), { definitionId: r.definitionId })).toMatchObject({
      stoppedInstanceIds: [],
      removedUpcoming: 1,
    });
    w.clock.set(new Date(T0.getTime() + days(70)));
    await advanceReviews(w.ctx);
    const after = await w.h.db
      .select()
      .from(accessReviewInstances)
      .where(eq(accessReviewInstances.definitionId, r.definitionId));
    expect(after.map((i) => [i.sequence, i.status])).toEqual([[1, "Completed"]]);
  });
});

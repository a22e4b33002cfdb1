import { afterEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { accessReviewInstances, accessReviewItems, roleEligibilitySchedules, users } from "@/db/schema";
import { countStatements, days, hours } from "@/test/db";
import { listAlerts } from "@/lib/pim/queries/alerts";
import { auditRows, count, pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import type { TestUser } from "@/test/fixtures/directory";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import type { CreateAccessReviewInput } from "@/lib/validation/governance";
import { fanOutEvents } from "@/lib/pim/notifications/fan-out";
import { TEST_BASE_URL } from "@/test/fixtures/notifications";
import {
  applyAccessReview,
  createAccessReview,
  decideReviewItems,
  resetAccessReview,
  stopAccessReview,
} from "@/lib/pim/use-cases/access-reviews";
import {
  getAccessReview,
  getMyReview,
  listAccessReviews,
  listMyReviews,
  listReviewItems,
} from "@/lib/pim/queries/access-reviews";
import { listActivity } from "@/lib/pim/queries/activity-log";
import { advanceReviews } from "./review-lifecycle";

let w: PimWorld;
afterEach(async () => w?.h.drop());
const ago = (ms: number) => new Date(T0.getTime() - ms);
const later = (ms: number) => new Date(w.clock.now().getTime() + ms);

/** Alex (never signed in, never activated) and Sophia (signed in and activated yesterday), eligible for 60 days. */
async function people() {
  const [liam, alex, sophia, olivia] = await w.d.users("Liam Carter", "Alex Johnson", "Sophia Davis", "Olivia Brown");
  const ea = await w.d.eligible(alex, USER_ADMINISTRATOR, { start: ago(days(60)) });
  const es = await w.d.eligible(sophia, USER_ADMINISTRATOR, { start: ago(days(60)) });
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
  return { liam, alex, sophia, olivia, ea, es };
}

const review = (reviewer: TestUser, extra: Partial<CreateAccessReviewInput> = {}): CreateAccessReviewInput => ({
  displayName: "User Administrator review",
  roleDefinitionIds: [USER_ADMINISTRATOR],
  assignmentKind: "eligible",
  stages: [
    {
      reviewerType: "selected",
      reviewers: [{ type: "User", id: reviewer.id }],
      fallbackReviewers: [],
      durationDays: 7,
    },
  ],
  startDateTime: w.clock.now(),
  ...extra,
});

async function itemsOf(instanceId: string) {
  return (await listReviewItems(w.ctx, w.alice.actor(), { instanceId, limit: 100 })).rows;
}

describe("a review of one scope", () => {
  it("covers the assignments at that scope only; an unknown scope is refused and creates nothing", async () => {
    w = await pimWorld();
    const p = await people();
    const au = await w.d.administrativeUnit("Berlin Office");
    const scope = `/administrativeUnits/${au.id}`;
    const berliner = await w.d.user("Bea Berlin");
    await w.d.eligible(berliner, USER_ADMINISTRATOR, { start: ago(days(60)), scope });
    const r = await createAccessReview(w.ctx, w.alice.actor(), review(p.liam, { directoryScopeId: scope }));
    const items = await itemsOf(r.instanceId!);
    expect(items.map((i) => [i.principalName, i.directoryScopeId])).toEqual([["Bea Berlin", scope]]);
    const before = await count(w.ctx, sql`select count(*) n from access_review_definitions`);
    await rejects(
      createAccessReview(
        w.ctx,
        w.alice.actor(),
        review(p.liam, { directoryScopeId: "/administrativeUnits/00000000-0000-4000-8000-000000000000" }),
      ),
      "NotFound",
    );
    expect(await count(w.ctx, sql`select count(*) n from access_review_definitions`)).toBe(before);
  });
});

describe("a one-time review, decided and applied", () => {
  it("Liam denies Alex with a reason and approves Sophia; Alice stops and applies; Alex's eligibility is removed and Activity shows it", async () => {
    w = await pimWorld();
    const p = await people();
    const r = await createAccessReview(w.ctx, w.alice.actor(), review(p.liam));
    expect(r.status).toBe("InProgress");
    const mine = await listMyReviews(w.ctx, p.liam.actor());
    expect(mine).toMatchObject([{ instanceId: r.instanceId, toReview: 2, pending: 2 }]);
    const page = await getMyReview(w.ctx, p.liam.actor(), { instanceId: r.instanceId });
    const alexItem = page.rows.find((i) => i.principalId === p.alex.id);
    const sophiaItem = page.rows.find((i) => i.principalId === p.sophia.id);
    // recommendations with their reasons, last sign-in and last activation
    expect(alexItem).toMatchObject({
      recommendation: "Deny",
      recommendationReason: "Never signed in",
      lastActivationAt: null,
    });
    expect(sophiaItem).toMatchObject({ recommendation: "Approve", lastActivationAt: ago(days(1)) });
    // a reason is required to deny, and (this review) to approve
    await rejects(
      decideReviewItems(w.ctx, p.liam.actor(), { instanceId: r.instanceId, itemIds: [alexItem!.id], decision: "Deny" }),
      "JustificationRule",
    );
    await rejects(
      decideReviewItems(w.ctx, p.liam.actor(), {
        instanceId: r.instanceId,
        itemIds: [sophiaItem!.id],
        decision: "Approve",
      }),
      "JustificationRule",
    );
    // someone who is not the reviewer may not decide
    await rejects(
      decideReviewItems(w.ctx, p.olivia.actor(), {
        instanceId: r.instanceId,
        itemIds: [alexItem!.id],
        decision: "Approve",
        justification: "x",
      }),
      "Forbidden",
    );
    await rejects(getMyReview(w.ctx, p.olivia.actor(), { instanceId: r.instanceId }), "NotFound");
    await decideReviewItems(w.ctx, p.liam.actor(), {
      instanceId: r.instanceId,
      itemIds: [alexItem!.id],
      decision: "Deny",
      justification: "Moved to another team",
    });
    await decideReviewItems(w.ctx, p.liam.actor(), {
      instanceId: r.instanceId,
      itemIds: [sophiaItem!.id],
      decision: "Approve",
      justification: "Still runs onboarding",
    });
    expect((await getAccessReview(w.ctx, w.alice.actor(), r.definitionId)).instance).toMatchObject({
      decidedCount: 2,
      itemCount: 2,
    });
    await rejects(applyAccessReview(w.ctx, w.alice.actor(), { instanceId: r.instanceId }), "Conflict"); // still in progress
    w.clock.set(later(hours(1)));
    await stopAccessReview(w.ctx, w.alice.actor(), { instanceId: r.instanceId });
    await rejects(
      decideReviewItems(w.ctx, p.liam.actor(), {
        instanceId: r.instanceId,
        itemIds: [alexItem!.id],
        decision: "Approve",
        justification: "x",
      }),
      "Conflict",
    );
    const res = await applyAccessReview(w.ctx, w.alice.actor(), { instanceId: r.instanceId });
    expect(res).toEqual({ removed: 1, notRemoved: 0, alreadyEnded: 0 });
    const [ea] = await w.h.db.select().from(roleEligibilitySchedules).where(eq(roleEligibilitySchedules.id, p.ea.id));
    const [es] = await w.h.db.select().from(roleEligibilitySchedules).where(eq(roleEligibilitySchedules.id, p.es.id));
    expect(ea?.status).toBe("Revoked");
    expect(es?.status).toBe("Provisioned");
    const detail = await getAccessReview(w.ctx, w.alice.actor(), r.definitionId);
    expect(detail.instance?.status).toBe("Applied");
    expect(detail.outcomes).toEqual({ Approve: 1, Deny: 1, DontKnow: 0, NotReviewed: 0 });
    const items = await itemsOf(r.instanceId);
    expect(items.find((i) => i.principalId === p.alex.id)).toMatchObject({
      outcome: "Deny",
      outcomeSource: "reviewer",
      applyResult: "Removed",
      decisions: [{ stage: 0, decision: "Deny", reviewerName: "Liam Carter", justification: "Moved to another team" }],
    });
    // Activity: the decisions, the removal (with the review's reason) and the application
    const log = await listActivity(w.ctx, w.alice.actor(), { view: "resource" }, { limit: 50 });
    const acts = log.rows.map((x) => x.activity);
    expect(acts).toContain("Remove eligible member from role in PIM completed");
    expect(acts).toContain("Access review decision: Deny");
    expect(acts).toContain("Access review results applied");
    const removal = (await auditRows(w.ctx, "adminRemove")).find((a) => a.target_id === p.alex.id);
    expect(removal?.result).toBe("success");
    await rejects(applyAccessReview(w.ctx, w.alice.actor(), { instanceId: r.instanceId }), "Conflict"); // once
    // Alex is told (assignmentRemoved notice)
    await fanOutEvents(w.h.db, w.clock.now(), { baseUrl: TEST_BASE_URL });
    expect(
      await count(
        w.ctx,
        sql`select count(*) n from notifications where recipient_user_id = ${p.alex.id}::uuid and event_type = 'assignmentRemoved'`,
      ),
    ).toBe(1);
    expect(
      await count(
        w.ctx,
        sql`select count(*) n from notifications where recipient_user_id = ${p.liam.id}::uuid and event_type = 'reviewStarted'`,
      ),
    ).toBe(1);
  });

  it("bulk decisions, Don't know, and reset clears them", async () => {
    w = await pimWorld();
    const p = await people();
    const r = await createAccessReview(w.ctx, w.alice.actor(), review(p.liam, { justificationRequired: false }));
    const ids = (await getMyReview(w.ctx, p.liam.actor(), { instanceId: r.instanceId })).rows.map((i) => i.id);
    await decideReviewItems(w.ctx, p.liam.actor(), { instanceId: r.instanceId, itemIds: ids, decision: "Approve" });
    expect((await listMyReviews(w.ctx, p.liam.actor()))[0]?.pending).toBe(0);
    await decideReviewItems(w.ctx, p.liam.actor(), {
      instanceId: r.instanceId,
      itemIds: [ids[0]!],
      decision: "DontKnow",
    });
    expect((await auditRows(w.ctx, "accessReview.decide")).length).toBe(3);
    const reset = await resetAccessReview(w.ctx, w.alice.actor(), { instanceId: r.instanceId });
    expect(reset.decisionsCleared).toBe(2);
    expect((await listMyReviews(w.ctx, p.liam.actor()))[0]?.pending).toBe(2);
  });
});

describe("no-response outcomes and auto-apply", () => {
  for (const [defaultDecision, alex, sophia] of [
    ["noChange", "NotReviewed", "NotReviewed"],
    ["remove", "Deny", "Deny"],
    ["approve", "Approve", "Approve"],
    ["recommendation", "Deny", "Approve"],
  ] as const) {
    it(`${defaultDecision}: Alex → ${alex}, Sophia → ${sophia} when nobody responds; auto-apply removes the denied`, async () => {
      w = await pimWorld();
      const p = await people();
      const r = await createAccessReview(w.ctx, w.alice.actor(), review(p.liam, { defaultDecision, autoApply: true }));
      w.clock.set(later(days(7)));
      const counts = await advanceReviews(w.ctx);
      expect(counts).toMatchObject({ completed: 1, applied: 1 });
      const items = await itemsOf(r.instanceId);
      expect(items.find((i) => i.principalId === p.alex.id)?.outcome).toBe(alex);
      expect(items.find((i) => i.principalId === p.sophia.id)?.outcome).toBe(sophia);
      const live = await count(
        w.ctx,
        sql`select count(*) n from role_eligibility_schedules where role_definition_id = ${USER_ADMINISTRATOR}::uuid and status = 'Provisioned'`,
      );
      expect(live).toBe(2 - [alex, sophia].filter((o) => o === "Deny").length);
      const [inst] = await w.h.db
        .select()
        .from(accessReviewInstances)
        .where(eq(accessReviewInstances.id, r.instanceId));
      expect(inst?.status).toBe("Applied");
    });
  }

  it("lockout protection holds when a review denies the last Global Administrator", async () => {
    w = await pimWorld();
    const liam = await w.d.user("Liam Carter");
    const r = await createAccessReview(
      w.ctx,
      w.alice.actor(),
      review(liam, { roleDefinitionIds: [GLOBAL_ADMINISTRATOR], assignmentKind: "active", defaultDecision: "remove" }),
    );
    await stopAccessReview(w.ctx, w.alice.actor(), { instanceId: r.instanceId });
    const res = await applyAccessReview(w.ctx, w.alice.actor(), { instanceId: r.instanceId });
    expect(res).toEqual({ removed: 0, notRemoved: 1, alreadyEnded: 0 });
    expect((await itemsOf(r.instanceId))[0]?.applyResult).toMatch(/^Not removed: .*Global Administrator/);
  });
});

describe("scheduling: start, recurrence, reminders, multi-stage", () => {
  it("a future start is NotStarted until the job starts it; weekly recurrence opens the next instance; reminders go once", async () => {
    w = await pimWorld();
    const p = await people();
    const r = await createAccessReview(
      w.ctx,
      w.alice.actor(),
      review(p.liam, {
        startDateTime: later(days(1)),
        recurrence: "weekly",
        recurrenceEndDateTime: later(days(10)),
        stages: [
          {
            reviewerType: "selected",
            reviewers: [{ type: "User", id: p.liam.id }],
            fallbackReviewers: [],
            durationDays: 3,
          },
        ],
      }),
    );
    expect(r.status).toBe("NotStarted");
    expect((await advanceReviews(w.ctx)).started).toBe(0);
    w.clock.set(later(days(1)));
    expect((await advanceReviews(w.ctx)).started).toBe(1);
    w.clock.set(later(days(2)));
    expect((await advanceReviews(w.ctx)).reminded).toBe(1);
    expect((await advanceReviews(w.ctx)).reminded).toBe(0);
    w.clock.set(later(days(1)));
    expect((await advanceReviews(w.ctx)).completed).toBe(1);
    let all = await getAccessReview(w.ctx, w.alice.actor(), r.definitionId);
    expect(all.instances.map((i) => [i.sequence, i.status])).toEqual([
      [2, "NotStarted"],
      [1, "Completed"],
    ]);
    expect(all.instances[0]?.startDateTime).toEqual(new Date(T0.getTime() + days(8)));
    w.clock.set(new Date(T0.getTime() + days(8)));
    expect((await advanceReviews(w.ctx)).started).toBe(1);
    w.clock.set(new Date(T0.getTime() + days(11)));
    await advanceReviews(w.ctx);
    all = await getAccessReview(w.ctx, w.alice.actor(), r.definitionId);
    // the third would start on day 15, after the recurrence's end (day 11)
    expect(all.instances.map((i) => [i.sequence, i.status])).toEqual([
      [2, "Completed"],
      [1, "Completed"],
    ]);
    await fanOutEvents(w.h.db, w.clock.now(), { baseUrl: TEST_BASE_URL });
    expect(
      await count(
        w.ctx,
        sql`select count(*) n from notifications where recipient_user_id = ${p.liam.id}::uuid and event_type = 'reviewReminder'`,
      ),
    ).toBe(1);
    expect(
      await count(
        w.ctx,
        sql`select count(*) n from notifications where recipient_user_id = ${w.alice.id}::uuid and event_type = 'reviewCompleted'`,
      ),
    ).toBe(2);
  });

  it("multi-stage: stage 2 reviewers see stage 1's decision, and the last stage's decision is the outcome", async () => {
    w = await pimWorld();
    const p = await people();
    const r = await createAccessReview(
      w.ctx,
      w.alice.actor(),
      review(p.liam, {
        stages: [
          {
            reviewerType: "selected",
            reviewers: [{ type: "User", id: p.liam.id }],
            fallbackReviewers: [],
            durationDays: 3,
          },
          {
            reviewerType: "selected",
            reviewers: [{ type: "User", id: p.olivia.id }],
            fallbackReviewers: [],
            durationDays: 4,
          },
        ],
      }),
    );
    const s1 = await getMyReview(w.ctx, p.liam.actor(), { instanceId: r.instanceId });
    const alexItem = s1.rows.find((i) => i.principalId === p.alex.id)!;
    await decideReviewItems(w.ctx, p.liam.actor(), {
      instanceId: r.instanceId,
      itemIds: [alexItem.id],
      decision: "Deny",
      justification: "Unused",
    });
    await rejects(getMyReview(w.ctx, p.olivia.actor(), { instanceId: r.instanceId }), "NotFound"); // not her stage yet
    w.clock.set(later(days(3)));
    expect((await advanceReviews(w.ctx)).stagesAdvanced).toBe(1);
    await rejects(
      decideReviewItems(w.ctx, p.liam.actor(), {
        instanceId: r.instanceId,
        itemIds: [alexItem.id],
        decision: "Approve",
        justification: "x",
      }),
      "Forbidden",
    );
    const s2 = await getMyReview(w.ctx, p.olivia.actor(), { instanceId: r.instanceId });
    expect(s2.review.currentStage).toBe(1);
    expect(s2.rows.find((i) => i.id === alexItem.id)?.decisions).toMatchObject([
      { stage: 0, decision: "Deny", reviewerName: "Liam Carter", justification: "Unused" },
    ]);
    await decideReviewItems(w.ctx, p.olivia.actor(), {
      instanceId: r.instanceId,
      itemIds: [alexItem.id],
      decision: "Approve",
      justification: "Needed for the migration",
    });
    w.clock.set(later(days(4)));
    await advanceReviews(w.ctx);
    const [it] = await w.h.db.select().from(accessReviewItems).where(eq(accessReviewItems.id, alexItem.id));
    expect(it).toMatchObject({ outcome: "Approve", outcomeSource: "reviewer" });
  });

  it("members review themselves; managers review their reports with a fallback", async () => {
    w = await pimWorld();
    const p = await people();
    await w.h.db.update(users).set({ managerId: p.olivia.id }).where(eq(users.id, p.alex.id));
    const self = await createAccessReview(
      w.ctx,
      w.alice.actor(),
      review(p.liam, {
        stages: [{ reviewerType: "self", reviewers: [], fallbackReviewers: [], durationDays: 7 }],
      }),
    );
    expect(
      (await getMyReview(w.ctx, p.alex.actor(), { instanceId: self.instanceId })).rows.map((i) => i.principalId),
    ).toEqual([p.alex.id]);
    const mgr = await createAccessReview(
      w.ctx,
      w.alice.actor(),
      review(p.liam, {
        stages: [
          {
            reviewerType: "manager",
            reviewers: [],
            fallbackReviewers: [{ type: "User", id: p.liam.id }],
            durationDays: 7,
          },
        ],
      }),
    );
    expect(
      (await getMyReview(w.ctx, p.olivia.actor(), { instanceId: mgr.instanceId })).rows.map((i) => i.principalId),
    ).toEqual([p.alex.id]);
    expect(
      (await getMyReview(w.ctx, p.liam.actor(), { instanceId: mgr.instanceId })).rows.map((i) => i.principalId),
    ).toEqual([p.sophia.id]);
  });
});

describe("bounded reads", () => {
  it("the review pages' read models send a fixed number of statements whatever the number of items", async () => {
    w = await pimWorld();
    const p = await people();
    const r = await createAccessReview(w.ctx, w.alice.actor(), review(p.liam));
    const measure = async () => {
      const counts: number[] = [];
      const fns: (() => Promise<unknown>)[] = [
        () => listAccessReviews(w.ctx, w.alice.actor()),
        () => getAccessReview(w.ctx, w.alice.actor(), r.definitionId),
        () => listReviewItems(w.ctx, w.alice.actor(), { instanceId: r.instanceId }),
        () => getMyReview(w.ctx, p.liam.actor(), { instanceId: r.instanceId }),
        () => listAlerts(w.ctx, w.alice.actor()),
      ];
      for (const fn of fns) counts.push((await countStatements(fn)).statements.length);
      return counts;
    };
    const small = await measure();
    // 30 more members under review (a new instance of the same shape)
    for (let i = 0; i < 30; i++)
      await w.d.eligible(await w.d.user(`Member ${i}`), USER_ADMINISTRATOR, { start: ago(days(60)) });
    const r2 = await createAccessReview(w.ctx, w.alice.actor(), review(p.liam));
    expect((await getAccessReview(w.ctx, w.alice.actor(), r2.definitionId)).instance?.itemCount).toBe(32);
    expect(await measure()).toEqual(small);
    expect(Math.max(...small)).toBeLessThanOrEqual(4);
  });
});

describe("authorization", () => {
  it("a non-admin gets Forbidden from every admin read model and use case", async () => {
    w = await pimWorld();
    const p = await people();
    const m = p.liam.actor();
    const r = await createAccessReview(w.ctx, w.alice.actor(), review(p.olivia));
    await rejects(createAccessReview(w.ctx, m, review(p.olivia)), "Forbidden");
    await rejects(stopAccessReview(w.ctx, m, { instanceId: r.instanceId }), "Forbidden");
    await rejects(resetAccessReview(w.ctx, m, { instanceId: r.instanceId }), "Forbidden");
    await rejects(applyAccessReview(w.ctx, m, { instanceId: r.instanceId }), "Forbidden");
    await rejects(listAccessReviews(w.ctx, m), "Forbidden");
    await rejects(getAccessReview(w.ctx, m, r.definitionId), "Forbidden");
    await rejects(listReviewItems(w.ctx, m, { instanceId: r.instanceId }), "Forbidden");
    expect(await listMyReviews(w.ctx, m)).toEqual([]);
  });
});

/**
 * "Download results" of an access review (app/(portal)/access-reviews/[id]/export): one CSV row per decision,
 * for PIM readers; anyone else gets the JSON 403 before a byte of CSV.
 */
import { setActionCtx, signInAs } from "./actions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/sessions";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { createAccessReview, decideReviewItems } from "@/lib/pim/use-cases/access-reviews";
import { createTestDb, days, hours, testClock } from "@/test/db";
import { createDirectory, type TestUser } from "@/test/fixtures/directory";
import type { Ctx } from "@/lib/pim/context";
import { GET } from "@/app/(portal)/access-reviews/[id]/export/route";

let h: Awaited<ReturnType<typeof createTestDb>>;
let ctx: Ctx;
let grace: TestUser, liam: TestUser;
let review: { definitionId: string; instanceId: string };
const sid = async (u: TestUser) =>
  (
    await createSession(ctx, {
      userId: u.id,
      maxAgeMs: hours(24),
      method: "password",
      mfaAt: ctx.now(),
      clientIp: null,
      userAgent: null,
    })
  ).id;

beforeAll(async () => {
  h = await createTestDb();
  const clock = testClock();
  ctx = { db: h.db, now: clock.now };
  setActionCtx(ctx);
  const d = await createDirectory(h.db);
  const ago = new Date(ctx.now().getTime() - days(40));
  let alex: TestUser;
  [grace, liam, alex] = await d.users("Grace Admin", "Liam Reviewer", "Alex Member");
  await d.active(grace, GLOBAL_ADMINISTRATOR, { start: ago });
  await d.eligible(alex, USER_ADMINISTRATOR, { start: ago });
  review = await createAccessReview(ctx, grace.actor(), {
    displayName: "UA review",
    roleDefinitionIds: [USER_ADMINISTRATOR],
    assignmentKind: "eligible",
    stages: [
      { reviewerType: "selected", reviewers: [{ type: "User", id: liam.id }], fallbackReviewers: [], durationDays: 7 },
    ],
    startDateTime: ctx.now(),
  });
  const [item] = await h.db.query.accessReviewItems.findMany();
  await decideReviewItems(ctx, liam.actor(), {
    instanceId: review.instanceId,
    itemIds: [item!.id],
    decision: "Deny",
    justification: "Left, the team",
  });
});
afterAll(async () => h.drop());

const get = () =>
  GET(new Request(`https://pim.test/access-reviews/${review.definitionId}/export?instance=${review.instanceId}`), {
    params: Promise.resolve({ id: review.definitionId }),
  });

describe("access review results CSV", () => {
  it("a PIM admin gets one row per decision with who, what, when and why", async () => {
    signInAs(await sid(grace));
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = (await res.text()).trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^\uFEFF?name,principal name,role,assignment,recommendation/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("Alex Member");
    expect(lines[1]).toContain(",Deny,Liam Reviewer,");
    expect(lines[1]).toContain('"Left, the team"');
  });

  it("someone who is not a PIM reader gets 403 and no CSV", async () => {
    signInAs(await sid(liam));
    const res = await get();
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("Forbidden");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { createAccessReview, decideReviewItems } from "@/lib/pim/use-cases/access-reviews";
import { refreshAlerts } from "@/lib/pim/use-cases/alerts";
import { days } from "@/test/db";
import type { TestUser } from "@/test/fixtures/directory";
import { call, errorCode, setupApi, teardown, tokenFor } from "./harness";

type Env = Awaited<ReturnType<typeof setupApi>>;
let env: Env;
let admin: TestUser, liam: TestUser, alex: TestUser, nobody: TestUser;
let tAdmin: string, tNobody: string;
let review: { definitionId: string; instanceId: string };

beforeAll(async () => {
  env = await setupApi();
  const { d, ctx } = env;
  const ago = new Date(ctx.now().getTime() - days(40));
  [admin, liam, alex, nobody] = await d.users("Grace Admin", "Liam Reviewer", "Alex Member", "Nora Nobody");
  await d.active(admin, GLOBAL_ADMINISTRATOR, { start: ago });
  await d.eligible(alex, USER_ADMINISTRATOR, { start: ago });
  [tAdmin, tNobody] = await Promise.all([tokenFor(ctx, admin), tokenFor(ctx, nobody)]);
  review = await createAccessReview(ctx, admin.actor(), {
    displayName: "UA review",
    roleDefinitionIds: [USER_ADMINISTRATOR],
    assignmentKind: "eligible",
    stages: [
      { reviewerType: "selected", reviewers: [{ type: "User", id: liam.id }], fallbackReviewers: [], durationDays: 7 },
    ],
    startDateTime: ctx.now(),
    recurrence: "quarterly",
    defaultDecision: "recommendation",
  });
  const items = await env.db.query.accessReviewItems.findMany();
  await decideReviewItems(ctx, liam.actor(), {
    instanceId: review.instanceId,
    itemIds: items.map((i) => i.id),
    decision: "Deny",
    justification: "Left the team",
  });
  await refreshAlerts(ctx, admin.actor());
});
afterAll(async () => teardown(env.handle));

const AR = "/identityGovernance/accessReviews/definitions";

describe("Graph: access reviews and role management alerts", () => {
  it("lists definitions, instances and decisions in Graph's shapes", async () => {
    const defs = await call("GET", AR, { token: tAdmin });
    expect(defs.status).toBe(200);
    const [def] = defs.json.value as Record<string, unknown>[];
    expect(def).toMatchObject({
      id: review.definitionId,
      displayName: "UA review",
      status: "InProgress",
      settings: {
        defaultDecisionEnabled: true,
        defaultDecision: "Recommendation",
        recommendationsEnabled: true,
        instanceDurationInDays: 7,
        recurrence: { pattern: { type: "absoluteMonthly", interval: 3 }, range: { type: "noEnd" } },
      },
      reviewers: [{ query: `/users/${liam.id}`, queryType: "MicrosoftGraph" }],
    });
    const inst = await call("GET", `${AR}/${review.definitionId}/instances`, { token: tAdmin });
    expect(inst.json.value).toMatchObject([{ id: review.instanceId, status: "InProgress" }]);
    const dec = await call("GET", `${AR}/${review.definitionId}/instances/${review.instanceId}/decisions`, {
      token: tAdmin,
    });
    expect(dec.status).toBe(200);
    expect(dec.json.value).toMatchObject([
      {
        accessReviewId: review.instanceId,
        decision: "Deny",
        justification: "Left the team",
        reviewedBy: { displayName: "Liam Reviewer" },
        applyResult: "New",
        recommendation: "Deny",
        principal: { id: alex.id, displayName: "Alex Member" },
        resource: { displayName: "User Administrator", type: "eligibleAssignment" },
      },
    ]);
    const missing = await call("GET", `${AR}/${review.definitionId}/instances/11111111-2222-4333-8444-555555555555`, {
      token: tAdmin,
    });
    expect(missing.status).toBe(404);
  });

  it("pages definitions with $top and @odata.nextLink", async () => {
    await createAccessReview(env.ctx, admin.actor(), {
      displayName: "Second review",
      roleDefinitionIds: [USER_ADMINISTRATOR],
      assignmentKind: "all",
      stages: [{ reviewerType: "self", reviewers: [], fallbackReviewers: [], durationDays: 3 }],
      startDateTime: new Date(env.ctx.now().getTime() + days(1)),
    });
    const first = await call("GET", `${AR}?$top=1`, { token: tAdmin });
    expect((first.json.value as unknown[]).length).toBe(1);
    const next = first.json["@odata.nextLink"] as string;
    expect(next).toContain("$skiptoken=");
    const second = await call("GET", next, { token: tAdmin });
    expect((second.json.value as { displayName: string }[]).map((v) => v.displayName)).toHaveLength(1);
    expect(second.json["@odata.nextLink"]).toBeUndefined();
    expect((await call("GET", `${AR}?$skiptoken=bogus`, { token: tAdmin })).status).toBe(400);
  });

  it("lists the alert definitions and alerts", async () => {
    const defs = await call("GET", "/identityGovernance/roleManagementAlerts/alertDefinitions", { token: tAdmin });
    expect((defs.json.value as { severityLevel: string }[]).map((d) => d.severityLevel).sort()).toEqual([
      "high",
      "low",
      "low",
      "low",
      "low",
      "medium",
    ]);
    const alerts = await call("GET", "/identityGovernance/roleManagementAlerts/alerts", { token: tAdmin });
    const byId = new Map((alerts.json.value as { id: string; isActive: boolean }[]).map((a) => [a.id, a]));
    expect(byId.get("DirectoryRole_rolesAssignedOutsidePim")).toMatchObject({ isActive: false, incidentCount: 0 });
    expect(byId.get("DirectoryRole_adminsNotUsingRoles")).toMatchObject({ isActive: true, incidentCount: 1 });
  });

  it("answers 403 to someone who is not a PIM reader", async () => {
    for (const p of [AR, "/identityGovernance/roleManagementAlerts/alerts"]) {
      const r = await call("GET", p, { token: tNobody });
      expect(r.status).toBe(403);
      expect(errorCode(r)).toBe("Authorization_RequestDenied");
    }
  });
});

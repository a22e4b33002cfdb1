/**
 * Contract test of the access review writes: the official Microsoft Graph JavaScript client
 * (@microsoft/microsoft-graph-client) over real HTTP (node:http around the app's route handlers, the test
 * database injected), with Microsoft's documented request bodies (accessReviewSet: create definitions,
 * the "configure the scope" role examples, accessReviewInstanceDecisionItem update, batchRecordDecisions),
 * ids and base URL swapped. Every write reaches the engine's use cases: the outcome is checked in the
 * portal's own read models and in the audit trail.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client, HTTPMessageHandler, type Context, type Middleware } from "@microsoft/microsoft-graph-client";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessReviewDefinitions, roleEligibilitySchedules, users } from "@/db/schema";
import * as graphRoute from "@/app/graph/v1.0/[...path]/route";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { getAccessReview } from "@/lib/pim/queries/access-reviews";
import { rowsOf } from "@/lib/pim/sql-rows";
import { days, hours } from "@/test/db";
import type { TestUser } from "@/test/fixtures/directory";
import { setupApi, teardown, tokenFor } from "./harness";

class BearerMiddleware implements Middleware {
  private next?: Middleware;
  constructor(private readonly token: string) {}
  async execute(context: Context): Promise<void> {
    context.options = {
      ...(context.options ?? {}),
      headers: {
        ...((context.options?.headers as Record<string, string>) ?? {}),
        Authorization: `Bearer ${this.token}`,
      },
    };
    if (!this.next) throw new Error("no next middleware");
    return this.next.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

let env: Awaited<ReturnType<typeof setupApi>>;
let server: Server;
let base: string;
let grace: TestUser, liam: TestUser, alex: TestUser, sophia: TestUser;
const clientFor = (token: string) =>
  Client.initWithMiddleware({
    baseUrl: `${base}/graph/`,
    defaultVersion: "v1.0",
    middleware: [new BearerMiddleware(token), new HTTPMessageHandler()],
  });
/** The Graph client's error as status and code (it throws on 4xx). */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => ({ statusCode: 0, code: "none" }),
    (e: { statusCode?: number; code?: string }) => ({ statusCode: e.statusCode, code: e.code }),
  );
const AR = "/identityGovernance/accessReviews/definitions";

beforeAll(async () => {
  env = await setupApi();
  const { d, ctx } = env;
  const past = new Date(ctx.now().getTime() - days(60));
  [grace, liam, alex, sophia] = await d.users("Grace Miller", "Liam Carter", "Alex Johnson", "Sophia Davis");
  await d.active(grace, GLOBAL_ADMINISTRATOR, { start: past });
  await d.eligible(alex, USER_ADMINISTRATOR, { start: past });
  // A group eligible too: the documented scopes filter on isof(principal,'microsoft.graph.user'), so it is left out.
  await d.eligible(await d.group("UA group"), USER_ADMINISTRATOR, { start: past });
  const es = await d.eligible(sophia, USER_ADMINISTRATOR, { start: past });
  await d.active(sophia, USER_ADMINISTRATOR, {
    start: new Date(ctx.now().getTime() - days(1)),
    end: new Date(ctx.now().getTime() - days(1) + hours(1)),
    assignmentType: "Activated",
    eligibilityScheduleId: es.id,
    status: "Expired",
  });
  await env.db
    .update(users)
    .set({ lastSignInAt: new Date(ctx.now().getTime() - hours(2)) })
    .where(eq(users.id, sophia.id));
  server = createServer(async (req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    for await (const c of req) raw += String(c);
    const url = `http://${req.headers.host}${req.url}`;
    const request = new Request(url, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: raw && req.method !== "GET" ? raw : undefined,
    });
    const fns: Record<string, (r: Request) => Promise<Response>> = {
      GET: graphRoute.GET,
      POST: graphRoute.POST,
      PATCH: graphRoute.PATCH,
      DELETE: graphRoute.DELETE,
    };
    const handler = fns[req.method ?? "GET"];
    const response = handler ? await handler(request) : new Response(null, { status: 405 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(new Uint8Array(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await teardown(env.handle);
});

/** Microsoft's create example 1, with the scope of "Review all users with eligible assignment to a privileged role". */
const eligibleReview = (reviewer: string) => ({
  displayName: "Test create",
  descriptionForAdmins: "New scheduled access review",
  descriptionForReviewers: "If you have any questions, contact jerry@contoso.com",
  scope: {
    "@odata.type": "#microsoft.graph.accessReviewQueryScope",
    query: `/roleManagement/directory/roleEligibilityScheduleInstances?$expand=principal&$filter=(isof(principal,'microsoft.graph.user') and roleDefinitionId eq '${USER_ADMINISTRATOR}')`,
    queryType: "MicrosoftGraph",
  },
  reviewers: [{ query: `/users/${reviewer}`, queryType: "MicrosoftGraph" }],
  settings: {
    mailNotificationsEnabled: true,
    reminderNotificationsEnabled: true,
    justificationRequiredOnApproval: true,
    defaultDecisionEnabled: false,
    defaultDecision: "None",
    instanceDurationInDays: 1,
    recommendationsEnabled: true,
    recurrence: {
      pattern: { type: "weekly", interval: 1 },
      range: { type: "noEnd", startDate: "2020-09-08T12:02:30.667Z" },
    },
  },
});

describe("access review writes through the Microsoft Graph JS client", () => {
  let def: { id: string };
  let instanceId: string;

  it("creates a role review from Microsoft's example body (201, Graph's shape, started, audited)", async () => {
    const graph = clientFor(await tokenFor(env.ctx, grace));
    def = await graph.api(AR).post(eligibleReview(liam.id));
    expect(def).toMatchObject({
      displayName: "Test create",
      descriptionForAdmins: "New scheduled access review",
      status: "InProgress",
      createdBy: { displayName: "Grace Miller" },
      reviewers: [{ query: `/users/${liam.id}`, queryType: "MicrosoftGraph" }],
      settings: {
        justificationRequiredOnApproval: true,
        defaultDecisionEnabled: false,
        instanceDurationInDays: 1,
        recurrence: { pattern: { type: "weekly", interval: 1 }, range: { type: "noEnd" } },
      },
    });
    const instances = await graph.api(`${AR}/${def.id}/instances`).get();
    expect(instances.value).toHaveLength(1);
    instanceId = instances.value[0].id;
    const v = await getAccessReview(env.ctx, grace.actor(), def.id);
    expect(v.definition).toMatchObject({
      principalTypes: ["User"],
      assignmentKind: "eligible",
      recurrence: "weekly",
      roleNames: ["User Administrator"],
    });
    expect(v.instance?.itemCount).toBe(2);
    const audit = await env.db.execute(
      sql`select count(*)::int as n from audit_events where operation = 'accessReview.create' and result = 'success'`,
    );
    expect(rowsOf<{ n: number }>(audit)[0]?.n).toBe(1);
  });

  it("refuses scopes this portal does not review (Microsoft's group example, inactive guests, owners) with a 400 naming why; nothing created", async () => {
    const graph = clientFor(await tokenFor(env.ctx, grace));
    const before = (await env.db.select().from(accessReviewDefinitions)).length;
    const group = await failure(
      graph.api(AR).post({
        ...eligibleReview(liam.id),
        scope: {
          "@odata.type": "#microsoft.graph.accessReviewQueryScope",
          query: "/groups/02f3bafb-448c-487c-88c2-5fd65ce49a41/transitiveMembers",
          queryType: "MicrosoftGraph",
        },
      }),
    );
    expect(group).toEqual({ statusCode: 400, code: "InvalidScope" });
    const inactive = await failure(
      graph.api(AR).post({
        ...eligibleReview(liam.id),
        scope: {
          "@odata.type": "#microsoft.graph.accessReviewInactiveUsersQueryScope",
          query: "./members/microsoft.graph.user/?$filter=(userType eq 'Guest')",
          queryType: "MicrosoftGraph",
          inactiveDuration: "P30D",
        },
      }),
    );
    expect(inactive.statusCode).toBe(400);
    const owners = await failure(
      graph
        .api(AR)
        .post({ ...eligibleReview(liam.id), reviewers: [{ query: "./owners", queryType: "MicrosoftGraph" }] }),
    );
    expect(owners.statusCode).toBe(400);
    const daily = await failure(
      graph.api(AR).post({
        ...eligibleReview(liam.id),
        settings: { recurrence: { pattern: { type: "daily", interval: 1 }, range: { type: "noEnd" } } },
      }),
    );
    expect(daily.statusCode).toBe(400);
    expect((await env.db.select().from(accessReviewDefinitions)).length).toBe(before);
  });

  it("permissions: a read-only token cannot write; a reviewer cannot create; both refusals leave nothing", async () => {
    const readOnly = clientFor(await tokenFor(env.ctx, grace, ["AccessReview.Read.All"]));
    expect((await readOnly.api(`${AR}/${def.id}`).get()).id).toBe(def.id);
    expect(await failure(readOnly.api(`${AR}/${def.id}/stop`).post({}))).toMatchObject({ statusCode: 403 });
    const asLiam = clientFor(await tokenFor(env.ctx, liam));
    expect(await failure(asLiam.api(AR).post(eligibleReview(liam.id)))).toMatchObject({
      statusCode: 403,
      code: "Authorization_RequestDenied",
    });
    expect(await failure(asLiam.api(`${AR}/${def.id}/instances/${instanceId}/resetDecisions`).post({}))).toMatchObject({
      statusCode: 403,
    });
  });

  it("the reviewer lists their items, decides one (documented PATCH body), accepts the recommendations; admins stop and apply", async () => {
    const asLiam = clientFor(await tokenFor(env.ctx, liam));
    const mine = await asLiam
      .api(`${AR}/${def.id}/instances/${instanceId}/decisions/filterByCurrentUser(on='reviewer')`)
      .get();
    expect(mine.value.map((x: { principal: { displayName: string } }) => x.principal.displayName).sort()).toEqual([
      "Alex Johnson",
      "Sophia Davis",
    ]);
    const alexItem = mine.value.find((x: { principal: { id: string } }) => x.principal.id === alex.id);
    expect(alexItem).toMatchObject({ decision: "NotReviewed", recommendation: "Deny" });
    // Someone else's list is empty; their decision on Liam's item is refused.
    const asAlex = clientFor(await tokenFor(env.ctx, alex));
    expect(
      (await asAlex.api(`${AR}/${def.id}/instances/${instanceId}/decisions/filterByCurrentUser(on='reviewer')`).get())
        .value,
    ).toEqual([]);
    expect(
      await failure(
        asAlex
          .api(`${AR}/${def.id}/instances/${instanceId}/decisions/${alexItem.id}`)
          .patch({ decision: "Approve", justification: "Me" }),
      ),
    ).toMatchObject({ statusCode: 403 });
    // Deny needs a reason (Graph's 400), then the documented body shape through the stage path.
    expect(
      await failure(
        asLiam.api(`${AR}/${def.id}/instances/${instanceId}/decisions/${alexItem.id}`).patch({ decision: "Deny" }),
      ),
    ).toMatchObject({ statusCode: 400 });
    await asLiam
      .api(
        `${AR}/${def.id}/instances/${instanceId}/stages/9458f255-dff2-4d86-9a05-69438f49d7f8/decisions/${alexItem.id}`,
      )
      .patch({ decision: "Deny", justification: "This person left my team" });
    await asLiam.api(`${AR}/${def.id}/instances/${instanceId}/acceptRecommendations`).post({});
    const decided = await asLiam
      .api(`${AR}/${def.id}/instances/${instanceId}/decisions/filterByCurrentUser(on='reviewer')`)
      .get();
    expect(
      Object.fromEntries(
        decided.value.map((x: { principal: { displayName: string }; decision: string; justification: string }) => [
          x.principal.displayName,
          [x.decision, x.justification],
        ]),
      ),
    ).toEqual({
      "Alex Johnson": ["Deny", "This person left my team"],
      "Sophia Davis": ["Approve", "Accepted the recommendation: Signed in and used the role recently"],
    });
    // The wrong definition id for a real instance is 404.
    expect(
      await failure(asLiam.api(`${AR}/${crypto.randomUUID()}/instances/${instanceId}/acceptRecommendations`).post({})),
    ).toMatchObject({ statusCode: 404 });
    const asGrace = clientFor(await tokenFor(env.ctx, grace));
    expect(await failure(asGrace.api(`${AR}/${def.id}/instances/${instanceId}/applyDecisions`).post({}))).toMatchObject(
      { statusCode: 409 },
    );
    await asGrace.api(`${AR}/${def.id}/instances/${instanceId}/stop`).post({});
    env.ctx.clock.advance(hours(1));
    await asGrace.api(`${AR}/${def.id}/instances/${instanceId}/applyDecisions`).post({});
    const inst = await asGrace.api(`${AR}/${def.id}/instances/${instanceId}`).get();
    expect(inst.status).toBe("Applied");
    const [alexElig] = await env.db
      .select()
      .from(roleEligibilitySchedules)
      .where(
        and(
          eq(roleEligibilitySchedules.principalId, alex.id),
          eq(roleEligibilitySchedules.roleDefinitionId, USER_ADMINISTRATOR),
        ),
      );
    expect(alexElig?.status).toBe("Revoked");
  });

  it("batchRecordDecisions (documented body), resetDecisions, then stopping the series by /stop and by DELETE", async () => {
    const asGrace = clientFor(await tokenFor(env.ctx, grace));
    const second = await asGrace.api(AR).post({
      ...eligibleReview(liam.id),
      scope: {
        "@odata.type": "#microsoft.graph.principalResourceMembershipsScope",
        principalScopes: [
          { "@odata.type": "#microsoft.graph.accessReviewQueryScope", query: "/users", queryType: "MicrosoftGraph" },
        ],
        resourceScopes: [
          {
            "@odata.type": "#microsoft.graph.accessReviewQueryScope",
            query: `/roleManagement/directory/roleDefinitions/${USER_ADMINISTRATOR}`,
            queryType: "MicrosoftGraph",
          },
        ],
      },
    });
    const [inst] = (await asGrace.api(`${AR}/${second.id}/instances`).get()).value;
    const asLiam = clientFor(await tokenFor(env.ctx, liam));
    await asLiam.api(`${AR}/${second.id}/instances/${inst.id}/batchRecordDecisions`).post({
      decision: "Approve",
      justification:
        "All principals with access need continued access to the resource (Marketing Group) as all the principals are on the marketing team",
      resourceId: USER_ADMINISTRATOR,
    });
    const all = await asGrace.api(`${AR}/${second.id}/instances/${inst.id}/decisions`).get();
    // Alex lost the role when the first review was applied; the group is not a /users principal.
    expect(all.value.map((x: { principal: { displayName: string } }) => x.principal.displayName)).toEqual([
      "Sophia Davis",
    ]);
    expect(all.value.every((x: { decision: string }) => x.decision === "Approve")).toBe(true);
    await asGrace.api(`${AR}/${second.id}/instances/${inst.id}/resetDecisions`).post({});
    const cleared = await asGrace.api(`${AR}/${second.id}/instances/${inst.id}/decisions`).get();
    expect(cleared.value.every((x: { decision: string }) => x.decision === "NotReviewed")).toBe(true);
    await asGrace.api(`${AR}/${second.id}/stop`).post({});
    expect(await failure(asGrace.api(`${AR}/${second.id}/stop`).post({}))).toMatchObject({ statusCode: 409 });
    expect((await asGrace.api(`${AR}/${second.id}/instances/${inst.id}`).get()).status).toBe("Completed");
    await asGrace.api(`${AR}/${def.id}`).delete();
    const stopped = await env.db.select().from(accessReviewDefinitions);
    expect(
      stopped
        .filter((d) => d.stoppedAt)
        .map((d) => d.id)
        .sort(),
    ).toEqual([def.id, second.id].sort());
    // DELETE keeps the evidence: the definition still reads back.
    expect((await asGrace.api(`${AR}/${def.id}`).get()).id).toBe(def.id);
  });
});

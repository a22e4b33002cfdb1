/**
 * Contract test: the official Microsoft Graph JavaScript client (@microsoft/microsoft-graph-client 3.0.7) drives
 * the API over real HTTP. The server is a plain node:http adapter around the app's route handlers (the same
 * exports Next serves) with the test database injected. The client sends the token only to https hosts in
 * `customHosts`, so a middleware sets the Authorization header on every request.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client, HTTPMessageHandler, type Context, type Middleware } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as graphRoute from "@/app/graph/v1.0/[...path]/route";
import * as accessRoute from "@/app/api/v1/access/check/route";
import { getRoleSettings } from "@/lib/pim/role-settings";
import { listBladeAssignments } from "@/lib/pim/queries/assignments-blade";
import { listMyActiveRoles } from "@/lib/pim/queries/my-roles";
import { listMyRequests } from "@/lib/pim/queries/requests";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { hours, minutes } from "@/test/db";
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

type Env = Awaited<ReturnType<typeof setupApi>>;
let env: Env;
let server: Server;
let base: string;
let admin: TestUser, sophia: TestUser, approver: TestUser;
const clientFor = (token: string) =>
  Client.initWithMiddleware({
    baseUrl: `${base}/graph/`,
    defaultVersion: "v1.0",
    middleware: [new BearerMiddleware(token), new HTTPMessageHandler()],
  });

beforeAll(async () => {
  env = await setupApi();
  const { d, ctx } = env;
  const past = new Date(ctx.now().getTime() - hours(48));
  [admin, sophia, approver] = await d.users("Perparim Abdullahu", "Sophia Davis", "Adam Approver");
  await d.active(admin, GLOBAL_ADMINISTRATOR, { start: past });
  await d.eligible(sophia, USER_ADMINISTRATOR, { start: past });
  server = createServer(async (req, res) => {
    req.setEncoding("utf8");
    let raw = "";
    for await (const c of req) raw += String(c);
    const url = `http://${req.headers.host}${req.url}`;
    const body = raw && req.method !== "GET" ? raw : undefined;
    const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body });
    const path = new URL(url).pathname;
    const fns: Record<string, (r: Request) => Promise<Response>> = {
      GET: graphRoute.GET,
      POST: graphRoute.POST,
      PATCH: graphRoute.PATCH,
    };
    const handler = path.startsWith("/api/v1/access/check") ? accessRoute.GET : fns[req.method ?? "GET"];
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

describe("Microsoft Graph JS client against PIM Portal", () => {
  it("self-activates and lists my instances; the portal's My roles shows the activation", async () => {
    const graph = clientFor(await tokenFor(env.ctx, sophia));
    const created = await graph.api("/roleManagement/directory/roleAssignmentScheduleRequests").post({
      action: "selfActivate",
      principalId: sophia.id,
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "Need to add a user",
      scheduleInfo: {
        startDateTime: env.ctx.now().toISOString(),
        expiration: { type: "afterDuration", duration: "PT4H" },
      },
      ticketInfo: { ticketNumber: "INC-42", ticketSystem: "ServiceNow" },
    });
    expect(created).toMatchObject({ status: "Provisioned", action: "selfActivate" });
    const instances = await graph
      .api("/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')")
      .filter(`roleDefinitionId eq '${USER_ADMINISTRATOR}'`)
      .expand("roleDefinition")
      .get();
    expect(instances.value).toEqual([
      expect.objectContaining({
        principalId: sophia.id,
        assignmentType: "Activated",
        roleDefinition: expect.objectContaining({ displayName: "User Administrator" }),
      }),
    ]);
    const active = await listMyActiveRoles(env.ctx, sophia.actor());
    expect(active.map((a) => a.roleName)).toContain("User Administrator");
  });

  it("an approver approves through the API; the request is Provisioned in My requests", async () => {
    await env.d.settings(USER_ADMINISTRATOR, {
      approvalRequired: true,
      approvalStages: [{ mode: "anyOne", approvers: [{ type: "User", id: approver.id }] }],
    });
    env.ctx.clock.advance(minutes(6));
    const sGraph = clientFor(await tokenFor(env.ctx, sophia));
    await sGraph.api("/roleManagement/directory/roleAssignmentScheduleRequests").post({
      action: "selfDeactivate",
      principalId: sophia.id,
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: "/",
    });
    const pending = await sGraph.api("/roleManagement/directory/roleAssignmentScheduleRequests").post({
      action: "selfActivate",
      principalId: sophia.id,
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "Quarterly onboarding",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
    });
    expect(pending.status).toBe("PendingApproval");

    const aGraph = clientFor(await tokenFor(env.ctx, approver));
    const mine = await aGraph
      .api("/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='approver')")
      .filter("status eq 'PendingApproval'")
      .get();
    expect(mine.value.map((r: { id: string }) => r.id)).toContain(pending.id);
    const approval = await aGraph.api(`/roleManagement/directory/roleAssignmentApprovals/${pending.approvalId}`).get();
    const step = approval.steps.find((s: { status: string }) => s.status === "InProgress");
    await aGraph
      .api(`/roleManagement/directory/roleAssignmentApprovals/${pending.approvalId}/steps/${step.id}`)
      .patch({ reviewResult: "Approve", justification: "Looks right" });
    const after = await sGraph.api(`/roleManagement/directory/roleAssignmentScheduleRequests/${pending.id}`).get();
    expect(after.status).toBe("Provisioned");
    const page = await listMyRequests(env.ctx, sophia.actor());
    expect(page.rows.find((r) => r.id === pending.id)?.status).toBe("Provisioned");

    // a second approval of the same step: Graph's 409, surfaced by the client as a GraphError
    const again = await aGraph
      .api(`/roleManagement/directory/roleAssignmentApprovals/${pending.approvalId}/steps/${step.id}`)
      .patch({ reviewResult: "Deny", justification: "late" })
      .catch((e: { statusCode: number; code: string }) => e);
    expect(again).toMatchObject({ statusCode: 409, code: "Conflict" });
  });

  it("cancels a pending request; My requests shows Canceled", async () => {
    env.ctx.clock.advance(minutes(6));
    const sGraph = clientFor(await tokenFor(env.ctx, sophia));
    await sGraph.api("/roleManagement/directory/roleAssignmentScheduleRequests").post({
      action: "selfDeactivate",
      principalId: sophia.id,
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: "/",
    });
    const pending = await sGraph.api("/roleManagement/directory/roleAssignmentScheduleRequests").post({
      action: "selfActivate",
      principalId: sophia.id,
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "Try again",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
    });
    await sGraph.api(`/roleManagement/directory/roleAssignmentScheduleRequests/${pending.id}/cancel`).post({});
    const page = await listMyRequests(env.ctx, sophia.actor());
    expect(page.rows.find((r) => r.id === pending.id)?.status).toBe("Canceled");
  });

  it("an admin assigns and removes; the Assignments blade shows it, then not", async () => {
    const graph = clientFor(await tokenFor(env.ctx, admin));
    const [helpdesk] = await env.d.users("Emma Smith");
    const created = await graph.api("/roleManagement/directory/roleEligibilityScheduleRequests").post({
      action: "adminAssign",
      principalId: helpdesk?.id,
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "Joins the team",
      scheduleInfo: {
        startDateTime: env.ctx.now().toISOString(),
        expiration: { type: "afterDuration", duration: "P90D" },
      },
    });
    expect(created.status).toBe("Provisioned");
    const blade = async () =>
      (await listBladeAssignments(env.ctx, admin.actor(), { tab: "eligible", search: "Emma Smith" })).rows.map(
        (r) => r.principalId,
      );
    expect(await blade()).toContain(helpdesk?.id);
    env.ctx.clock.advance(minutes(6));
    const removed = await graph.api("/roleManagement/directory/roleEligibilityScheduleRequests").post({
      action: "adminRemove",
      principalId: helpdesk?.id,
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "Left the team",
    });
    expect(removed.status).toBe("Revoked");
    expect(await blade()).not.toContain(helpdesk?.id);
  });

  it("reads the policy's rules and patches one; Role settings shows the new value", async () => {
    const graph = clientFor(await tokenFor(env.ctx, admin));
    const assignments = await graph
      .api("/policies/roleManagementPolicyAssignments")
      .filter(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${USER_ADMINISTRATOR}'`)
      .get();
    const policyId = assignments.value[0].policyId;
    const rules = await graph.api(`/policies/roleManagementPolicies/${policyId}/rules`).get();
    expect(rules.value.map((r: { id: string }) => r.id)).toContain("Enablement_EndUser_Assignment");
    await graph.api(`/policies/roleManagementPolicies/${policyId}/rules/Enablement_EndUser_Assignment`).patch({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
      id: "Enablement_EndUser_Assignment",
      enabledRules: ["Justification", "MultiFactorAuthentication", "Ticketing"],
      target: {
        "@odata.type": "microsoft.graph.unifiedRoleManagementPolicyRuleTarget",
        caller: "EndUser",
        operations: ["All"],
        level: "Assignment",
        inheritableSettings: [],
        enforcedSettings: [],
      },
    });
    const s = await getRoleSettings(env.db, USER_ADMINISTRATOR);
    expect(s).toMatchObject({
      activationRequireMfa: true,
      activationRequireTicket: true,
      activationRequireJustification: true,
    });
    const rule = await graph
      .api(`/policies/roleManagementPolicies/${policyId}/rules/Enablement_EndUser_Assignment`)
      .get();
    expect(rule.enabledRules).toEqual(["MultiFactorAuthentication", "Justification", "Ticketing"]);
  });

  it("errors reach the client as Graph errors (code, status)", async () => {
    const graph = clientFor(await tokenFor(env.ctx, sophia));
    const e = await graph
      .api("/roleManagement/directory/roleAssignmentScheduleRequests")
      .filter("nope eq 1")
      .get()
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ statusCode: 400, code: "Request_UnsupportedQuery" });
    const bad = await clientFor("pim_not_a_real_token_at_all")
      .api("/me")
      .get()
      .catch((x: unknown) => x);
    expect(bad).toMatchObject({ statusCode: 401, code: "InvalidAuthenticationToken" });
  });
});

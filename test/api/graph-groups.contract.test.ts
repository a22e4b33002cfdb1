/**
 * Contract test of PIM for Groups on Graph (issue 15): the official Microsoft Graph JavaScript client drives
 * `identityGovernance/privilegedAccess/group/*` over real HTTP (node:http around the app's route handlers, as
 * graph-client.contract.test.ts does), with the bodies of Microsoft's documented create examples.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client, HTTPMessageHandler, type Context, type Middleware } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as graphRoute from "@/app/graph/v1.0/[...path]/route";
import { GLOBAL_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { manageGroup } from "@/lib/pim/use-cases/manage-group";
import { checkGroupAccess } from "@/lib/pim/access/check-group-access";
import { getRoleSettings } from "@/lib/pim/role-settings";
import * as S from "@/lib/api/graph/schemas";
import { metadataDocument } from "@/lib/api/graph/metadata";
import { hours, minutes } from "@/test/db";
import type { Principal, TestUser } from "@/test/fixtures/directory";
import { setupApi, stateCounts, successAudits, teardown, tokenFor } from "./harness";

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
let admin: TestUser, sophia: TestUser;
let helpdesk: Principal, plainGroup: Principal;
let ownerDefinitionId: string, memberDefinitionId: string;
const PAG = "/identityGovernance/privilegedAccess/group";
const GHOST = "2b5ed229-4072-478d-9504-a047ebd4b07d";
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
  [admin, sophia] = await d.users("Perparim Abdullahu", "Sophia Davis");
  await d.active(admin, GLOBAL_ADMINISTRATOR, { start: past });
  helpdesk = await d.group("Helpdesk Tier 2");
  plainGroup = await d.group("Not Under PIM");
  const managed = await manageGroup(ctx, admin.actor(), { groupId: helpdesk.id, justification: "PIM for helpdesk" });
  ownerDefinitionId = managed.ownerDefinitionId;
  memberDefinitionId = managed.memberDefinitionId;
  server = createServer(async (req, res) => {
    req.setEncoding("utf8");
    let raw = "";
    for await (const c of req) raw += String(c);
    const url = `http://${req.headers.host}${req.url}`;
    const body = raw && req.method !== "GET" ? raw : undefined;
    const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body });
    const fns: Record<string, (r: Request) => Promise<Response>> = {
      GET: graphRoute.GET,
      POST: graphRoute.POST,
      PATCH: graphRoute.PATCH,
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

describe("PIM for Groups through the Microsoft Graph JS client", () => {
  it("an admin makes a user an eligible member; the user self-activates and lists the instance", async () => {
    const aGraph = clientFor(await tokenFor(env.ctx, admin));
    // Microsoft's "Create privilegedAccessGroupEligibilityScheduleRequest" example body
    const eligible = await aGraph.api(`${PAG}/eligibilityScheduleRequests`).post({
      accessId: "member",
      principalId: sophia.id,
      groupId: helpdesk.id,
      action: "adminAssign",
      scheduleInfo: {
        startDateTime: env.ctx.now().toISOString(),
        expiration: { type: "afterDuration", duration: "PT2H" },
      },
      justification: "Assign eligible request.",
    });
    expect(eligible).toMatchObject({
      "@odata.context": expect.stringMatching(
        /\/graph\/v1\.0\/\$metadata#identityGovernance\/privilegedAccess\/group\/eligibilityScheduleRequests\/\$entity$/,
      ),
      accessId: "member",
      groupId: helpdesk.id,
      principalId: sophia.id,
      action: "adminAssign",
      status: "Provisioned",
      justification: "Assign eligible request.",
      // an assignment's duration is kept as its end (as roleEligibilityScheduleRequests answers)
      scheduleInfo: {
        expiration: {
          type: "afterDateTime",
          endDateTime: new Date(env.ctx.now().getTime() + hours(2)).toISOString().replace(/\.000Z$/, "Z"),
        },
      },
    });
    // the answer has the documented shape (the OpenAPI document and $metadata are built from it)
    {
      const { "@odata.context": context, ...request } = eligible;
      expect(context).toContain("$metadata#");
      expect(S.groupScheduleRequestOut.strict().safeParse(request).error).toBe(undefined);
    }
    expect(metadataDocument()).toContain(
      '<EntitySet Name="identityGovernance_privilegedAccess_group_eligibilityScheduleRequests" EntityType="microsoft.graph.privilegedAccessGroupEligibilityScheduleRequest"/>',
    );
    expect(eligible).not.toHaveProperty("roleDefinitionId");
    expect(eligible).not.toHaveProperty("directoryScopeId");

    // readers (the GA) filter the collection by group
    const byGroup = await aGraph
      .api(`${PAG}/eligibilityScheduleRequests`)
      .filter(`groupId eq '${helpdesk.id}' and principalId eq '${sophia.id}'`)
      .get();
    expect(byGroup.value.map((r: { id: string }) => r.id)).toEqual([eligible.id]);
    const otherGroup = await aGraph
      .api(`${PAG}/eligibilityScheduleRequests`)
      .filter(`groupId eq '${plainGroup.id}'`)
      .get();
    expect(otherGroup.value).toEqual([]);

    env.ctx.clock.advance(minutes(6));
    const sGraph = clientFor(await tokenFor(env.ctx, sophia));
    const eligibilities = await sGraph
      .api(`${PAG}/eligibilitySchedules/filterByCurrentUser(on='principal')`)
      .filter(`groupId eq '${helpdesk.id}'`)
      .get();
    {
      const { "@odata.type": type, ...schedule } = eligibilities.value[0] ?? {};
      expect(type).toBe("#microsoft.graph.privilegedAccessGroupEligibilitySchedule");
      expect(S.groupScheduleOut.strict().safeParse(schedule).error).toBe(undefined);
    }
    expect(eligibilities.value).toEqual([
      expect.objectContaining({
        "@odata.type": "#microsoft.graph.privilegedAccessGroupEligibilitySchedule",
        accessId: "member",
        groupId: helpdesk.id,
        principalId: sophia.id,
        memberType: "Direct",
        status: "Provisioned",
        scheduleInfo: expect.objectContaining({ startDateTime: expect.any(String) }),
      }),
    ]);

    // Microsoft's "Create privilegedAccessGroupAssignmentScheduleRequest" (selfActivate) example body
    const activated = await sGraph.api(`${PAG}/assignmentScheduleRequests`).post({
      accessId: "member",
      principalId: sophia.id,
      groupId: helpdesk.id,
      action: "selfActivate",
      scheduleInfo: {
        startDateTime: env.ctx.now().toISOString(),
        expiration: { type: "afterDuration", duration: "PT1H" },
      },
      justification: "Activate assignment.",
    });
    expect(activated).toMatchObject({
      accessId: "member",
      groupId: helpdesk.id,
      principalId: sophia.id,
      action: "selfActivate",
      status: "Provisioned",
    });
    const access = await checkGroupAccess(env.db, {
      groupId: helpdesk.id,
      principalId: sophia.id,
      accessId: "member",
      at: env.ctx.now(),
    });
    expect(access.allowed).toBe(true);

    const instances = await sGraph
      .api(`${PAG}/assignmentScheduleInstances/filterByCurrentUser(on='principal')`)
      .filter(`groupId eq '${helpdesk.id}' and accessId eq 'member'`)
      .get();
    expect(instances.value).toEqual([
      expect.objectContaining({
        "@odata.type": "#microsoft.graph.privilegedAccessGroupAssignmentScheduleInstance",
        accessId: "member",
        groupId: helpdesk.id,
        principalId: sophia.id,
        assignmentType: "Activated",
        endDateTime: new Date(env.ctx.now().getTime() + hours(1)).toISOString().replace(/\.000Z$/, "Z"),
      }),
    ]);
    const { "@odata.type": instanceType, ...instance } = instances.value[0];
    expect(instanceType).toBe("#microsoft.graph.privilegedAccessGroupAssignmentScheduleInstance");
    expect(S.groupInstanceOut.strict().safeParse(instance).error).toBe(undefined);
    const one = await sGraph.api(`${PAG}/assignmentScheduleInstances/${instances.value[0].id}`).get();
    expect(one).toMatchObject({ id: instances.value[0].id, groupId: helpdesk.id, accessId: "member" });
    // roleManagement/directory serves directory roles only: the membership is not a role there
    const roleInstances = await sGraph
      .api("/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')")
      .get();
    expect(roleInstances.value.map((i: { id: string }) => i.id)).not.toContain(instances.value[0].id);
    const asRole = await sGraph
      .api(`/roleManagement/directory/roleAssignmentScheduleRequests/${activated.id}`)
      .get()
      .catch((e: unknown) => e);
    expect(asRole).toMatchObject({ statusCode: 404 });
    const mine = await sGraph.api(`${PAG}/assignmentScheduleRequests/filterByCurrentUser(on='principal')`).get();
    expect(mine.value.map((r: { id: string }) => r.id)).toContain(activated.id);
    // the admin made the eligibility: it is among the admin's createdBy, not sophia's
    const made = await aGraph.api(`${PAG}/eligibilityScheduleRequests/filterByCurrentUser(on='createdBy')`).get();
    expect(made.value.map((r: { id: string }) => r.id)).toContain(eligible.id);
    const sMade = await sGraph.api(`${PAG}/eligibilityScheduleRequests/filterByCurrentUser(on='createdBy')`).get();
    expect(sMade.value).toEqual([]);
    const approver = await sGraph
      .api(`${PAG}/eligibilityScheduleRequests/filterByCurrentUser(on='approver')`)
      .get()
      .catch((e: unknown) => e);
    expect(approver).toMatchObject({ statusCode: 400 });
    // a non-reader cannot list everyone's
    const all = await sGraph
      .api(`${PAG}/assignmentScheduleRequests`)
      .get()
      .catch((e: unknown) => e);
    expect(all).toMatchObject({ statusCode: 403 });
  });

  it("a pending ownership activation is cancelled by its requester", async () => {
    const aGraph = clientFor(await tokenFor(env.ctx, admin));
    await aGraph.api(`${PAG}/eligibilityScheduleRequests`).post({
      accessId: "owner",
      principalId: sophia.id,
      groupId: helpdesk.id,
      action: "adminAssign",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } },
      justification: "Owner rota",
    });
    await env.d.settings(ownerDefinitionId, {
      approvalRequired: true,
      approvalStages: [{ mode: "anyOne", approvers: [{ type: "User", id: admin.id }] }],
    });
    env.ctx.clock.advance(minutes(6));
    const sGraph = clientFor(await tokenFor(env.ctx, sophia));
    const pending = await sGraph.api(`${PAG}/assignmentScheduleRequests`).post({
      accessId: "owner",
      principalId: sophia.id,
      groupId: helpdesk.id,
      action: "selfActivate",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
      justification: "Rotate the group's owners",
    });
    expect(pending).toMatchObject({ status: "PendingApproval", accessId: "owner" });
    const res = await sGraph.api(`${PAG}/assignmentScheduleRequests/${pending.id}/cancel`).post({});
    expect(res).toBeUndefined();
    const after = await sGraph.api(`${PAG}/assignmentScheduleRequests/${pending.id}`).get();
    expect(after).toMatchObject({ id: pending.id, status: "Canceled", groupId: helpdesk.id });
    // cancelling again: not cancelable, Graph's 400
    const again = await sGraph
      .api(`${PAG}/assignmentScheduleRequests/${pending.id}/cancel`)
      .post({})
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ statusCode: 400 });

    // asked again; the approver approves through the group's assignmentApprovals
    const second = await sGraph.api(`${PAG}/assignmentScheduleRequests`).post({
      accessId: "owner",
      principalId: sophia.id,
      groupId: helpdesk.id,
      action: "selfActivate",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
      justification: "Rotate the group's owners, take two",
    });
    expect(second.status).toBe("PendingApproval");
    const approval = await aGraph.api(`${PAG}/assignmentApprovals/${second.approvalId}`).get();
    expect(approval["@odata.context"]).toMatch(
      /identityGovernance\/privilegedAccess\/group\/assignmentApprovals\/\$entity$/,
    );
    const step = approval.steps.find((x: { status: string }) => x.status === "InProgress");
    expect(step).toMatchObject({ assignedToMe: true });
    await aGraph
      .api(`${PAG}/assignmentApprovals/${second.approvalId}/steps/${step.id}`)
      .patch({ reviewResult: "Approve", justification: "Owner rota confirmed" });
    const approved = await sGraph.api(`${PAG}/assignmentScheduleRequests/${second.id}`).get();
    expect(approved).toMatchObject({ status: "Provisioned", accessId: "owner" });
    const owner = await checkGroupAccess(env.db, {
      groupId: helpdesk.id,
      principalId: sophia.id,
      accessId: "owner",
      at: env.ctx.now(),
    });
    expect(owner.allowed).toBe(true);
  });

  it("an unknown group, a group not under PIM or a bad accessId is a Graph 404/400 and writes nothing", async () => {
    const aGraph = clientFor(await tokenFor(env.ctx, admin));
    const before = { counts: await stateCounts(env.db), audits: await successAudits(env.db) };
    const body = (extra: Record<string, unknown>) => ({
      accessId: "member",
      principalId: sophia.id,
      groupId: helpdesk.id,
      action: "adminAssign",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT2H" } },
      justification: "Assign eligible request.",
      ...extra,
    });
    const post = (b: unknown) =>
      aGraph
        .api(`${PAG}/eligibilityScheduleRequests`)
        .post(b)
        .catch((e: unknown) => e);
    expect(await post(body({ groupId: GHOST }))).toMatchObject({
      statusCode: 404,
      code: "Request_ResourceNotFound",
    });
    expect(await post(body({ groupId: plainGroup.id }))).toMatchObject({ statusCode: 404 });
    expect(await post(body({ accessId: "admin" }))).toMatchObject({ statusCode: 400, code: "BadRequest" });
    expect(await post(body({ groupId: "not-a-guid" }))).toMatchObject({ statusCode: 400 });
    expect(await post(body({ roleDefinitionId: GHOST }))).toMatchObject({ statusCode: 400 });
    // the access definition is not a directory role: roleManagement/directory refuses it
    const asRole = await aGraph
      .api("/roleManagement/directory/roleEligibilityScheduleRequests")
      .post({
        action: "adminAssign",
        principalId: sophia.id,
        roleDefinitionId: memberDefinitionId,
        directoryScopeId: "/",
        justification: "Assign eligible request.",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "PT2H" } },
      })
      .catch((e: unknown) => e);
    expect(asRole).toMatchObject({ statusCode: 400, message: expect.stringContaining("privilegedAccess/group") });
    const badFilter = await aGraph
      .api(`${PAG}/eligibilityScheduleInstances`)
      .filter("accessId eq 'admin'")
      .get()
      .catch((e: unknown) => e);
    expect(badFilter).toMatchObject({ statusCode: 400 });
    const missing = await aGraph
      .api(`${PAG}/eligibilitySchedules/${GHOST}`)
      .get()
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 404 });
    expect({ counts: await stateCounts(env.db), audits: await successAudits(env.db) }).toEqual(before);
  });

  it("a group's policies: filtered by scopeId and scopeType 'Group', a rule patched through its policy", async () => {
    const graph = clientFor(await tokenFor(env.ctx, admin));
    const both = await graph
      .api("/policies/roleManagementPolicyAssignments")
      .filter(`scopeId eq '${helpdesk.id}' and scopeType eq 'Group'`)
      .get();
    expect(both.value.map((a: { roleDefinitionId: string }) => a.roleDefinitionId).sort()).toEqual(["member", "owner"]);
    const assignments = await graph
      .api("/policies/roleManagementPolicyAssignments")
      .filter(`scopeId eq '${helpdesk.id}' and scopeType eq 'Group' and roleDefinitionId eq 'member'`)
      .expand("policy($expand=rules)")
      .get();
    expect(assignments.value).toEqual([
      expect.objectContaining({
        policyId: `Group_${helpdesk.id}_${memberDefinitionId}`,
        scopeId: helpdesk.id,
        scopeType: "Group",
        roleDefinitionId: "member",
        policy: expect.objectContaining({ scopeType: "Group", scopeId: helpdesk.id }),
      }),
    ]);
    const policyId = assignments.value[0].policyId as string;
    const one = await graph.api(`/policies/roleManagementPolicyAssignments/${assignments.value[0].id}`).get();
    expect(one).toMatchObject({ policyId, roleDefinitionId: "member" });
    // the directory roles' listing does not hold the group's
    const roles = await graph
      .api("/policies/roleManagementPolicyAssignments")
      .filter(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${memberDefinitionId}'`)
      .get();
    expect(roles.value).toEqual([]);
    await graph.api(`/policies/roleManagementPolicies/${policyId}/rules/Expiration_EndUser_Assignment`).patch({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      id: "Expiration_EndUser_Assignment",
      isExpirationRequired: true,
      maximumDuration: "PT3H",
    });
    expect((await getRoleSettings(env.db, memberDefinitionId)).activationMaxMinutes).toBe(180);
    const rule = await graph
      .api(`/policies/roleManagementPolicies/${policyId}/rules/Expiration_EndUser_Assignment`)
      .get();
    expect(rule.maximumDuration).toBe("PT3H");
    // a Group_ id naming another group is not found
    const wrong = await graph
      .api(`/policies/roleManagementPolicies/Group_${plainGroup.id}_${memberDefinitionId}`)
      .get()
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({ statusCode: 404 });
  });
});

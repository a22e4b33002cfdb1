import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRoleSettings } from "@/lib/pim/role-settings";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { createServicePrincipalSecret } from "@/lib/pim/use-cases/create-service-principal-secret";
import { setApiRateLimit } from "@/lib/api/handler";
import { resetRateLimits } from "@/lib/api/rate-limit";
import { openApiDocument } from "@/lib/api/openapi";
import { hours, minutes } from "@/test/db";
import type { Principal, TestUser } from "@/test/fixtures/directory";
import { BASE, call, errorCode, setupApi, stateCounts, successAudits, teardown, tokenFor } from "./harness";

type Env = Awaited<ReturnType<typeof setupApi>>;
let env: Env;
let admin: TestUser, emma: TestUser, nobody: TestUser, app: Principal;
let tAdmin: string, tNobody: string;
const RES = "/roleManagement/directory/roleEligibilityScheduleRequests";

async function writesNothing(fn: () => Promise<unknown>) {
  const before = { ...(await stateCounts(env.db)), audits: await successAudits(env.db) };
  await fn();
  expect({ ...(await stateCounts(env.db)), audits: await successAudits(env.db) }).toEqual(before);
}

beforeAll(async () => {
  env = await setupApi();
  const { d, ctx } = env;
  [admin, emma, nobody] = await d.users("Perparim Admin", "Emma Smith", "Nora Nobody");
  await d.active(admin, GLOBAL_ADMINISTRATOR, { start: new Date(ctx.now().getTime() - hours(48)) });
  app = await d.servicePrincipal("ITSM connector");
  [tAdmin, tNobody] = await Promise.all([tokenFor(ctx, admin), tokenFor(ctx, nobody)]);
});
afterAll(async () => teardown(env.handle));

const assign = (principalId: string, extra: Record<string, unknown> = {}) => ({
  action: "adminAssign",
  principalId,
  roleDefinitionId: USER_ADMINISTRATOR,
  directoryScopeId: "/",
  justification: "Onboarding",
  scheduleInfo: { startDateTime: null, expiration: { type: "afterDateTime", endDateTime: "2027-01-31T00:00:00Z" } },
  ...extra,
});

describe("admin assigns and removes (roleEligibilityScheduleRequests)", () => {
  it("a non-admin gets 403 and nothing changes; unknown principal 404; bad body 400", async () => {
    await writesNothing(async () => {
      const r = await call("POST", RES, { token: tNobody, body: assign(emma.id) });
      expect(r.status).toBe(403);
      expect(errorCode(r)).toBe("Authorization_RequestDenied");
      const ghost = await call("POST", RES, { token: tAdmin, body: assign("11111111-2222-4333-8444-555555555555") });
      expect(ghost.status).toBe(404);
      const bad = await call("POST", RES, {
        token: tAdmin,
        body: assign(emma.id, { scheduleInfo: { expiration: { type: "afterDateTime" } } }),
      });
      expect(bad.status).toBe(400);
      const act = await call("POST", RES, { token: tAdmin, body: { ...assign(admin.id), action: "selfActivate" } });
      expect(act.status).toBe(400);
    });
  });

  it("assigns an eligibility, lists it, removes it after 5 minutes", async () => {
    const r = await call("POST", RES, { token: tAdmin, body: assign(emma.id) });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      action: "adminAssign",
      status: "Provisioned",
      principalId: emma.id,
      scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: "2027-01-31T00:00:00Z" } },
    });
    const scheduleId = String(r.json.targetScheduleId);
    const list = await call(
      "GET",
      `/roleManagement/directory/roleEligibilitySchedules?$filter=principalId eq '${emma.id}'&$expand=principal`,
      { token: tAdmin },
    );
    expect(list.json.value).toEqual([
      expect.objectContaining({
        id: scheduleId,
        status: "Provisioned",
        principal: expect.objectContaining({ displayName: "Emma Smith" }),
      }),
    ]);
    const mine = await call(
      "GET",
      `/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')`,
      { token: await tokenFor(env.ctx, emma) },
    );
    expect((mine.json.value as { id: string }[]).map((v) => v.id)).toEqual([scheduleId]);

    const early = await call("POST", RES, {
      token: tAdmin,
      body: { ...assign(emma.id), action: "adminRemove", scheduleInfo: undefined },
    });
    expect(early.status).toBe(400);
    expect((early.json.error as { message: string }).message).toContain("ExpirationRule");
    env.ctx.clock.advance(minutes(6));
    const removed = await call("POST", RES, {
      token: tAdmin,
      body: {
        action: "adminRemove",
        principalId: emma.id,
        roleDefinitionId: USER_ADMINISTRATOR,
        directoryScopeId: "/",
      },
    });
    expect(removed.status).toBe(201);
    expect(removed.json).toMatchObject({ action: "adminRemove", status: "Revoked", targetScheduleId: scheduleId });
    const gone = await call(
      "GET",
      `/roleManagement/directory/roleEligibilitySchedules?$filter=principalId eq '${emma.id}'`,
      { token: tAdmin },
    );
    expect(gone.json.value).toEqual([]);
    const none = await call("POST", RES, {
      token: tAdmin,
      body: {
        action: "adminRemove",
        principalId: emma.id,
        roleDefinitionId: USER_ADMINISTRATOR,
        directoryScopeId: "/",
      },
    });
    expect(none.status).toBe(404);
  });
});

describe("policies and rules", () => {
  it("finds the role's policy, reads its 17 rules, patches one (admin only)", async () => {
    const pa = await call(
      "GET",
      `/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${USER_ADMINISTRATOR}'`,
      { token: tNobody },
    );
    expect(pa.status).toBe(200);
    const assignment = (pa.json.value as { policyId: string; roleDefinitionId: string }[])[0];
    expect(assignment?.roleDefinitionId).toBe(USER_ADMINISTRATOR);
    const policyId = String(assignment?.policyId);
    const rules = await call("GET", `/policies/roleManagementPolicies/${policyId}/rules`, { token: tNobody });
    expect((rules.json.value as unknown[]).length).toBe(17);
    const rulePath = `/policies/roleManagementPolicies/${policyId}/rules/Expiration_EndUser_Assignment`;
    expect((await call("GET", rulePath, { token: tNobody })).json).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "PT8H",
    });

    const body = {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      id: "Expiration_EndUser_Assignment",
      isExpirationRequired: true,
      maximumDuration: "PT1H45M",
      target: { caller: "EndUser", operations: ["All"], level: "Assignment" },
    };
    await writesNothing(async () => {
      const r = await call("PATCH", rulePath, { token: tNobody, body });
      expect(r.status).toBe(403);
      const wrongType = await call("PATCH", rulePath, {
        token: tAdmin,
        body: {
          ...body,
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
          enabledRules: [],
        },
      });
      expect(wrongType.status).toBe(400);
      const tooLong = await call("PATCH", rulePath, { token: tAdmin, body: { ...body, maximumDuration: "PT30H" } });
      expect(tooLong.status).toBe(400);
      const unknownRule = await call("PATCH", `/policies/roleManagementPolicies/${policyId}/rules/Nope_Rule`, {
        token: tAdmin,
        body,
      });
      expect(unknownRule.status).toBe(404);
      const unknownPolicy = await call("GET", `/policies/roleManagementPolicies/DirectoryRole_x_y/rules`, {
        token: tAdmin,
      });
      expect(unknownPolicy.status).toBe(404);
    });
    const ok = await call("PATCH", rulePath, { token: tAdmin, body });
    expect(ok.status).toBe(204);
    expect((await getRoleSettings(env.db, USER_ADMINISTRATOR)).activationMaxMinutes).toBe(105);
    expect((await call("GET", rulePath, { token: tNobody })).json.maximumDuration).toBe("PT1H45M");

    const approval = {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
      setting: {
        isApprovalRequired: true,
        approvalStages: [{ primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: admin.id }] }],
      },
    };
    expect(
      (
        await call("PATCH", `/policies/roleManagementPolicies/${policyId}/rules/Approval_EndUser_Assignment`, {
          token: tAdmin,
          body: approval,
        })
      ).status,
    ).toBe(204);
    const s = await getRoleSettings(env.db, USER_ADMINISTRATOR);
    expect(s.approvalRequired).toBe(true);
    expect(s.approvalStages[0]?.approvers).toEqual([{ type: "User", id: admin.id }]);
  });
});

describe("audit, users, me", () => {
  it("directoryAudits needs a reader role; filters by result and actor", async () => {
    expect((await call("GET", "/auditLogs/directoryAudits", { token: tNobody })).status).toBe(403);
    const failures = await call(
      "GET",
      `/auditLogs/directoryAudits?$filter=result eq 'failure' and initiatedBy/user/id eq '${nobody.id}'`,
      { token: tAdmin },
    );
    expect(failures.status).toBe(200);
    const rows = failures.json.value as { result: string; initiatedBy: { user: { id: string } } }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.result === "failure" && r.initiatedBy.user.id === nobody.id)).toBe(true);
  });

  it("users and me", async () => {
    const users = await call(
      "GET",
      `/users?$filter=displayName eq 'Emma Smith'&$select=displayName,userPrincipalName`,
      { token: tNobody },
    );
    expect(users.json.value).toEqual([
      { id: emma.id, displayName: "Emma Smith", userPrincipalName: emma.userPrincipalName },
    ]);
    expect((await call("GET", `/users/${emma.userPrincipalName}`, { token: tNobody })).json.id).toBe(emma.id);
    expect((await call("GET", "/users/11111111-2222-4333-8444-555555555555", { token: tNobody })).status).toBe(404);
    expect((await call("GET", "/me", { token: tNobody })).json).toMatchObject({
      id: nobody.id,
      displayName: "Nora Nobody",
    });
  });
});

describe("client credentials, access check, rate limit, OpenAPI", () => {
  it("a service principal gets a token with its secret and asks the access check about anyone", async () => {
    const denied = await createServicePrincipalSecret(env.ctx, nobody.actor(), {
      servicePrincipalId: app.id,
      displayName: "x",
      expiresInDays: 30,
      scopes: ["RoleManagement.Read.Directory"],
    }).catch((e: Error) => e);
    expect(denied).toBeInstanceOf(Error);
    const secret = await createServicePrincipalSecret(env.ctx, admin.actor({ mfaAt: env.ctx.now() }), {
      servicePrincipalId: app.id,
      displayName: "ITSM",
      expiresInDays: 30,
      scopes: ["RoleManagement.Read.Directory"],
    });
    const [row] = await env.db.query.servicePrincipals.findMany({ where: (sp, { eq }) => eq(sp.id, app.id) });
    const form = (o: Record<string, string>) => ({
      rawBody: new URLSearchParams(o).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const good = {
      grant_type: "client_credentials",
      client_id: String(row?.appId),
      client_secret: secret.secret,
      scope: `${BASE}/.default`,
    };
    expect((await call("POST", "/oauth2/v2.0/token", form({ ...good, client_secret: "wrong" }))).json.error).toBe(
      "invalid_client",
    );
    expect((await call("POST", "/oauth2/v2.0/token", form({ ...good, grant_type: "password" }))).json.error).toBe(
      "unsupported_grant_type",
    );
    expect((await call("POST", "/oauth2/v2.0/token", form({ ...good, scope: "User.Read" }))).json.error).toBe(
      "invalid_scope",
    );
    // malformed Basic credentials are a client error, not a crash
    const badBasic = await call("POST", "/oauth2/v2.0/token", {
      rawBody: new URLSearchParams({ grant_type: "client_credentials", scope: good.scope }).toString(),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from("%E0%A4%A:%zz").toString("base64")}`,
      },
    });
    expect([badBasic.status, badBasic.json.error]).toEqual([401, "invalid_client"]);
    // an oversized body is refused before it is read whole (declared or streamed)
    const huge = "x".repeat(9000);
    expect((await call("POST", "/oauth2/v2.0/token", form({ ...good, pad: huge }))).json.error).toBe("invalid_request");
    const t = await call("POST", "/oauth2/v2.0/token", form(good));
    expect(t.status).toBe(200);
    expect(t.json).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const token = String(t.json.access_token);

    const check = await call(
      "GET",
      `/api/v1/access/check?principalId=${admin.id}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`,
      { token },
    );
    expect(check.status).toBe(200);
    expect(check.json).toMatchObject({ allowed: true, until: null });
    expect((check.json.grantedBy as unknown[]).length).toBe(1);
    const no = await call(
      "GET",
      `/api/v1/access/check?principalId=${emma.id}&permission=microsoft.directory/users/create&directoryScopeId=/`,
      { token },
    );
    expect(no.json).toEqual({ allowed: false, grantedBy: [], until: null });
    for (const qs of [
      "",
      `principalId=${emma.id}`,
      `principalId=x&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`,
      `principalId=${emma.id}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}&permission=a/b`,
      `principalId=${emma.id}&permission=a/b&evil=1`,
      `principalId=${emma.id}&permission=a/b&directoryScopeId=/x`,
    ]) {
      const r = await call("GET", `/api/v1/access/check?${qs}`, { token });
      expect(r.status, qs).toBe(400);
      errorCode(r);
    }
    // a person's token may ask only about that person (unless they hold a reader role)
    expect(
      (
        await call("GET", `/api/v1/access/check?principalId=${admin.id}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`, {
          token: tNobody,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call("GET", `/api/v1/access/check?principalId=${nobody.id}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`, {
          token: tNobody,
        })
      ).json.allowed,
    ).toBe(false);
    // an application cannot self-activate, and cannot write without the permission
    expect(
      (
        await call("POST", "/roleManagement/directory/roleAssignmentScheduleRequests", {
          token,
          body: {
            action: "selfActivate",
            principalId: app.id,
            roleDefinitionId: USER_ADMINISTRATOR,
            directoryScopeId: "/",
          },
        })
      ).status,
    ).toBe(403);
    expect((await call("GET", "/me", { token })).status).toBe(403);
    // expired after an hour
    env.ctx.clock.advance(hours(1) + 1000);
    expect(
      (
        await call("GET", `/api/v1/access/check?principalId=${admin.id}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`, {
          token,
        })
      ).status,
    ).toBe(401);
  });

  it("answers 429 with Retry-After over the per-token limit", async () => {
    setApiRateLimit(3);
    resetRateLimits();
    try {
      for (let i = 0; i < 3; i++) expect((await call("GET", "/me", { token: tNobody })).status).toBe(200);
      const r = await call("GET", "/me", { token: tNobody });
      expect(r.status).toBe(429);
      expect(errorCode(r)).toBe("TooManyRequests");
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await call("GET", "/me", { token: tAdmin })).status).toBe(200);
      env.ctx.clock.advance(61_000);
      expect((await call("GET", "/me", { token: tNobody })).status).toBe(200);
    } finally {
      setApiRateLimit(0);
    }
  });

  it("the OpenAPI document lists every route with its request schema", () => {
    const doc = openApiDocument() as {
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }
        >
      >;
    };
    const paths = Object.keys(doc.paths);
    expect(paths).toContain(
      "/graph/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='{on}')",
    );
    expect(paths).toContain("/graph/v1.0/policies/roleManagementPolicies/{id}/rules/{ruleId}");
    expect(paths).toContain("/api/v1/access/check");
    const post = doc.paths["/graph/v1.0/roleManagement/directory/roleAssignmentScheduleRequests"]?.post;
    const props = post?.requestBody?.content["application/json"]?.schema.properties ?? {};
    expect(Object.keys(props)).toEqual(
      expect.arrayContaining(["action", "principalId", "roleDefinitionId", "scheduleInfo", "ticketInfo"]),
    );
    expect(JSON.stringify(props.action)).toContain("selfActivate");
  });
});

/**
 * What scripts written for Microsoft Graph send, and what they expect back (issue 13): enums in any casing,
 * absolute links from PUBLIC_URL / a trusted proxy, /graph/beta, trailing slashes, Graph's error codes,
 * case-insensitive UPNs, $count segment, $search, $orderby, $batch, $metadata, roleAssignments, nested
 * $expand, filterByCurrentUser's Collection(type), audit fields, application permissions and the
 * tenant-qualified OAuth authority. PGlite by default, PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { directorySettings } from "@/db/schema";
import * as discoveryRoute from "@/app/[tenant]/v2.0/.well-known/openid-configuration/route";
import * as tenantTokenRoute from "@/app/[tenant]/oauth2/v2.0/token/route";
import { setApiPublicUrl } from "@/lib/api/public-url";
import {
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  HELPDESK_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { createServicePrincipalSecret } from "@/lib/pim/use-cases/create-service-principal-secret";
import { setServicePrincipalPermissions } from "@/lib/pim/use-cases/set-service-principal-permissions";
import { hours } from "@/test/db";
import type { Principal, TestUser } from "@/test/fixtures/directory";
import { BASE, call, errorCode, setupApi, teardown, tokenFor } from "./harness";

type Env = Awaited<ReturnType<typeof setupApi>>;
let env: Env;
let admin: TestUser, olivia: TestUser, sophia: TestUser, reader: TestUser, nobody: TestUser;
let app: Principal;
let tAdmin: string, tOlivia: string, tReader: string;
const RM = "/roleManagement/directory";

beforeAll(async () => {
  env = await setupApi();
  const { d, ctx } = env;
  const past = new Date(ctx.now().getTime() - hours(48));
  [admin, olivia, sophia, reader, nobody] = await d.users(
    "Perparim Abdullahu",
    "Olivia Brown",
    "Sophia Davis",
    "Rita Reader",
    "Nora Nobody",
  );
  await d.active(admin, GLOBAL_ADMINISTRATOR, { start: past });
  await d.active(reader, GLOBAL_READER, { start: past });
  await d.active(olivia, HELPDESK_ADMINISTRATOR, { start: past });
  await d.eligible(sophia, USER_ADMINISTRATOR, { start: past });
  app = await d.servicePrincipal("ITSM connector");
  tAdmin = await tokenFor(ctx, admin);
  tOlivia = await tokenFor(ctx, olivia);
  tReader = await tokenFor(ctx, reader);
});
afterAll(async () => teardown(env.handle));
afterEach(() => setApiPublicUrl(undefined));

describe("links, versions and paths", () => {
  it("@odata.nextLink and @odata.context come from PUBLIC_URL, else a trusted proxy's host, never the socket", async () => {
    setApiPublicUrl("https://pim.example.com/");
    const a = await call("GET", "/users?$top=1", { token: tReader });
    expect(a.json["@odata.context"]).toBe("https://pim.example.com/graph/v1.0/$metadata#users");
    expect(String(a.json["@odata.nextLink"])).toMatch(/^https:\/\/pim\.example\.com\/graph\/v1\.0\/users\?/);

    setApiPublicUrl(null);
    const b = await call("GET", "/users?$top=1", {
      token: tReader,
      headers: { host: "127.0.0.1:3000", "x-forwarded-host": "pim.proxy.test", "x-forwarded-proto": "https" },
    });
    expect(String(b.json["@odata.nextLink"])).toMatch(/^https:\/\/pim\.proxy\.test\/graph\/v1\.0\/users\?/);
    const c = await call("GET", "/users?$top=1", { token: tReader, headers: { host: "pim.direct.test" } });
    expect(String(c.json["@odata.nextLink"])).toMatch(/^https:\/\/pim\.direct\.test\//);
  });

  it("/graph/beta serves the same table with beta's context; a trailing slash is the same resource", async () => {
    const beta = await call("GET", `${BASE}/graph/beta${RM}/roleDefinitions?$top=1`, { token: tReader });
    expect(beta.status).toBe(200);
    expect(beta.json["@odata.context"]).toBe(`${BASE}/graph/beta/$metadata#roleManagement/directory/roleDefinitions`);
    const slash = await call("GET", "/users/?$top=1", { token: tReader });
    expect(slash.status).toBe(200);
  });

  it("$metadata is a CSDL document naming what is served", async () => {
    const res = await call("GET", "/$metadata");
    expect(res.status).toBe(200);
    const xml = String(res.json.raw);
    expect(xml).toContain('<EntityType Name="unifiedRoleAssignmentScheduleRequest"');
    expect(xml).toContain('EntitySet Name="roleManagement_directory_roleAssignments"');
    expect(xml).toContain('<Property Name="principalId" Type="Edm.Guid"/>');
  });
});

describe("OData as scripts use it", () => {
  it("UPNs compare case-insensitively; $count as a segment and as $count=true", async () => {
    const r = await call("GET", `/users?$filter=userPrincipalName eq '${olivia.userPrincipalName.toUpperCase()}'`, {
      token: tReader,
    });
    expect((r.json.value as { id: string }[]).map((u) => u.id)).toEqual([olivia.id]);
    const n = await call("GET", "/users/$count", { token: tReader, headers: { ConsistencyLevel: "eventual" } });
    expect(n.status).toBe(200);
    expect(n.headers.get("content-type")).toContain("text/plain");
    const all = await call("GET", "/users?$count=true&$top=1", { token: tReader });
    expect(Number(n.json)).toBe(all.json["@odata.count"]);
    expect(Number(n.json)).toBeGreaterThanOrEqual(5);
  });

  it("$search on users needs ConsistencyLevel: eventual; startswith works; $orderby pages by keyset", async () => {
    const no = await call("GET", '/users?$search="displayName:oliv"', { token: tReader });
    expect(no.status).toBe(400);
    const yes = await call("GET", '/users?$search="displayName:oliv"', {
      token: tReader,
      headers: { ConsistencyLevel: "eventual" },
    });
    expect((yes.json.value as { id: string }[]).map((u) => u.id)).toEqual([olivia.id]);
    const sw = await call("GET", "/users?$filter=startswith(displayName,'soph')", { token: tReader });
    expect((sw.json.value as { id: string }[]).map((u) => u.id)).toEqual([sophia.id]);

    const names: string[] = [];
    let next: string | undefined = "/users?$orderby=displayName desc&$top=2&$select=displayName";
    for (let i = 0; next && i < 20; i++) {
      const page: Awaited<ReturnType<typeof call>> = await call("GET", next, { token: tReader });
      expect(page.status).toBe(200);
      names.push(...(page.json.value as { displayName: string }[]).map((u) => u.displayName));
      next = page.json["@odata.nextLink"] as string | undefined;
    }
    expect(names.length).toBeGreaterThanOrEqual(5);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    const bad = await call("GET", "/users?$orderby=mail", { token: tReader });
    expect([bad.status, errorCode(bad)]).toEqual([400, "Request_UnsupportedQuery"]);
  });

  it("roleAssignments (the tutorial's step) with $filter and $expand=principal($select=id,displayName)", async () => {
    const r = await call(
      "GET",
      `${RM}/roleAssignments?$filter=principalId eq '${olivia.id}'&$expand=principal($select=id,displayName)`,
      { token: tReader },
    );
    expect(r.status).toBe(200);
    expect(r.json["@odata.context"]).toBe(
      `${BASE}/graph/v1.0/$metadata#roleManagement/directory/roleAssignments(principal(id,displayName))`,
    );
    const value = r.json.value as Record<string, unknown>[];
    expect(value).toHaveLength(1);
    expect(value[0]).toMatchObject({
      principalId: olivia.id,
      roleDefinitionId: HELPDESK_ADMINISTRATOR,
      directoryScopeId: "/",
      resourceScope: "/",
      principal: { "@odata.type": "#microsoft.graph.user", id: olivia.id, displayName: "Olivia Brown" },
    });
    expect(Object.keys(value[0]?.principal as object).sort()).toEqual(["@odata.type", "displayName", "id"]);
    const one = await call("GET", `${RM}/roleAssignments/${String(value[0]?.id)}`, { token: tReader });
    expect(one.json.id).toBe(value[0]?.id);
  });

  it("policy assignments: scopeType eq 'Directory' and $expand=policy($expand=rules)", async () => {
    const r = await call(
      "GET",
      `/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'Directory' and roleDefinitionId eq '${USER_ADMINISTRATOR}'&$expand=policy($expand=rules)`,
      { token: tReader },
    );
    expect(r.status).toBe(200);
    expect(String(r.json["@odata.context"])).toMatch(
      /#policies\/roleManagementPolicyAssignments\(policy\(rules\(\)\)\)$/,
    );
    const [a] = r.json.value as { policy: { rules: { "@odata.type": string; id: string }[] } }[];
    expect(a?.policy.rules).toHaveLength(17);
    expect(a?.policy.rules.map((x) => x.id)).toContain("Expiration_EndUser_Assignment");
  });

  it("$batch: up to 20 requests, dependsOn in order, 424 after a failed dependency", async () => {
    const res = await call("POST", "/$batch", {
      token: tReader,
      body: {
        requests: [
          { id: "1", method: "GET", url: "/users?$top=1" },
          { id: "2", method: "GET", url: `${RM}/roleDefinitions/${USER_ADMINISTRATOR}`, dependsOn: ["1"] },
          { id: "3", method: "GET", url: "/nope", dependsOn: ["2"] },
          { id: "4", method: "GET", url: "users/$count", dependsOn: ["3"] },
        ],
      },
    });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries((res.json.responses as { id: string; status: number }[]).map((x) => [x.id, x]));
    expect([byId["1"]?.status, byId["2"]?.status, byId["3"]?.status, byId["4"]?.status]).toEqual([200, 200, 400, 424]);
    const tooMany = await call("POST", "/$batch", {
      token: tReader,
      body: { requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/me" })) },
    });
    expect(tooMany.status).toBe(400);
    const dup = await call("POST", "/$batch", {
      token: tReader,
      body: { requests: [1, 1].map(() => ({ id: "a", method: "GET", url: "/me" })) },
    });
    expect(dup.status).toBe(400);
  });
});

describe("requests, instances and audit as Graph answers them", () => {
  it("AdminAssign / NoExpiration in Microsoft's casing are accepted and answered in Graph's; a duplicate is 400 RoleAssignmentExists", async () => {
    const body = {
      action: "AdminAssign",
      justification: "Assign Groups Admin to IT Helpdesk group",
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: "/",
      principalId: nobody.id,
      scheduleInfo: { startDateTime: env.ctx.now().toISOString(), expiration: { type: "NoExpiration" } },
    };
    const r = await call("POST", `${RM}/roleEligibilityScheduleRequests/`, { token: tAdmin, body });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ action: "adminAssign", scheduleInfo: { expiration: { type: "noExpiration" } } });
    const again = await call("POST", `${RM}/roleEligibilityScheduleRequests`, { token: tAdmin, body });
    expect([again.status, errorCode(again)]).toEqual([400, "RoleAssignmentExists"]);
    const bogus = await call("POST", `${RM}/roleEligibilityScheduleRequests`, {
      token: tAdmin,
      body: { ...body, action: "AdminAssignPlease" },
    });
    expect(bogus.status).toBe(400);
  });

  it("filterByCurrentUser answers Collection(type) with @odata.type on every item", async () => {
    const r = await call("GET", `${RM}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`, {
      token: tOlivia,
    });
    expect(r.status).toBe(200);
    expect(r.json["@odata.context"]).toBe(
      `${BASE}/graph/v1.0/$metadata#Collection(unifiedRoleAssignmentScheduleInstance)`,
    );
    const [item] = r.json.value as Record<string, unknown>[];
    expect(item?.["@odata.type"]).toBe("#microsoft.graph.unifiedRoleAssignmentScheduleInstance");
    expect(item).toMatchObject({ principalId: olivia.id, assignmentType: "Assigned", memberType: "Direct" });
  });

  it("audit events carry initiatedBy.user.userPrincipalName and ipAddress, and what changed", async () => {
    const r = await call(
      "GET",
      `/auditLogs/directoryAudits?$filter=initiatedBy/user/id eq '${admin.id}' and result eq 'success'&$top=5`,
      {
        token: tReader,
      },
    );
    expect(r.status).toBe(200);
    const [ev] = r.json.value as {
      initiatedBy: { user: { userPrincipalName: string; ipAddress: string | null } };
      targetResources: { modifiedProperties: { displayName: string; newValue: string | null }[] }[];
    }[];
    expect(ev?.initiatedBy.user.userPrincipalName).toBe(admin.userPrincipalName);
    expect(ev?.initiatedBy.user).toHaveProperty("ipAddress");
    expect(ev?.targetResources[0]?.modifiedProperties.length).toBeGreaterThan(0);
  });
});

describe("application permissions and the tenant-qualified authority", () => {
  const form = (o: Record<string, string>) => ({
    rawBody: new URLSearchParams(o).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });

  it("a service principal granted RoleManagement.ReadWrite.Directory assigns without holding a role, audited as the app; revoking stops it at once", async () => {
    const secret = await createServicePrincipalSecret(env.ctx, admin.actor({ mfaAt: env.ctx.now() }), {
      servicePrincipalId: app.id,
      displayName: "ITSM",
      expiresInDays: 30,
      scopes: ["RoleManagement.Read.Directory"],
    });
    const [sp] = await env.db.query.servicePrincipals.findMany({ where: (s, { eq: e }) => e(s.id, app.id) });
    const refused = await setServicePrincipalPermissions(env.ctx, nobody.actor(), {
      servicePrincipalId: app.id,
      permissions: ["RoleManagement.ReadWrite.Directory"],
    }).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    const granted = await setServicePrincipalPermissions(env.ctx, admin.actor(), {
      servicePrincipalId: app.id,
      permissions: ["RoleManagement.ReadWrite.Directory", "AuditLog.Read.All"],
    });
    expect(granted.removed).toEqual(["RoleManagement.Read.Directory"]);

    const [tenant] = await env.db.select().from(directorySettings).where(eq(directorySettings.id, 1));
    const f = form({
      grant_type: "client_credentials",
      client_id: String(sp?.appId),
      client_secret: secret.secret,
      scope: "https://graph.microsoft.com/.default",
    });
    const tokenReq = new Request(`${BASE}/${tenant?.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      headers: f.headers,
      body: f.rawBody,
    });
    const tr = await tenantTokenRoute.POST(tokenReq, { params: Promise.resolve({ tenant: String(tenant?.tenantId) }) });
    expect(tr.status).toBe(200);
    const tok = (await tr.json()) as { access_token: string; scope: string };
    expect(tok.scope).toBe("AuditLog.Read.All RoleManagement.ReadWrite.Directory");

    const assign = await call("POST", `${RM}/roleAssignmentScheduleRequests`, {
      token: tok.access_token,
      body: {
        action: "adminAssign",
        justification: "ITSM change 42",
        roleDefinitionId: USER_ADMINISTRATOR,
        directoryScopeId: "/",
        principalId: sophia.id,
        scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT8H" } },
      },
    });
    expect(assign.status).toBe(201);
    expect(assign.json.createdBy).toMatchObject({ user: null, application: { id: app.id } });
    const audit = await call(
      "GET",
      `/auditLogs/directoryAudits?$filter=initiatedBy/app/servicePrincipalId eq '${app.id}'`,
      {
        token: tok.access_token,
      },
    );
    const events = audit.json.value as { initiatedBy: { app: { appId: string } } }[];
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]?.initiatedBy.app.appId).toBe(sp?.appId);

    await setServicePrincipalPermissions(env.ctx, admin.actor(), { servicePrincipalId: app.id, permissions: [] });
    const after = await call("GET", `${RM}/roleDefinitions?$top=1`, { token: tok.access_token });
    expect(after.status).toBe(403);
  });

  it("discovery for the tenant id and for a domain of its users; an unknown tenant is AADSTS90002", async () => {
    const [tenant] = await env.db.select().from(directorySettings).where(eq(directorySettings.id, 1));
    const tid = String(tenant?.tenantId);
    setApiPublicUrl("https://pim.example.com");
    const get = (seg: string) =>
      discoveryRoute.GET(new Request(`${BASE}/${seg}/v2.0/.well-known/openid-configuration`), {
        params: Promise.resolve({ tenant: seg }),
      });
    const byId = await get(tid);
    expect(byId.status).toBe(200);
    expect(await byId.json()).toMatchObject({
      issuer: `https://pim.example.com/${tid}/v2.0`,
      token_endpoint: `https://pim.example.com/${tid}/oauth2/v2.0/token`,
      jwks_uri: `https://pim.example.com/${tid}/discovery/v2.0/keys`,
      authorization_endpoint: `https://pim.example.com/${tid}/oauth2/v2.0/authorize`,
    });
    expect((await get("contoso.test")).status).toBe(200);
    const unknown = await get("fabrikam.test");
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error_codes: number[] }).error_codes).toEqual([90002]);
  });
});

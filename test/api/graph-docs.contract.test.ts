/**
 * Microsoft's documented PIM requests, replayed verbatim except base URL, ids and token, with the official
 * stacks: `@microsoft/microsoft-graph-client` (PageIterator included), `@azure/identity`'s
 * ClientSecretCredential and `@azure/msal-node`, over https through a reverse proxy. The test makes a
 * self-signed certificate with the openssl CLI, serves the app's route handlers on node:http (free port),
 * puts a node:https proxy in front (free port, X-Forwarded-Host/Proto as a real proxy writes them), and runs
 * the client in its own Node process that trusts that certificate through NODE_EXTRA_CA_CERTS — nothing in
 * the client is patched. The clock is set to the documentation's dates (April 2022) so its bodies stay valid.
 * The answers are compared with the documented responses: status, shape and casing.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directorySettings } from "@/db/schema";
import { handleGraph } from "@/lib/api/graph/router";
import { handleTokenRequest } from "@/lib/api/oauth";
import { discoveryForTenant, keysForTenant, tokenForTenant } from "@/lib/api/oauth-tenant";
import { setApiPublicUrl } from "@/lib/api/public-url";
import { GLOBAL_ADMINISTRATOR, GROUPS_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { createServicePrincipalSecret } from "@/lib/pim/use-cases/create-service-principal-secret";
import { setServicePrincipalPermissions } from "@/lib/pim/use-cases/set-service-principal-permissions";
import { setupApi, teardown, tokenFor } from "./harness";

type Step = {
  ok: boolean;
  body?: Record<string, unknown> & { value?: Record<string, unknown>[] };
  status?: number;
  code?: string;
};
let env: Awaited<ReturnType<typeof setupApi>>;
let app: Server;
let proxy: HttpsServer;
let dir: string;
let result: Record<string, Step>;
let ids: { user: string; group: string; admin: string; approver: string };

async function dispatch(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  if (/^\/graph\/(v1\.0|beta)(\/|$)/.test(path)) return handleGraph(req);
  if (path === "/oauth2/v2.0/token") return handleTokenRequest(req);
  const m = /^\/([^/]+)\/(oauth2\/v2\.0\/token|v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys)$/.exec(
    path,
  );
  if (m?.[1] && m[2] === "oauth2/v2.0/token") return tokenForTenant(req, m[1]);
  if (m?.[1] && m[2]?.startsWith("v2.0")) return discoveryForTenant(req, m[1]);
  if (m?.[1]) return keysForTenant(req, m[1]);
  return new Response("not found", { status: 404 });
}

const listen = (s: Server | HttpsServer) =>
  new Promise<number>((resolve) => s.listen(0, "127.0.0.1", () => resolve((s.address() as AddressInfo).port)));

beforeAll(async () => {
  env = await setupApi();
  const { d, ctx, db } = env;
  ctx.clock.set(new Date("2022-04-11T11:50:03Z"));
  const past = new Date("2022-01-01T00:00:00Z");
  const [admin, user, approver, stranger] = await d.users(
    "Perparim Abdullahu",
    "Sophia Davis",
    "Adam Approver",
    "Nora Nobody",
  );
  const helpdesk = await d.group("IT Helpdesk");
  await d.active(admin, GLOBAL_ADMINISTRATOR, { start: past });
  ids = { user: user.id, group: helpdesk.id, admin: admin.id, approver: approver.id };
  const sp = await d.servicePrincipal("Provisioning app");
  const secret = await createServicePrincipalSecret(ctx, admin.actor({ mfaAt: ctx.now() }), {
    servicePrincipalId: sp.id,
    displayName: "docs replay",
    expiresInDays: 30,
    scopes: ["RoleEligibilitySchedule.ReadWrite.Directory"],
  });
  await setServicePrincipalPermissions(ctx, admin.actor(), {
    servicePrincipalId: sp.id,
    permissions: ["RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.Read.Directory"],
  });
  const [spRow] = await db.query.servicePrincipals.findMany({ where: (s, { eq: e }) => e(s.id, sp.id) });
  const [tenant] = await db.select().from(directorySettings).where(eq(directorySettings.id, 1));

  setApiPublicUrl(null); // links must come from the proxy's X-Forwarded-Host (TRUSTED_PROXY_HOPS defaults to 1)
  app = createServer(async (req, res) => {
    let raw = "";
    for await (const c of req) raw += String(c);
    const url = `http://${req.headers.host}${req.url}`;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const body = raw && req.method !== "GET" && req.method !== "HEAD" ? raw : undefined;
    const response = await dispatch(new Request(url, { method: req.method, headers, body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(new Uint8Array(await response.arrayBuffer()));
  });
  const appPort = await listen(app);

  dir = mkdtempSync(join(tmpdir(), "pim-graph-docs-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  proxy = createHttpsServer(
    { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
    (req, res) => {
      const up = httpRequest(
        {
          host: "127.0.0.1",
          port: appPort,
          method: req.method,
          path: req.url,
          headers: {
            ...req.headers,
            host: `127.0.0.1:${appPort}`,
            "x-forwarded-host": req.headers.host ?? "",
            "x-forwarded-proto": "https",
            "x-forwarded-for": req.socket.remoteAddress ?? "",
          },
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(up);
    },
  );
  const proxyPort = await listen(proxy);
  const base = `https://127.0.0.1:${proxyPort}`;

  const config = {
    base,
    tenantId: tenant?.tenantId,
    tenantDomain: "contoso.test",
    clientId: spRow?.appId,
    clientSecret: secret.secret,
    adminToken: await tokenFor(ctx, admin),
    userToken: await tokenFor(ctx, user),
    approverToken: await tokenFor(ctx, approver),
    strangerToken: await tokenFor(ctx, stranger),
    userId: user.id,
    groupId: helpdesk.id,
    approverId: approver.id,
    roleId: USER_ADMINISTRATOR,
    groupsAdminRoleId: GROUPS_ADMINISTRATOR,
  };
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [join(__dirname, "graph-docs", "client.mjs")],
      {
        cwd: process.cwd(),
        env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "cert.pem"), GRAPH_DOCS_CONFIG: JSON.stringify(config) },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 240_000,
      },
      (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
    ),
  );
  result = JSON.parse(stdout) as Record<string, Step>;
}, 300_000);

afterAll(async () => {
  await new Promise<void>((r) => proxy?.close(() => r()));
  await new Promise<void>((r) => app?.close(() => r()));
  if (dir) rmSync(dir, { recursive: true, force: true });
  setApiPublicUrl(undefined);
  await teardown(env.handle);
});

const ok = (name: string) => {
  const s = result[name];
  expect(s, name).toBeDefined();
  if (!s?.ok) throw new Error(`${name} failed: ${JSON.stringify(s)}`);
  return s.body ?? {};
};
const fail = (name: string) => {
  const s = result[name];
  expect(s?.ok, `${name} should have failed`).toBe(false);
  return s as Step;
};

describe("tokens from the portal as authority", () => {
  it("ClientSecretCredential (authorityHost = the portal) and MSAL (authority = portal/tenant domain) get tokens", () => {
    expect(ok("identityToken")).toMatchObject({ hasToken: true });
    expect(ok("msalToken")).toMatchObject({ hasToken: true, tokenType: "Bearer" });
    expect((ok("msalRoleDefinitions").value ?? []).length).toBe(1);
  });
});

describe("documented requests, documented answers", () => {
  it("roleEligibilityScheduleRequests example 1 (AfterDateTime), by an application with the permission only", () => {
    expect(ok("eligibilityAdminAssign")).toMatchObject({
      "@odata.context": expect.stringMatching(
        /^https:\/\/127\.0\.0\.1:\d+\/graph\/v1\.0\/\$metadata#roleManagement\/directory\/roleEligibilityScheduleRequests\/\$entity$/,
      ),
      action: "adminAssign",
      status: "Provisioned",
      principalId: ids.user,
      directoryScopeId: "/",
      appScopeId: null,
      isValidationOnly: false,
      // as in the documented answer, a start in the past becomes the moment the request was processed
      scheduleInfo: {
        startDateTime: "2022-04-11T11:50:03Z",
        recurrence: null,
        expiration: { type: "afterDateTime", endDateTime: "2024-04-10T00:00:00Z", duration: null },
      },
      ticketInfo: { ticketNumber: null, ticketSystem: null },
      createdBy: { user: null, device: null, application: { id: expect.any(String) } },
    });
  });

  it("roleAssignmentScheduleRequests example 1 (NoExpiration) → 201 Provisioned; again → 400 RoleAssignmentExists", () => {
    const b = ok("assignmentAdminAssign");
    expect(b).toMatchObject({
      action: "adminAssign",
      status: "Provisioned",
      principalId: ids.group,
      roleDefinitionId: GROUPS_ADMINISTRATOR,
      approvalId: null,
      customData: null,
      justification: "Assign Groups Admin to IT Helpdesk group",
      createdBy: { application: null, device: null, user: { id: ids.admin } },
      scheduleInfo: { recurrence: null, expiration: { type: "noExpiration", endDateTime: null, duration: null } },
    });
    expect(Object.keys(b).sort()).toEqual(
      [
        "@odata.context",
        "id",
        "status",
        "createdDateTime",
        "completedDateTime",
        "approvalId",
        "customData",
        "action",
        "principalId",
        "roleDefinitionId",
        "directoryScopeId",
        "appScopeId",
        "isValidationOnly",
        "targetScheduleId",
        "justification",
        "createdBy",
        "scheduleInfo",
        "ticketInfo",
      ].sort(),
    );
    expect(fail("assignmentAdminAssignAgain")).toMatchObject({ status: 400, code: "RoleAssignmentExists" });
  });

  it("example 2: selfActivate with AfterDuration and a future start → Granted; cancel → 204; cancel again → 400", () => {
    expect(ok("eligibilityFilterByCurrentUser")["@odata.context"]).toMatch(
      /#Collection\(unifiedRoleEligibilitySchedule\)$/,
    );
    expect(ok("selfActivate")).toMatchObject({
      status: "Granted",
      action: "selfActivate",
      scheduleInfo: {
        startDateTime: "2022-04-14T00:00:00Z",
        recurrence: null,
        expiration: { type: "afterDuration", endDateTime: null, duration: "PT5H" },
      },
      ticketInfo: { ticketNumber: "CONTOSO:Normal-67890", ticketSystem: "MS Project" },
    });
    expect(result.cancel?.ok).toBe(true);
    expect(fail("cancelAgain")).toMatchObject({ status: 400 });
  });

  it("instances: $filter on principalId, and filterByCurrentUser with Collection(type) and @odata.type", () => {
    const list = ok("instancesFilter");
    expect(list["@odata.context"]).toMatch(/#roleManagement\/directory\/roleAssignmentScheduleInstances$/);
    expect(list.value?.[0]).toMatchObject({
      principalId: ids.group,
      roleDefinitionId: GROUPS_ADMINISTRATOR,
      directoryScopeId: "/",
      appScopeId: null,
      assignmentType: "Assigned",
      memberType: "Direct",
      endDateTime: null,
    });
    const mine = ok("instancesFilterByCurrentUser");
    expect(mine["@odata.context"]).toMatch(/#Collection\(unifiedRoleAssignmentScheduleInstance\)$/);
    expect(mine.value?.[0]?.["@odata.type"]).toBe("#microsoft.graph.unifiedRoleAssignmentScheduleInstance");
  });

  it("policy assignments with $expand=policy($expand=rules): Graph's context and the rules' shapes", () => {
    const b = ok("policyAssignments");
    expect(b["@odata.context"]).toMatch(/#policies\/roleManagementPolicyAssignments\(policy\(rules\(\)\)\)$/);
    const a = b.value?.[0] as { policy: { rules: Record<string, unknown>[] } } & Record<string, unknown>;
    expect(a).toMatchObject({ scopeId: "/", scopeType: "DirectoryRole", roleDefinitionId: USER_ADMINISTRATOR });
    const byId = new Map(a.policy.rules.map((r) => [r.id, r]));
    expect(byId.get("Expiration_Admin_Eligibility")).toMatchObject({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      isExpirationRequired: false,
      maximumDuration: "P365D",
      target: {
        caller: "Admin",
        operations: ["all"],
        level: "Eligibility",
        inheritableSettings: [],
        enforcedSettings: [],
      },
    });
    expect(byId.get("Notification_Admin_Admin_Eligibility")).toMatchObject({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
      notificationType: "Email",
      recipientType: "Admin",
    });
  });

  it("PATCH of each rule type → 204, and the rules read back with the new values", () => {
    for (const n of ["patchExpiration", "patchEnablement", "patchNotification", "patchApproval"]) ok(n);
    const rules = new Map((ok("rulesAfter").value ?? []).map((r) => [r.id, r]));
    expect(rules.get("Expiration_EndUser_Assignment")).toMatchObject({ maximumDuration: "PT1H45M" });
    expect(rules.get("Enablement_EndUser_Assignment")).toMatchObject({ enabledRules: ["Justification", "Ticketing"] });
    expect(rules.get("Notification_Admin_Admin_Eligibility")).toMatchObject({
      notificationLevel: "Critical",
      isDefaultRecipientsEnabled: false,
      notificationRecipients: ["Brian.Johnson@contoso.com"],
    });
    expect(rules.get("Approval_EndUser_Assignment")).toMatchObject({
      setting: { isApprovalRequired: true, approvalMode: "SingleStage" },
    });
  });

  it("approvals under /graph/beta: read, a non-approver's PATCH is 403, the approver's is 204 → Provisioned", () => {
    expect(ok("selfActivateForApproval")).toMatchObject({ status: "PendingApproval", action: "selfActivate" });
    const approval = ok("approval");
    expect(approval["@odata.context"]).toMatch(
      /\/graph\/beta\/\$metadata#roleManagement\/directory\/roleAssignmentApprovals\/\$entity$/,
    );
    expect((approval.steps as Record<string, unknown>[])[0]).toMatchObject({
      status: "InProgress",
      assignedToMe: true,
      reviewResult: "NotReviewed",
    });
    expect(fail("stepByNonApprover")).toMatchObject({ status: 403 });
    expect(result.stepApprove?.ok).toBe(true);
    expect(ok("afterApproval")).toMatchObject({ status: "Provisioned" });
  });

  it("directory audits: PageIterator follows @odata.nextLink on the proxy's https address across pages", () => {
    const b = ok("auditPages") as unknown as {
      count: number;
      firstLink: string;
      ids: string[];
      sample: { initiatedBy: unknown; targetResources: unknown[]; activityDateTime: string };
    };
    expect(b.firstLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graph\/v1\.0\/auditLogs\/directoryAudits\?/);
    expect(b.count).toBeGreaterThan(4);
    expect(new Set(b.ids).size).toBe(b.count);
    expect(b.sample).toMatchObject({
      activityDateTime: expect.stringMatching(/^2022-04-/),
      initiatedBy: expect.anything(),
      targetResources: expect.any(Array),
    });
  });
});

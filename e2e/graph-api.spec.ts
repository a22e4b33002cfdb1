/**
 * The Graph-compatible API against the built app (next build + next start), driven by the official
 * Microsoft Graph JavaScript client. Tokens come from the portal's pages (a personal token on the Tokens
 * page, a client secret on the Service principals page); after each API call the portal page of the right
 * person shows the result. Its own people (Gina, Arjun); Helpdesk / Authentication / Application
 * Administrator at "/" (their settings are restored).
 */
import type { Page } from "@playwright/test";
import { Client, HTTPMessageHandler, type Context, type Middleware } from "@microsoft/microsoft-graph-client";
import { demoUsers } from "../db/demo-directory";
import { createPerson, uniqueSuffix, type Person } from "./factories";
import {
  APPLICATION_ADMINISTRATOR,
  AUTHENTICATION_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
} from "../lib/pim/directory/builtin-roles";
import { expect, test } from "./fixtures";
import { TEST_CLOCK_HEADER } from "../lib/clock";
import { shoot } from "./a11y";
import { MyRolesPage } from "./pages/my-roles";
import { PendingRequestsPage } from "./pages/requests";
import { answerMfa, ServicePrincipalsPage, TokensPage } from "./pages/tokens";

// The story's own people, made before it starts: Gina gets eligibilities through the API, Arjun approves.
let gina: Person;
let arjun: Person;
const SP_NAME = `PIM Automation ${uniqueSuffix()}`;
const RM = "/roleManagement/directory";

/** The client sends its token only to https hosts; on http we set the header on every request. */
class Bearer implements Middleware {
  private next?: Middleware;
  constructor(private readonly token: string) {}
  async execute(context: Context): Promise<void> {
    context.options = {
      ...(context.options ?? {}),
      headers: {
        ...((context.options?.headers as Record<string, string>) ?? {}),
        Authorization: `Bearer ${this.token}`,
        // The story's test clock (the API runs at its time, like the pages).
        [TEST_CLOCK_HEADER]: clockId,
      },
    };
    return this.next!.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}
const graphFor = (baseURL: string, token: string) =>
  Client.initWithMiddleware({
    baseUrl: `${baseURL}/graph/`,
    defaultVersion: "v1.0",
    middleware: [new Bearer(token), new HTTPMessageHandler()],
  });
type GraphErr = { statusCode: number; code: string; body: string };
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: GraphErr) => e,
  );

let clockId = "";
// What the stories hand on to each other (serial).
const s = {
  sp: { objectId: "", appId: "", secret: "" },
  appToken: "",
  adminToken: "",
  ginaStale: "",
  gina: "",
  arjun: "",
  policies: {} as Record<string, string>,
  originalRules: {} as Record<string, Record<string, unknown>>,
  canceledId: "",
  approvedId: "",
};

function assignmentRow(page: Page, role: string, member: string) {
  // the group header's button reads "Role" or "Role (n)"
  const header = page.getByRole("button", { name: new RegExp(`^${role}( \\(\\d+\\))?$`) });
  return page.locator("tbody").filter({ has: header }).getByRole("row").filter({ hasText: member });
}

// Serial: one automation story (a service principal, its tokens, policies it patches, requests it decides), each
// step using what the previous ones made, on one clock. It patches the directory-wide policies of Helpdesk and
// Authentication Administrator, so it runs in the "exclusive" project, alone (playwright.config.ts).
test.describe.serial("Graph API against the built app, results in the portal", () => {
  test.use({ clockScope: "describe" });
  test.beforeAll(async () => {
    gina = await createPerson("Gina Graph");
    arjun = await createPerson("Arjun Approver");
  });
  test.beforeEach(({ clock }) => {
    clockId = clock.id;
  });
  test("Perparim registers a service principal and adds a client secret, shown once; the app gets a token (client credentials)", async ({
    as,
    request,
  }, info) => {
    const page = await as("perparim");
    const sps = new ServicePrincipalsPage(page);
    await sps.goto();
    s.sp = { ...(await sps.register(SP_NAME, "Runs the Graph API journey of the e2e suite.")), secret: "" };
    expect(s.sp.appId).toMatch(/^[0-9a-f-]{36}$/);
    s.sp.secret = await sps.addSecret("graph-api spec", ["RoleManagement.ReadWrite.Directory"]);
    await expect(page.getByText("Copy the secret value now. It is shown only once")).toBeVisible();
    await shoot(page, info, "service-principals-secret-shown-once");
    await page.reload();
    await expect(page.getByTestId("new-secret")).toHaveCount(0);
    await expect(page.getByText(s.sp.secret)).toHaveCount(0);
    await expect(sps.secretRow("graph-api spec")).toContainText(`…${s.sp.secret.slice(-4)}`);
    await expect(sps.secretRow("graph-api spec")).toContainText("Active");

    const res = await request.post("/oauth2/v2.0/token", {
      form: {
        grant_type: "client_credentials",
        client_id: s.sp.appId,
        client_secret: s.sp.secret,
        scope: "https://graph.microsoft.com/.default",
      },
    });
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "RoleManagement.ReadWrite.Directory" });
    s.appToken = body.access_token;
    const wrong = await request.post("/oauth2/v2.0/token", {
      form: {
        grant_type: "client_credentials",
        client_id: s.sp.appId,
        client_secret: `${s.sp.secret}x`,
        scope: "https://graph.microsoft.com/.default",
      },
    });
    expect(wrong.status()).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "invalid_client" });

    // Perparim's own token, minted right after an MFA check
    await page.goto("/mfa?returnTo=%2Ftokens");
    await answerMfa(page, demoUsers.perparim.totpSecret);
    await page.waitForURL(/\/tokens$/);
    s.adminToken = await new TokensPage(page).create(`perparim admin ${uniqueSuffix()}`, [
      "RoleManagement.ReadWrite.Directory",
    ]);
  });

  test("Perparim assigns Privileged Role Administrator to the app through the API; Assignments and the app's page show it", async ({
    as,
    baseURL,
  }) => {
    const admin = graphFor(baseURL!, s.adminToken);
    const r = await admin.api(`${RM}/roleAssignmentScheduleRequests`).post({
      action: "adminAssign",
      principalId: s.sp.objectId,
      roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "e2e automation manages PIM",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "P1D" } },
    });
    expect(r).toMatchObject({ status: "Provisioned", action: "adminAssign", principalId: s.sp.objectId });
    const page = await as("perparim");
    await page.goto(`/assignments?tab=active&q=${encodeURIComponent(SP_NAME)}`);
    await expect(assignmentRow(page, "Privileged Role Administrator", SP_NAME)).toContainText("Service principal");
    await page.goto(`/service-principals/${s.sp.objectId}`);
    await expect(page.getByText("Privileged Role Administrator")).toBeVisible();
  });

  test("The app assigns Gina eligible roles and removes one; Assignments shows the rows appear and go", async ({
    as,
    baseURL,
    clock,
  }) => {
    const app = graphFor(baseURL!, s.appToken);
    for (const role of [HELPDESK_ADMINISTRATOR, AUTHENTICATION_ADMINISTRATOR, APPLICATION_ADMINISTRATOR]) {
      const r = await app.api(`${RM}/roleEligibilityScheduleRequests`).post({
        action: "adminAssign",
        principalId: gina.id,
        roleDefinitionId: role,
        directoryScopeId: "/",
        justification: "Graph API e2e",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } },
      });
      expect(r.status).toBe("Provisioned");
    }
    const page = await as("perparim");
    await page.goto(`/assignments?tab=eligible&q=${encodeURIComponent(gina.displayName)}`);
    for (const role of ["Helpdesk Administrator", "Authentication Administrator", "Application Administrator"]) {
      await expect(assignmentRow(page, role, gina.displayName)).toHaveCount(1);
    }
    await clock.advance(6); // an assignment cannot be removed within 5 minutes of its creation
    const removed = await app.api(`${RM}/roleEligibilityScheduleRequests`).post({
      action: "adminRemove",
      principalId: gina.id,
      roleDefinitionId: APPLICATION_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "Not needed after all",
    });
    expect(removed.status).toBe("Revoked");
    await page.reload();
    await expect(assignmentRow(page, "Application Administrator", gina.displayName)).toHaveCount(0);
    await expect(assignmentRow(page, "Helpdesk Administrator", gina.displayName)).toHaveCount(1);
  });

  test("The app reads the policy rules and patches them (MFA + ticket; approval by Arjun); Role settings shows the new values", async ({
    as,
    baseURL,
  }) => {
    const app = graphFor(baseURL!, s.appToken);
    for (const role of [HELPDESK_ADMINISTRATOR, AUTHENTICATION_ADMINISTRATOR]) {
      const a = await app
        .api("/policies/roleManagementPolicyAssignments")
        .filter(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${role}'`)
        .get();
      expect(a.value).toHaveLength(1);
      s.policies[role] = a.value[0].policyId;
      const rules = await app.api(`/policies/roleManagementPolicies/${s.policies[role]}/rules`).get();
      expect(rules.value.length).toBeGreaterThanOrEqual(17);
      for (const id of ["Enablement_EndUser_Assignment", "Approval_EndUser_Assignment"]) {
        s.originalRules[`${role}/${id}`] = rules.value.find((r: { id: string }) => r.id === id);
      }
    }
    const target = {
      "@odata.type": "microsoft.graph.unifiedRoleManagementPolicyRuleTarget",
      caller: "EndUser",
      operations: ["All"],
      level: "Assignment",
      inheritableSettings: [],
      enforcedSettings: [],
    };
    await app
      .api(`/policies/roleManagementPolicies/${s.policies[HELPDESK_ADMINISTRATOR]}/rules/Enablement_EndUser_Assignment`)
      .patch({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
        id: "Enablement_EndUser_Assignment",
        enabledRules: ["MultiFactorAuthentication", "Justification", "Ticketing"],
        target,
      });
    await app
      .api(
        `/policies/roleManagementPolicies/${s.policies[AUTHENTICATION_ADMINISTRATOR]}/rules/Approval_EndUser_Assignment`,
      )
      .patch({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
        id: "Approval_EndUser_Assignment",
        target,
        setting: {
          isApprovalRequired: true,
          isApprovalRequiredForExtension: false,
          isRequestorJustificationRequired: true,
          approvalMode: "SingleStage",
          approvalStages: [
            {
              approvalStageTimeOutInDays: 1,
              isApproverJustificationRequired: true,
              escalationTimeInMinutes: 0,
              isEscalationEnabled: false,
              primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: arjun.id, isBackup: false }],
              escalationApprovers: [],
            },
          ],
        },
      });
    const rule = await app
      .api(`/policies/roleManagementPolicies/${s.policies[HELPDESK_ADMINISTRATOR]}/rules/Enablement_EndUser_Assignment`)
      .get();
    expect(rule.enabledRules).toEqual(["MultiFactorAuthentication", "Justification", "Ticketing"]);

    const page = await as("perparim");
    await page.goto(`/roles/${HELPDESK_ADMINISTRATOR}/settings`);
    await expect(page.getByRole("radio", { name: "Multifactor authentication" })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: "Require ticket information on activation" })).toBeChecked();
    await page.goto(`/roles/${AUTHENTICATION_ADMINISTRATOR}/settings`);
    await expect(page.getByRole("checkbox", { name: "Require approval to activate" })).toBeChecked();
    await expect(page.getByText(arjun.displayName).first()).toBeVisible();
  });

  test("Gina's token minted before the clock moved is refused with MfaRule; after an MFA check on the Tokens page a new token activates; My roles shows it", async ({
    as,
    baseURL,
    clock,
  }, info) => {
    const page = await as(gina);
    const tokens = new TokensPage(page);
    await tokens.goto();
    await expect(tokens.mfaState).toContainText("carries your MFA check");
    s.ginaStale = await tokens.create("gina laptop", ["RoleAssignmentSchedule.ReadWrite.Directory"]);
    await shoot(page, info, "tokens-shown-once");
    await page.reload();
    await expect(tokens.shownOnce).toHaveCount(0);
    await expect(page.getByText(s.ginaStale)).toHaveCount(0);
    await expect(tokens.row("gina laptop")).toContainText(`…${s.ginaStale.slice(-4)}`);
    await expect(tokens.row("gina laptop")).toContainText("Yes"); // carries MFA

    await clock.advance(16); // the MFA check is now older than the 15 minutes Helpdesk Administrator accepts
    const activate = {
      action: "selfActivate",
      principalId: gina.id,
      roleDefinitionId: HELPDESK_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "Reset a locked account",
      ticketInfo: { ticketNumber: "INC-7001", ticketSystem: "ServiceNow" },
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT2H" } },
    };
    const e = await failure(graphFor(baseURL!, s.ginaStale).api(`${RM}/roleAssignmentScheduleRequests`).post(activate));
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe("RoleAssignmentRequestPolicyValidationFailed");
    expect(e.body).toContain("MfaRule");

    await tokens.goto();
    await expect(tokens.mfaState).toContainText("older than 15 minutes");
    await tokens.mfaState.getByRole("link", { name: "Verify with MFA" }).click();
    await page.waitForURL(/\/mfa/);
    await answerMfa(page, gina.totpSecret);
    await page.waitForURL(/\/tokens$/);
    await expect(tokens.mfaState).toContainText("carries your MFA check");
    s.gina = await tokens.create("gina cli", ["RoleAssignmentSchedule.ReadWrite.Directory"]);
    const ok = await graphFor(baseURL!, s.gina).api(`${RM}/roleAssignmentScheduleRequests`).post(activate);
    expect(ok).toMatchObject({
      status: "Provisioned",
      action: "selfActivate",
      ticketInfo: { ticketNumber: "INC-7001" },
    });

    const myRoles = new MyRolesPage(page);
    await myRoles.goto("active");
    await expect(myRoles.activeRow("Helpdesk Administrator")).toContainText("Activated");
  });

  test("Gina lists her instances through the API", async ({ baseURL }) => {
    const mine = await graphFor(baseURL!, s.gina)
      .api(`${RM}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`)
      .expand("roleDefinition")
      .get();
    expect(mine.value).toEqual([
      expect.objectContaining({
        principalId: gina.id,
        roleDefinitionId: HELPDESK_ADMINISTRATOR,
        assignmentType: "Activated",
        roleDefinition: expect.objectContaining({ displayName: "Helpdesk Administrator" }),
      }),
    ]);
    const eligible = await graphFor(baseURL!, s.gina)
      .api(`${RM}/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')`)
      .get()
      .catch((x: GraphErr) => x);
    // Gina's token carries no eligibility permission: Graph's 403
    expect(eligible).toMatchObject({ statusCode: 403, code: "Authorization_RequestDenied" });
  });

  test("Gina asks for Authentication Administrator and cancels through the API; Pending requests shows Canceled", async ({
    as,
    baseURL,
  }) => {
    const graph = graphFor(baseURL!, s.gina);
    const pending = await graph.api(`${RM}/roleAssignmentScheduleRequests`).post({
      action: "selfActivate",
      principalId: gina.id,
      roleDefinitionId: AUTHENTICATION_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "Reset MFA for a user",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
    });
    expect(pending.status).toBe("PendingApproval");
    s.canceledId = pending.id;
    const page = await as(gina);
    const requests = new PendingRequestsPage(page);
    await requests.goto();
    await expect(requests.latest("Authentication Administrator")).toContainText("Pending approval");
    await graph.api(`${RM}/roleAssignmentScheduleRequests/${pending.id}/cancel`).post({});
    expect((await graph.api(`${RM}/roleAssignmentScheduleRequests/${pending.id}`).get()).status).toBe("Canceled");
    await requests.goto();
    await expect(requests.latest("Authentication Administrator")).toContainText("Canceled");
    const again = await failure(graph.api(`${RM}/roleAssignmentScheduleRequests/${pending.id}/cancel`).post({}));
    // Graph: cancelling a request that is no longer cancelable is a 400
    expect(again).toMatchObject({ statusCode: 400, code: "RoleAssignmentRequestNotCancelable" });
  });

  test("Arjun approves Gina's next request through the API; Gina's My roles shows Authentication Administrator active", async ({
    as,
    baseURL,
  }) => {
    const graph = graphFor(baseURL!, s.gina);
    const pending = await graph.api(`${RM}/roleAssignmentScheduleRequests`).post({
      action: "selfActivate",
      principalId: gina.id,
      roleDefinitionId: AUTHENTICATION_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "Reset MFA for a user, take two",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
    });
    expect(pending.status).toBe("PendingApproval");
    s.approvedId = pending.id;

    const arjunPage = await as(arjun);
    const tokens = new TokensPage(arjunPage);
    await tokens.goto();
    s.arjun = await tokens.create("arjun approvals", ["RoleAssignmentSchedule.ReadWrite.Directory"]);
    const approver = graphFor(baseURL!, s.arjun);
    const mine = await approver
      .api(`${RM}/roleAssignmentScheduleRequests/filterByCurrentUser(on='approver')`)
      .filter("status eq 'PendingApproval'")
      .get();
    expect(mine.value.map((r: { id: string }) => r.id)).toEqual([pending.id]);
    const approval = await approver.api(`${RM}/roleAssignmentApprovals/${pending.approvalId}`).get();
    const step = approval.steps.find((x: { status: string }) => x.status === "InProgress");
    await approver
      .api(`${RM}/roleAssignmentApprovals/${pending.approvalId}/steps/${step.id}`)
      .patch({ reviewResult: "Approve", justification: "Ticket checked" });
    expect((await graph.api(`${RM}/roleAssignmentScheduleRequests/${pending.id}`).get()).status).toBe("Provisioned");

    const page = await as(gina);
    const myRoles = new MyRolesPage(page);
    await myRoles.goto("active");
    await expect(myRoles.activeRow("Authentication Administrator")).toBeVisible();
    const requests = new PendingRequestsPage(page);
    await requests.goto();
    await expect(requests.latest("Authentication Administrator")).toContainText("Approved");
  });

  test("Audit shows the API's events to Perparim", async ({ as }) => {
    const page = await as("perparim");
    await page.goto(`/activity?view=resource&target=${encodeURIComponent(gina.displayName)}`);
    const table = page.getByRole("table");
    // the refused attempt (stale MFA on the token) and the activation with the fresh token
    const activations = table
      .getByRole("row")
      .filter({ hasText: "Add member to role completed (PIM activation)" })
      .filter({ hasText: "Helpdesk Administrator" });
    await expect(activations).toHaveCount(2);
    await expect(
      activations.filter({ hasText: "MfaRule: Activating Helpdesk Administrator requires multifactor authentication" }),
    ).toHaveCount(1);
    await expect(activations.filter({ hasNotText: "Failure" })).toHaveCount(1);
    const rows = table.getByRole("row");
    await expect(
      rows.filter({ hasText: "Add member to role request canceled (PIM activation)" }).filter({ hasText: "Success" }),
    ).toHaveCount(1);
    await expect(
      rows
        .filter({ hasText: arjun.displayName })
        .filter({ hasText: "Add member to role request approved (PIM activation)" })
        .filter({ hasText: "Authentication Administrator" }),
    ).toHaveCount(1);
    await expect(
      rows.filter({ hasText: SP_NAME }).filter({ hasText: "Add eligible member to role in PIM completed" }),
    ).toHaveCount(3);
    await expect(
      rows
        .filter({ hasText: SP_NAME })
        .filter({ hasText: "Remove eligible member from role in PIM completed" })
        .filter({ hasText: "Application Administrator" }),
    ).toHaveCount(1);
    await page.goto(`/activity?view=resource&role=${HELPDESK_ADMINISTRATOR}&actor=${encodeURIComponent(SP_NAME)}`);
    await expect(
      page.getByRole("table").getByRole("row").filter({ hasText: "Update role setting in PIM" }).first(),
    ).toBeVisible();
  });

  test("Bad input through the real server: Graph-style 400, 401, 403 and 404", async ({ request }) => {
    const auth = { authorization: `Bearer ${s.gina}` };
    const graphError = async (res: Awaited<ReturnType<typeof request.get>>, status: number, code: string) => {
      expect(res.status()).toBe(status);
      const b = (await res.json()) as {
        error: { code: string; message: string; innerError: { date: string; "request-id": string } };
      };
      expect(b.error.code).toBe(code);
      expect(b.error.message.length).toBeGreaterThan(5);
      expect(b.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(b.error.innerError["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    };
    await graphError(await request.get("/graph/v1.0/me"), 401, "InvalidAuthenticationToken");
    await graphError(
      await request.get("/graph/v1.0/me", { headers: { authorization: "Bearer pim_not_a_real_token_at_all_123" } }),
      401,
      "InvalidAuthenticationToken",
    );
    await graphError(
      await request.get(`/graph/v1.0${RM}/roleAssignmentScheduleRequests?$filter=${encodeURIComponent("nope eq 1")}`, {
        headers: auth,
      }),
      400,
      "Request_UnsupportedQuery",
    );
    await graphError(
      await request.get(`/graph/v1.0${RM}/roleAssignmentScheduleRequests?$filter=${encodeURIComponent("status eq ")}`, {
        headers: auth,
      }),
      400,
      "BadRequest",
    );
    await graphError(
      await request.get(
        `/graph/v1.0${RM}/roleAssignmentScheduleRequests?$filter=${encodeURIComponent("startswith(status,'P')")}`,
        { headers: auth },
      ),
      400,
      "Request_UnsupportedQuery",
    );
    await graphError(
      await request.get(`/graph/v1.0${RM}/roleAssignmentScheduleRequests?$orderby=principalId`, { headers: auth }),
      400,
      "Request_UnsupportedQuery",
    );
    await graphError(
      await request.get(`/graph/v1.0${RM}/roleAssignmentScheduleRequests?$top=-1`, { headers: auth }),
      400,
      "BadRequest",
    );
    await graphError(
      await request.get(`/graph/v1.0${RM}/roleAssignmentScheduleRequests/00000000-0000-4000-8000-000000000000`, {
        headers: auth,
      }),
      404,
      "Request_ResourceNotFound",
    );
    await graphError(
      await request.get(`/graph/v1.0${RM}/roleAssignmentScheduleRequests/not-a-guid`, { headers: auth }),
      404,
      "Request_ResourceNotFound",
    );
    await graphError(await request.get("/graph/v1.0/users", { headers: auth }), 403, "Authorization_RequestDenied");
    await graphError(
      await request.get("/graph/v1.0/auditLogs/directoryAudits", {
        headers: { authorization: `Bearer ${s.appToken}` },
      }),
      403,
      "Authorization_RequestDenied",
    );
    // a body missing required fields
    const bad = await request.post(`/graph/v1.0${RM}/roleAssignmentScheduleRequests`, {
      headers: { ...auth, "content-type": "application/json" },
      data: { action: "selfActivate", principalId: gina.id },
    });
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBeTruthy();
    // Gina cannot act for someone else: admin actions need GA/PRA held now
    const notAdmin = await request.post(`/graph/v1.0${RM}/roleAssignmentScheduleRequests`, {
      headers: { ...auth, "content-type": "application/json" },
      data: {
        action: "adminAssign",
        principalId: arjun.id,
        roleDefinitionId: HELPDESK_ADMINISTRATOR,
        directoryScopeId: "/",
        justification: "x",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "PT2H" } },
      },
    });
    await graphError(notAdmin, 403, "Authorization_RequestDenied");
  });

  test("Gina revokes her token on the Tokens page; the API answers 401 with a Graph error", async ({ as, baseURL }) => {
    const page = await as(gina);
    const tokens = new TokensPage(page);
    await tokens.goto();
    await tokens.revoke("gina cli");
    await page.reload();
    await expect(tokens.row("gina cli")).toContainText("Revoked");
    await expect(tokens.row("gina cli").getByRole("button", { name: /Revoke/ })).toHaveCount(0);
    const e = await failure(
      graphFor(baseURL!, s.gina).api(`${RM}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`).get(),
    );
    expect(e).toMatchObject({ statusCode: 401, code: "InvalidAuthenticationToken" });
    expect(e.body).toContain("revoked");
  });

  test("Clean-up through the API and the portal: settings restored, the app's role removed, its secret revoked", async ({
    as,
    baseURL,
    request,
  }) => {
    const app = graphFor(baseURL!, s.appToken);
    for (const [key, rule] of Object.entries(s.originalRules)) {
      const [role, id] = key.split("/") as [string, string];
      const { target, ...rest } = rule as { target: Record<string, unknown> };
      await app.api(`/policies/roleManagementPolicies/${s.policies[role]}/rules/${id}`).patch({ ...rest, target });
    }
    const restored = await app
      .api(`/policies/roleManagementPolicies/${s.policies[HELPDESK_ADMINISTRATOR]}/rules/Enablement_EndUser_Assignment`)
      .get();
    expect(restored.enabledRules).toEqual(
      (s.originalRules[`${HELPDESK_ADMINISTRATOR}/Enablement_EndUser_Assignment`] as { enabledRules: string[] })
        .enabledRules,
    );

    const removed = await graphFor(baseURL!, s.adminToken).api(`${RM}/roleAssignmentScheduleRequests`).post({
      action: "adminRemove",
      principalId: s.sp.objectId,
      roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "e2e done",
    });
    expect(removed.status).toBe("Revoked");
    const page = await as("perparim");
    await page.goto(`/assignments?tab=active&q=${encodeURIComponent(SP_NAME)}`);
    await expect(assignmentRow(page, "Privileged Role Administrator", SP_NAME)).toHaveCount(0);
    // As in Graph, the app's granted application permission (not a role) decides: with
    // RoleManagement.ReadWrite.Directory removed on its page, its admin calls are refused at the next request
    // (authorized on database state, not on what the token said when it was issued).
    await page.goto(`/service-principals/${s.sp.objectId}`);
    const permissions = page.getByRole("form", { name: "Application permissions" });
    await permissions.getByRole("checkbox", { name: /RoleManagement\.ReadWrite\.Directory/ }).uncheck();
    await permissions.getByRole("button", { name: "Save permissions" }).click();
    await expect(page.getByText(/removed RoleManagement\.ReadWrite\.Directory/)).toBeVisible();
    const refused = await failure(
      app.api(`${RM}/roleEligibilityScheduleRequests`).post({
        action: "adminAssign",
        principalId: gina.id,
        roleDefinitionId: APPLICATION_ADMINISTRATOR,
        directoryScopeId: "/",
        justification: "again",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } },
      }),
    );
    expect(refused.statusCode).toBe(403);

    const sps = new ServicePrincipalsPage(page);
    await page.goto(`/service-principals/${s.sp.objectId}`);
    await sps.secretRow("graph-api spec").getByRole("button", { name: "Revoke graph-api spec" }).click();
    await expect(sps.secretRow("graph-api spec")).toContainText("Revoked");
    const res = await request.post("/oauth2/v2.0/token", {
      form: {
        grant_type: "client_credentials",
        client_id: s.sp.appId,
        client_secret: s.sp.secret,
        scope: "https://graph.microsoft.com/.default",
      },
    });
    expect(res.status()).toBe(401);
  });
});

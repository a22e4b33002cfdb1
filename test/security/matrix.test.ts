/**
 * The authorization matrix of issue 12: every server action and every Graph route × every kind of caller
 * (anonymous, MFA-owed, no role, eligible-not-active, active non-PIM role, approver, PRA, GA, disabled,
 * revoked) → the expected allow/deny, checked. Deny means: Graph 401/403; an action's Unauthenticated or
 * Forbidden (searchPrincipals: an empty list). Allow means the caller got past authentication and
 * authorization (a success, or a business-rule answer such as NotFound or EligibilityRule).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadActions, signInAs, setActionCtx, type AnyAction } from "./actions";
import { ROUTES } from "@/lib/api/graph/routes";
import { DEFAULT_ALERT_SETTINGS, DEFAULT_PIM_SETTINGS } from "@/lib/validation/governance";
import { GLOBAL_READER, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { call, setupApi, teardown } from "@/test/api/harness";
import type { Principal, TestUser } from "@/test/fixtures/directory";
import { manageGroup } from "@/lib/pim/use-cases/manage-group";
import { PERSONAS, securityWorld, type Caller, type Persona } from "./world";

type Env = Awaited<ReturnType<typeof setupApi>>;
let env: Env;
let callers: Record<Persona, Caller>;
let actions: Record<string, AnyAction>;
let victim: Principal, sp: Principal, adaEligibility: { id: string }, pimGroup: Principal;
const GHOST = "11111111-2222-4333-8444-555555555555";

beforeAll(async () => {
  env = await setupApi();
  callers = await securityWorld(env.ctx, env.d);
  setActionCtx(env.ctx);
  actions = await loadActions();
  victim = await env.d.user("Victor Victim");
  sp = await env.d.servicePrincipal("Matrix app");
  adaEligibility = await env.d.eligible(victim, USER_ADMINISTRATOR, {
    start: new Date(env.ctx.now().getTime() - 86_400_000),
    end: null,
  });
  // PIM for Groups: a group under PIM, so the privilegedAccess/group POSTs reach the use cases' authorization
  pimGroup = await env.d.group("Matrix PIM group");
  await manageGroup(env.ctx, (callers.ga.user as TestUser).actor(), { groupId: pimGroup.id, justification: "matrix" });
}, 300_000);
afterAll(async () => teardown(env.handle));

const LIVE: Persona[] = ["mfaOwed", "noRole", "eligibleNotActive", "active", "approver", "pra", "ga"];
const MFA_LIVE: Persona[] = LIVE.filter((p) => p !== "mfaOwed");
const ADMINS: Persona[] = ["pra", "ga"];
type Who = "live" | "mfaLive" | "admin" | "userCreators";
const allowed: Record<Who, Persona[]> = {
  live: LIVE,
  mfaLive: MFA_LIVE,
  admin: ADMINS,
  userCreators: ["active", "ga"], // microsoft.directory/users/create (and enable/disable): User Administrator, Global Administrator
};

const rule = { defaultRecipients: true, additionalRecipients: "", criticalOnly: false };
const recipients = { admin: rule, assignee: rule, approver: rule };
const settingsForm = {
  activationMaxHours: 8,
  activationRequireMfa: false,
  activationRequireJustification: true,
  activationRequireTicket: false,
  approvalRequired: false,
  approvalStages: [],
  allowPermanentEligible: true,
  eligibleMaxDays: 365,
  allowPermanentActive: true,
  activeMaxDays: 180,
  activeRequireMfa: false,
  activeRequireJustification: true,
  notifications: { eligibleAssigned: recipients, activeAssigned: recipients, eligibleActivated: recipients },
};

// ------------------------------------------------------------------ Graph
const RM = "/roleManagement/directory";
const PAG = "/identityGovernance/privilegedAccess/group";
function graphCase(method: string, path: string): { who: Who; url: string; body?: (c: Caller) => unknown } {
  const p = path
    .replace("{id}", GHOST)
    .replace("{stepId}", GHOST)
    .replace("{instanceId}", GHOST)
    .replace("{ruleId}", "Expiration_EndUser_Assignment")
    .replace("{stageId}", GHOST)
    .replace("{itemId}", GHOST)
    .replace("filterByCurrentUser(on='{on}')", "filterByCurrentUser(on='principal')");
  const listAll =
    /^\/roleManagement\/directory\/role(Assignment|Eligibility)Schedule(Requests|s|Instances)$/.test(path) ||
    path === "/auditLogs/directoryAudits" ||
    // PIM for Groups: the whole collections are for PIM readers; one's own and by id for everyone
    /^\/identityGovernance\/privilegedAccess\/group\/(assignment|eligibility)Schedule(Requests|s|Instances)$/.test(
      path,
    ) ||
    // governance (issue 14): PIM readers only
    (path.startsWith("/identityGovernance/") && !path.startsWith(`${PAG}/`));
  // access reviews: a reviewer's own decision items, decisions and acceptRecommendations are for anyone signed
  // in (the stored reviewer rows decide: a ghost instance is 404); definitions and instance commands for admins
  const ARD = "/identityGovernance/accessReviews/definitions";
  if (path.endsWith("/decisions/filterByCurrentUser(on='{on}')"))
    return { who: "live", url: p.replace("on='principal'", "on='reviewer'") };
  if (method === "POST" && path === ARD)
    return {
      who: "admin",
      url: p,
      body: () => ({
        displayName: "Matrix review",
        scope: {
          "@odata.type": "#microsoft.graph.accessReviewQueryScope",
          query: `/roleManagement/directory/roleDefinitions/${USER_ADMINISTRATOR}`,
          queryType: "MicrosoftGraph",
        },
        reviewers: [{ query: `/users/${victim.id}`, queryType: "MicrosoftGraph" }],
        settings: { instanceDurationInDays: 7 },
      }),
    };
  if (path.startsWith(ARD) && method !== "GET") {
    if (/\/(decisions\/\{itemId\}|batchRecordDecisions|acceptRecommendations)$/.test(path))
      return { who: "live", url: p, body: () => ({ decision: "Approve", justification: "matrix" }) };
    return { who: "admin", url: p, body: method === "DELETE" ? undefined : () => ({}) };
  }
  if (method === "GET")
    return { who: listAll || path === "/auditLogs/directoryAudits/{id}" ? "admin" : "live", url: p };
  if (path === `${RM}/roleEligibilityScheduleRequests`)
    return {
      who: "admin",
      url: p,
      body: () => ({
        action: "adminAssign",
        principalId: victim.id,
        roleDefinitionId: USER_ADMINISTRATOR,
        directoryScopeId: "/",
        justification: "matrix",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } },
      }),
    };
  if (path === `${RM}/roleAssignmentScheduleRequests`)
    return {
      who: "live",
      url: p,
      body: (c) => ({
        action: "selfActivate",
        principalId: c.user?.id ?? GHOST,
        roleDefinitionId: USER_ADMINISTRATOR,
        directoryScopeId: "/",
        justification: "matrix",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
      }),
    };
  if (path === `${PAG}/eligibilityScheduleRequests`)
    return {
      who: "admin",
      url: p,
      body: () => ({
        accessId: "member",
        principalId: victim.id,
        groupId: pimGroup.id,
        action: "adminAssign",
        justification: "matrix",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } },
      }),
    };
  if (path === `${PAG}/assignmentScheduleRequests`)
    return {
      who: "live",
      url: p,
      body: (c) => ({
        accessId: "member",
        principalId: c.user?.id ?? GHOST,
        groupId: pimGroup.id,
        action: "selfActivate",
        justification: "matrix",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
      }),
    };
  if (path.endsWith("/cancel")) return { who: "live", url: p, body: () => ({}) };
  if (path.includes("/steps/"))
    return { who: "live", url: p, body: () => ({ reviewResult: "Deny", justification: "matrix" }) };
  if (path.startsWith("/policies/roleManagementPolicies/"))
    return { who: "admin", url: "placeholder", body: () => ({}) };
  throw new Error(`no matrix case for ${method} ${path}`);
}

describe("authorization matrix", () => {
  it(`Graph: ${ROUTES.length} routes × ${PERSONAS.length} callers`, async () => {
    // The policy of a real role, so the PATCH reaches the handler's authorization.
    const pol = await call(
      "GET",
      `/policies/roleManagementPolicyAssignments?$filter=roleDefinitionId eq '${USER_ADMINISTRATOR}'`,
      {
        token: callers.ga.token,
      },
    );
    const policyId = ((pol.json.value as { policyId: string }[]) ?? [])[0]?.policyId ?? GHOST;
    const rules = await call("GET", `/policies/roleManagementPolicies/${policyId}/rules`, { token: callers.ga.token });
    const rule = ((rules.json.value as Record<string, unknown>[]) ?? []).find((r) =>
      String(r["@odata.type"]).endsWith("ExpirationRule"),
    )!;
    const ruleUrl = `/policies/roleManagementPolicies/${policyId}/rules/${String(rule.id)}`;
    const ruleBody = {
      "@odata.type": rule["@odata.type"],
      isExpirationRequired: rule.isExpirationRequired,
      maximumDuration: rule.maximumDuration,
    };
    const mismatches: string[] = [];
    let cells = 0;
    for (const route of ROUTES) {
      const c = graphCase(route.method, route.path);
      for (const persona of PERSONAS) {
        const caller = callers[persona];
        const url = c.url === "placeholder" ? ruleUrl : c.url;
        const r = await call(route.method, url, {
          token: caller.token,
          body: c.body ? (c.url === "placeholder" ? ruleBody : c.body(caller)) : undefined,
        });
        cells++;
        const denied = r.status === 401 || r.status === 403;
        const expectDeny = !allowed[c.who].includes(persona);
        expect(r.status, `${route.method} ${url} as ${persona}`).toBeLessThan(500);
        if (denied !== expectDeny)
          mismatches.push(
            `${route.method} ${route.path} as ${persona}: ${r.status}, expected ${expectDeny ? "deny" : "allow"}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    expect(cells).toBe(ROUTES.length * PERSONAS.length);
    console.info(`matrix: Graph ${cells} cells`);
  });

  it("server actions: every action × every caller", async () => {
    const input: Record<string, { who: Who; args: () => unknown[]; deniedWhen?: (r: unknown) => boolean }> = {
      activateRoleAction: {
        who: "mfaLive",
        args: () => [{ roleDefinitionId: USER_ADMINISTRATOR, justification: "matrix", durationMinutes: 60 }],
      },
      deactivateRoleAction: { who: "mfaLive", args: () => [{ scheduleId: GHOST }] },
      requestExtensionAction: {
        who: "mfaLive",
        args: () => [
          { kind: "eligibility", scheduleId: GHOST, justification: "m", endDateTime: "2027-06-01T00:00:00Z" },
        ],
      },
      requestRenewalAction: {
        who: "mfaLive",
        args: () => [
          { kind: "eligibility", scheduleId: GHOST, justification: "m", endDateTime: "2027-06-01T00:00:00Z" },
        ],
      },
      cancelRequestAction: { who: "mfaLive", args: () => [{ requestId: GHOST }] },
      decideRequestsAction: {
        who: "mfaLive",
        args: () => [{ requestIds: [GHOST], decision: "Deny", justification: "matrix" }],
      },
      markNotificationsReadAction: { who: "mfaLive", args: () => [{ ids: [GHOST] }] },
      markAllNotificationsReadAction: { who: "mfaLive", args: () => [{}] },
      createApiTokenAction: {
        who: "mfaLive",
        args: () => [{ name: "matrix", expiresInDays: 1, scopes: ["User.Read"] }],
      },
      revokeApiTokenAction: { who: "mfaLive", args: () => [{ tokenId: GHOST }] },
      retryDeliveriesAction: { who: "admin", args: () => [{ ids: [GHOST] }] },
      addAssignmentsAction: {
        who: "admin",
        args: () => [
          {
            roleDefinitionId: USER_ADMINISTRATOR,
            members: [{ id: victim.id, type: "User", displayName: "Victor Victim" }],
            directoryScopeId: "/",
            assignmentType: "Active",
            permanent: false,
            endDateTime: "2027-01-01T00:00:00Z",
            justification: "matrix",
          },
        ],
      },
      rowAssignmentAction: {
        who: "admin",
        args: () => [
          {
            action: "extend",
            kind: "eligibility",
            scheduleId: adaEligibility.id,
            permanent: true,
            justification: "matrix",
          },
        ],
      },
      createServicePrincipalAction: { who: "admin", args: () => [{ displayName: "Matrix SP" }] },
      createClientSecretAction: {
        who: "admin",
        args: () => [{ servicePrincipalId: sp.id, displayName: "s", expiresInDays: 1, scopes: ["User.Read"] }],
      },
      revokeClientSecretAction: { who: "admin", args: () => [{ secretId: GHOST }] },
      setUserEnabledAction: {
        who: "userCreators",
        args: () => [{ userId: victim.id, enabled: true, justification: "matrix check" }],
      },
      createScimTokenAction: { who: "admin", args: () => [{ name: "Matrix IdP", expiresInDays: 90 }] },
      revokeScimTokenAction: { who: "admin", args: () => [{ tokenId: GHOST }] },
      createWebhookEndpointAction: {
        who: "admin",
        args: () => [{ url: "https://hooks.example.test/pim", eventTypes: ["role.activated"] }],
      },
      setWebhookEndpointEnabledAction: { who: "admin", args: () => [{ endpointId: GHOST, enabled: false }] },
      deleteWebhookEndpointAction: { who: "admin", args: () => [{ endpointId: GHOST }] },
      redeliverWebhookAction: { who: "admin", args: () => [{ deliveryId: GHOST }] },
      resetUserMfaAction: { who: "admin", args: () => [{ userId: victim.id, justification: "matrix check" }] },
      updateRoleSettingsAction: { who: "admin", args: () => [GLOBAL_READER, settingsForm] },
      searchPrincipalsAction: {
        who: "admin",
        args: () => ["Victor", ["User"]],
        deniedWhen: (r) => Array.isArray(r) && r.length === 0,
      },
      createUserAction: {
        who: "userCreators",
        args: () => [
          {
            displayName: "Matrix",
            userPrincipalName: `m${Math.random().toString(36).slice(2, 8)}@contoso.test`,
            password: "a long enough password",
          },
        ],
      },
    };
    // governance (issue 14)
    Object.assign(input, {
      refreshAlertsAction: { who: "admin", args: () => [{}] },
      dismissAlertAction: { who: "admin", args: () => [{ alertKey: "staleAccounts", reason: "matrix" }] },
      fixAlertAction: {
        who: "admin",
        args: () => [{ alertKey: "rolesWithoutMfa", fix: "requireMfa", roleDefinitionId: GHOST }],
      },
      updateAlertSettingsAction: { who: "admin", args: () => [DEFAULT_ALERT_SETTINGS] },
      createAccessReviewAction: {
        who: "admin",
        args: () => [
          {
            displayName: "Matrix review",
            roleDefinitionIds: [GLOBAL_READER],
            assignmentKind: "all",
            stages: [{ reviewerType: "self", reviewers: [], fallbackReviewers: [], durationDays: 1 }],
            startDateTime: "2030-01-01T00:00:00Z",
          },
        ],
      },
      stopAccessReviewAction: { who: "admin", args: () => [{ instanceId: GHOST }] },
      resetAccessReviewAction: { who: "admin", args: () => [{ instanceId: GHOST }] },
      applyAccessReviewAction: { who: "admin", args: () => [{ instanceId: GHOST }] },
      decideReviewItemsAction: {
        who: "mfaLive",
        args: () => [{ instanceId: GHOST, itemIds: [GHOST], decision: "Approve", justification: "matrix" }],
      },
      acceptReviewRecommendationsAction: { who: "mfaLive", args: () => [{ instanceId: GHOST }] },
      stopAccessReviewSeriesAction: { who: "admin", args: () => [{ definitionId: GHOST }] },
      makeEligibleAction: { who: "admin", args: () => [{ scheduleId: GHOST, justification: "matrix" }] },
      removeFromDiscoveryAction: {
        who: "admin",
        args: () => [{ kind: "assignment", scheduleId: GHOST, justification: "matrix" }],
      },
      updatePimSettingsAction: { who: "admin", args: () => [DEFAULT_PIM_SETTINGS] },
      // GA or PRA may try; choosing what they already have changes nothing (GA-only by a PRA is LockoutProtection)
      setPimManagersAction: {
        who: "admin",
        args: () => [{ pimManagers: "globalAndPrivilegedRoleAdministrators", justification: "matrix" }],
      },
    } satisfies typeof input);
    expect(Object.keys(input).sort()).toEqual(Object.keys(actions).sort());
    const mismatches: string[] = [];
    let cells = 0;
    for (const [name, spec] of Object.entries(input)) {
      for (const persona of PERSONAS) {
        signInAs(callers[persona].sid);
        const r = (await actions[name]!(...spec.args())) as { ok?: boolean; code?: string };
        cells++;
        const denied = spec.deniedWhen
          ? spec.deniedWhen(r)
          : r.ok === false && (r.code === "Unauthenticated" || r.code === "Forbidden");
        expect(r && (r as { code?: string }).code, `${name} as ${persona}`).not.toBe("Internal");
        const expectDeny = !allowed[spec.who].includes(persona);
        if (denied !== expectDeny)
          mismatches.push(
            `${name} as ${persona}: ${JSON.stringify(r).slice(0, 160)}, expected ${expectDeny ? "deny" : "allow"}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    console.info(`matrix: actions ${cells} cells`);
  });
});

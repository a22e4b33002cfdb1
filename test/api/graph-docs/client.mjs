// The client side of graph-docs.contract.test.ts, in its own Node process so the official stacks run
// unchanged: it trusts the test's self-signed certificate only through NODE_EXTRA_CA_CERTS (set by the test).
// It replays Microsoft's documented requests and prints every answer as JSON on stdout.
import { ClientSecretCredential } from "@azure/identity";
import { ConfidentialClientApplication } from "@azure/msal-node";
import { Client, PageIterator } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";

const cfg = JSON.parse(process.env.GRAPH_DOCS_CONFIG);
const host = new URL(cfg.base).host;
// graph-client matches customHosts by host name (no port); MSAL's knownAuthorities by host and port
const hostName = new URL(cfg.base).hostname;
const out = {};

const grab = async (name, fn) => {
  try {
    out[name] = { ok: true, body: (await fn()) ?? null };
  } catch (e) {
    out[name] = { ok: false, status: e.statusCode ?? null, code: e.code ?? null, message: String(e.message ?? e) };
  }
};

// Tokens: @azure/identity's ClientSecretCredential and MSAL, the portal as authority.
const credential = new ClientSecretCredential(cfg.tenantId, cfg.clientId, cfg.clientSecret, {
  authorityHost: cfg.base,
  disableInstanceDiscovery: true,
});
await grab("identityToken", async () => {
  const t = await credential.getToken("https://graph.microsoft.com/.default");
  return { hasToken: typeof t.token === "string" && t.token.length > 20, expiresOnTimestamp: t.expiresOnTimestamp };
});
const msal = new ConfidentialClientApplication({
  auth: {
    clientId: cfg.clientId,
    clientSecret: cfg.clientSecret,
    authority: `${cfg.base}/${cfg.tenantDomain}`,
    knownAuthorities: [host],
  },
});
let msalToken = null;
await grab("msalToken", async () => {
  const r = await msal.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] });
  msalToken = r.accessToken;
  return { hasToken: typeof r.accessToken === "string" && r.accessToken.length > 20, tokenType: r.tokenType };
});

const appClient = Client.initWithMiddleware({
  authProvider: new TokenCredentialAuthenticationProvider(credential, {
    scopes: ["https://graph.microsoft.com/.default"],
  }),
  baseUrl: `${cfg.base}/graph/`,
  customHosts: new Set([hostName]),
});
const userClient = (token) =>
  Client.initWithMiddleware({
    authProvider: { getAccessToken: async () => token },
    baseUrl: `${cfg.base}/graph/`,
    customHosts: new Set([hostName]),
  });
const admin = userClient(cfg.adminToken);
const user = userClient(cfg.userToken);
const betaApprover = Client.initWithMiddleware({
  authProvider: { getAccessToken: async () => cfg.approverToken },
  baseUrl: `${cfg.base}/graph/`,
  defaultVersion: "beta",
  customHosts: new Set([hostName]),
});
const msalClient = userClient(msalToken ?? "none");

// 1. Create roleEligibilityScheduleRequests, example 1 (admin assigns an eligibility; the app's permission suffices)
await grab("eligibilityAdminAssign", () =>
  appClient.api("/roleManagement/directory/roleEligibilityScheduleRequests").post({
    action: "adminAssign",
    justification: "Assign Attribute Assignment Admin eligibility to restricted user",
    roleDefinitionId: cfg.roleId,
    directoryScopeId: "/",
    principalId: cfg.userId,
    scheduleInfo: {
      startDateTime: "2022-04-10T00:00:00Z",
      expiration: { type: "AfterDateTime", endDateTime: "2024-04-10T00:00:00Z" },
    },
  }),
);
// 2. Create roleAssignmentScheduleRequests, example 1 (admin assigns, NoExpiration)
await grab("assignmentAdminAssign", () =>
  admin.api("/roleManagement/directory/roleAssignmentScheduleRequests").post({
    action: "adminAssign",
    justification: "Assign Groups Admin to IT Helpdesk group",
    roleDefinitionId: cfg.groupsAdminRoleId,
    directoryScopeId: "/",
    principalId: cfg.groupId,
    scheduleInfo: { startDateTime: "2022-04-10T00:00:00Z", expiration: { type: "NoExpiration" } },
  }),
);
await grab("assignmentAdminAssignAgain", () =>
  admin.api("/roleManagement/directory/roleAssignmentScheduleRequests").post({
    action: "adminAssign",
    justification: "Assign Groups Admin to IT Helpdesk group",
    roleDefinitionId: cfg.groupsAdminRoleId,
    directoryScopeId: "/",
    principalId: cfg.groupId,
    scheduleInfo: { startDateTime: "2022-04-10T00:00:00Z", expiration: { type: "NoExpiration" } },
  }),
);
// 3. filterByCurrentUser on eligibility schedules (the documented way to find what to activate)
await grab("eligibilityFilterByCurrentUser", () =>
  user.api("/roleManagement/directory/roleEligibilitySchedules/filterByCurrentUser(on='principal')").get(),
);
// 4. Create roleAssignmentScheduleRequests, example 2 (selfActivate, AfterDuration, future start → Granted)
await grab("selfActivate", () =>
  user.api("/roleManagement/directory/roleAssignmentScheduleRequests/").post({
    action: "selfActivate",
    principalId: cfg.userId,
    roleDefinitionId: cfg.roleId,
    directoryScopeId: "/",
    justification:
      "I need access to the Attribute Administrator role to manage attributes to be assigned to restricted AUs",
    scheduleInfo: {
      startDateTime: "2022-04-14T00:00:00.000Z",
      expiration: { type: "AfterDuration", duration: "PT5H" },
    },
    ticketInfo: { ticketNumber: "CONTOSO:Normal-67890", ticketSystem: "MS Project" },
  }),
);
// 5. cancel (a Granted request), then cancel again (no longer cancelable)
const selfId = out.selfActivate.body?.id;
await grab("cancel", () =>
  user.api(`/roleManagement/directory/roleAssignmentScheduleRequests/${selfId}/cancel`).post(null),
);
await grab("cancelAgain", () =>
  user.api(`/roleManagement/directory/roleAssignmentScheduleRequests/${selfId}/cancel`).post(null),
);
// 6. instances: list with $filter, and filterByCurrentUser
await grab("instancesFilter", () =>
  admin.api(`/roleManagement/directory/roleAssignmentScheduleInstances?$filter=principalId eq '${cfg.groupId}'`).get(),
);
await grab("instancesFilterByCurrentUser", () =>
  admin.api("/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')").get(),
);
// 7. policy assignments, example 2: $expand=policy($expand=rules)
await grab("policyAssignments", () =>
  admin
    .api(
      `/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${cfg.roleId}'&$expand=policy($expand=rules)`,
    )
    .get(),
);
const policyId = out.policyAssignments.body?.value?.[0]?.policyId;
const rule = (id) => `/policies/roleManagementPolicies/${policyId}/rules/${id}`;
const target = (caller, level) => ({
  "@odata.type": "microsoft.graph.unifiedRoleManagementPolicyRuleTarget",
  caller,
  operations: ["All"],
  level,
  inheritableSettings: [],
  enforcedSettings: [],
});
// 8. PATCH each rule type (bodies of "Update unifiedRoleManagementPolicyRule" and the PIM rules how-to)
await grab("patchExpiration", () =>
  admin.api(rule("Expiration_EndUser_Assignment")).update({
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
    id: "Expiration_EndUser_Assignment",
    isExpirationRequired: true,
    maximumDuration: "PT1H45M",
    target: target("EndUser", "Assignment"),
  }),
);
await grab("patchEnablement", () =>
  admin.api(rule("Enablement_EndUser_Assignment")).update({
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
    id: "Enablement_EndUser_Assignment",
    enabledRules: ["Justification", "Ticketing"],
    target: target("EndUser", "Assignment"),
  }),
);
await grab("patchNotification", () =>
  admin.api(rule("Notification_Admin_Admin_Eligibility")).update({
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
    id: "Notification_Admin_Admin_Eligibility",
    notificationType: "Email",
    recipientType: "Admin",
    notificationLevel: "Critical",
    isDefaultRecipientsEnabled: false,
    notificationRecipients: ["Brian.Johnson@contoso.com"],
    target: target("Admin", "Eligibility"),
  }),
);
await grab("patchApproval", () =>
  admin.api(rule("Approval_EndUser_Assignment")).update({
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
    id: "Approval_EndUser_Assignment",
    target: target("EndUser", "Assignment"),
    setting: {
      "@odata.type": "microsoft.graph.approvalSettings",
      isApprovalRequired: true,
      isApprovalRequiredForExtension: false,
      isRequestorJustificationRequired: true,
      approvalMode: "SingleStage",
      approvalStages: [
        {
          "@odata.type": "microsoft.graph.unifiedApprovalStage",
          approvalStageTimeOutInDays: 1,
          isApproverJustificationRequired: true,
          escalationTimeInMinutes: 0,
          primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: cfg.approverId }],
          isEscalationEnabled: false,
          escalationApprovers: [],
        },
      ],
    },
  }),
);
await grab("rulesAfter", () => admin.api(`/policies/roleManagementPolicies/${policyId}/rules`).get());
// 9. approvals (beta): the user activates now, the approver reads the approval and approves the step;
//    a non-approver's PATCH is 403
await grab("selfActivateForApproval", () =>
  user.api("/roleManagement/directory/roleAssignmentScheduleRequests").post({
    action: "SelfActivate",
    principalId: cfg.userId,
    roleDefinitionId: cfg.roleId,
    directoryScopeId: "/",
    justification: "Need to add a user",
    scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT1H" } },
    ticketInfo: { ticketNumber: "INC-42", ticketSystem: "ServiceNow" },
  }),
);
const approvalId = out.selfActivateForApproval.body?.approvalId;
await grab("approval", () => betaApprover.api(`/roleManagement/directory/roleAssignmentApprovals/${approvalId}`).get());
const stepId = out.approval.body?.steps?.[0]?.id;
await grab("stepByNonApprover", () =>
  userClient(cfg.strangerToken)
    .api(`/roleManagement/directory/roleAssignmentApprovals/${approvalId}/steps/${stepId}`)
    .version("beta")
    .patch({ reviewResult: "Approve", justification: "abcdefghij" }),
);
await grab("stepApprove", () =>
  betaApprover
    .api(`/roleManagement/directory/roleAssignmentApprovals/${approvalId}/steps/${stepId}`)
    .patch({ reviewResult: "Approve", justification: "abcdefghij" }),
);
await grab("afterApproval", () =>
  user.api(`/roleManagement/directory/roleAssignmentScheduleRequests/${out.selfActivateForApproval.body?.id}`).get(),
);
// 10. directory audits across pages with the SDK's PageIterator (each page is a @odata.nextLink)
await grab("auditPages", async () => {
  const first = await admin.api("/auditLogs/directoryAudits").top(2).get();
  const seen = [];
  const links = [];
  if (first["@odata.nextLink"]) links.push(first["@odata.nextLink"]);
  const it = new PageIterator(admin, first, (item) => {
    seen.push(item);
    return seen.length < 200;
  });
  await it.iterate();
  return { count: seen.length, firstLink: links[0] ?? null, sample: seen[0] ?? null, ids: seen.map((s) => s.id) };
});
// 11. the MSAL token works the same way
await grab("msalRoleDefinitions", () => msalClient.api("/roleManagement/directory/roleDefinitions").top(1).get());

process.stdout.write(JSON.stringify(out));

/**
 * The route table of `/graph/v1.0`: method, path pattern, permission set, handler, and what the OpenAPI
 * document says about it. `{name}` matches one path segment; `filterByCurrentUser(on='…')` is a segment of
 * its own (parentheses and quotes, percent-encoded or not).
 */
import type { z } from "zod";
import { badRequest } from "../errors";
import type { ApiContext } from "../handler";
import type { Need } from "../scopes";
import { getApproval, getStep, listSteps, patchStep } from "./approvals";
import { createScheduleRequest } from "./create-request";
import {
  getAudit,
  getGroup,
  getMe,
  getRoleDefinition,
  getUser,
  listAudits,
  listGroups,
  listRoleDefinitions,
  listUsers,
} from "./directory";
import {
  cancelGroupRequest,
  createGroupRequest,
  getGroupRequest,
  getGroupSchedule,
  groupRequestCollection,
  groupScheduleCollection,
  groupScheduleRequestBody,
  listGroupRequests,
  listGroupSchedules,
  PAG,
} from "./pim-groups";
import { getPolicy, getPolicyAssignment, getRule, listPolicies, listRules, patchRule } from "./policies";
import { cancelScheduleRequest, getRequest, listRequests, type CurrentUserOn, type RequestKind } from "./requests";
import {
  getRoleAssignment,
  getSchedule,
  listRoleAssignments,
  listSchedules,
  type ScheduleKind,
  type ScheduleView,
} from "./schedules";
import * as S from "./schemas";
import {
  getReviewDefinition,
  getReviewInstance,
  listAlertDefinitions,
  listReviewDecisions,
  listReviewDefinitions,
  listReviewInstances,
  listRoleManagementAlerts,
} from "./governance";
import { createDefinitionBody } from "./review-create";
import {
  batchDecisionsBody,
  batchRecordDecisions,
  createReviewDefinition,
  decisionPatchBody,
  instanceAction,
  myDecisions,
  patchDecision,
  stopReviewSeries,
} from "./review-writes";

export type Method = "GET" | "POST" | "PATCH" | "DELETE";
export type RouteDef = {
  method: Method;
  path: string;
  need: Need;
  summary: string;
  handler: (c: ApiContext, p: Record<string, string>) => Promise<unknown>;
  body?: z.ZodType;
  response?: z.ZodType;
  collection?: boolean;
  status?: number;
};

const RM = "/roleManagement/directory";
const routes: RouteDef[] = [];

for (const kind of ["assignment", "eligibility"] as RequestKind[]) {
  const name = kind === "assignment" ? "roleAssignmentScheduleRequests" : "roleEligibilityScheduleRequests";
  const read: Need = kind === "assignment" ? "assignmentRead" : "eligibilityRead";
  const write: Need = kind === "assignment" ? "assignmentWrite" : "eligibilityWrite";
  routes.push(
    {
      method: "GET",
      path: `${RM}/${name}`,
      need: read,
      collection: true,
      response: S.scheduleRequestOut,
      summary: `List ${name} (needs an active reader or admin role)`,
      handler: (c) => listRequests(c, kind, null),
    },
    {
      method: "GET",
      path: `${RM}/${name}/filterByCurrentUser(on='{on}')`,
      need: read,
      collection: true,
      response: S.scheduleRequestOut,
      summary: `The caller's ${name}: on='principal' (for me), 'createdBy' (made by me) or 'approver' (waiting for my decision)`,
      handler: (c, p) => listRequests(c, kind, p.on as CurrentUserOn),
    },
    {
      method: "GET",
      path: `${RM}/${name}/{id}`,
      need: read,
      response: S.scheduleRequestOut,
      summary: `Get one of ${name}`,
      handler: (c, p) => getRequest(c, kind, p.id as string),
    },
    {
      method: "POST",
      path: `${RM}/${name}`,
      need: write,
      body: S.scheduleRequestBody,
      response: S.scheduleRequestOut,
      status: 201,
      summary: `Create a request: ${kind === "assignment" ? "adminAssign, adminUpdate, adminRemove, adminExtend, adminRenew, selfActivate, selfDeactivate, selfExtend, selfRenew" : "adminAssign, adminUpdate, adminRemove, adminExtend, adminRenew, selfExtend, selfRenew"}`,
      handler: (c) => createScheduleRequest(c, kind),
    },
    {
      method: "POST",
      path: `${RM}/${name}/{id}/cancel`,
      need: write,
      status: 204,
      summary: "Cancel a pending (or scheduled, not yet started) request",
      handler: (c, p) => cancelScheduleRequest(c, kind, p.id as string),
    },
  );
}

for (const kind of ["assignment", "eligibility"] as ScheduleKind[]) {
  for (const view of ["schedules", "instances"] as ScheduleView[]) {
    const name = `role${kind === "assignment" ? "Assignment" : "Eligibility"}Schedule${view === "instances" ? "Instances" : "s"}`;
    const need: Need = kind === "assignment" ? "assignmentRead" : "eligibilityRead";
    const response = view === "instances" ? S.instanceOut : S.scheduleOut;
    routes.push(
      {
        method: "GET",
        path: `${RM}/${name}`,
        need,
        collection: true,
        response,
        summary: `List ${name} (needs an active reader or admin role)`,
        handler: (c) => listSchedules(c, kind, view, false),
      },
      {
        method: "GET",
        path: `${RM}/${name}/filterByCurrentUser(on='{on}')`,
        need,
        collection: true,
        response,
        summary: `The caller's ${name} (directly or through groups); on='principal'`,
        handler: (c, p) => {
          if (p.on !== "principal") throw badRequest("filterByCurrentUser supports on='principal' here.");
          return listSchedules(c, kind, view, true);
        },
      },
      {
        method: "GET",
        path: `${RM}/${name}/{id}`,
        need,
        response,
        summary: `Get one of ${name}`,
        handler: (c, p) => getSchedule(c, kind, view, p.id as string),
      },
    );
  }
}

// PIM for Groups: the same requests and schedules, addressed by groupId + accessId (member | owner)
for (const kind of ["assignment", "eligibility"] as RequestKind[]) {
  const name = groupRequestCollection(kind);
  const read: Need = kind === "assignment" ? "assignmentRead" : "eligibilityRead";
  const write: Need = kind === "assignment" ? "assignmentWrite" : "eligibilityWrite";
  routes.push(
    {
      method: "GET",
      path: `/${PAG}/${name}`,
      need: read,
      collection: true,
      response: S.groupScheduleRequestOut,
      summary: `List PIM for Groups ${name} ($filter on groupId, principalId, accessId; needs an active reader or admin role)`,
      handler: (c) => listGroupRequests(c, kind, null),
    },
    {
      method: "GET",
      path: `/${PAG}/${name}/filterByCurrentUser(on='{on}')`,
      need: read,
      collection: true,
      response: S.groupScheduleRequestOut,
      summary: `The caller's PIM for Groups ${name}: on='principal' (for me) or 'createdBy' (made by me)`,
      handler: (c, p) => listGroupRequests(c, kind, p.on as string),
    },
    {
      method: "GET",
      path: `/${PAG}/${name}/{id}`,
      need: read,
      response: S.groupScheduleRequestOut,
      summary: `Get one of the PIM for Groups ${name}`,
      handler: (c, p) => getGroupRequest(c, kind, p.id as string),
    },
    {
      method: "POST",
      path: `/${PAG}/${name}`,
      need: write,
      body: groupScheduleRequestBody,
      response: S.groupScheduleRequestOut,
      status: 201,
      summary: `Create a membership/ownership request (groupId, accessId member|owner, principalId, action ${kind === "assignment" ? "adminAssign … selfActivate, selfDeactivate" : "adminAssign, adminUpdate, adminRemove, adminExtend, adminRenew"}); 404 when the group is not under PIM`,
      handler: (c) => createGroupRequest(c, kind),
    },
    {
      method: "POST",
      path: `/${PAG}/${name}/{id}/cancel`,
      need: write,
      status: 204,
      summary: "Cancel a pending membership/ownership request",
      handler: (c, p) => cancelGroupRequest(c, kind, p.id as string),
    },
  );
}
// PIM for Groups' approvals: the same approvals (id = the request's approvalId), under the group's path
const GA = `${PAG}/assignmentApprovals`;
routes.push(
  {
    method: "GET",
    path: `/${GA}/{id}`,
    need: "assignmentRead",
    response: S.approvalOut,
    summary: "Get the approval of a membership/ownership activation (id = the request's approvalId)",
    handler: (c, p) => getApproval(c, p.id as string, GA),
  },
  {
    method: "GET",
    path: `/${GA}/{id}/steps`,
    need: "assignmentRead",
    collection: true,
    response: S.approvalStepOut,
    summary: "List the steps (stages) of a PIM for Groups approval",
    handler: (c, p) => listSteps(c, p.id as string, GA),
  },
  {
    method: "GET",
    path: `/${GA}/{id}/steps/{stepId}`,
    need: "assignmentRead",
    response: S.approvalStepOut,
    summary: "Get a PIM for Groups approval step",
    handler: (c, p) => getStep(c, p.id as string, p.stepId as string, GA),
  },
  {
    method: "PATCH",
    path: `/${GA}/{id}/steps/{stepId}`,
    need: "assignmentWrite",
    body: S.approvalStepPatchBody,
    status: 204,
    summary: "Approve or deny the step in progress of a membership/ownership activation",
    handler: (c, p) => patchStep(c, p.id as string, p.stepId as string),
  },
);
for (const kind of ["assignment", "eligibility"] as ScheduleKind[]) {
  for (const view of ["schedules", "instances"] as ScheduleView[]) {
    const name = groupScheduleCollection(kind, view);
    const need: Need = kind === "assignment" ? "assignmentRead" : "eligibilityRead";
    const response = view === "instances" ? S.groupInstanceOut : S.groupScheduleOut;
    routes.push(
      {
        method: "GET",
        path: `/${PAG}/${name}`,
        need,
        collection: true,
        response,
        summary: `List PIM for Groups ${name} ($filter on groupId, principalId, accessId; needs an active reader or admin role)`,
        handler: (c) => listGroupSchedules(c, kind, view, null),
      },
      {
        method: "GET",
        path: `/${PAG}/${name}/filterByCurrentUser(on='{on}')`,
        need,
        collection: true,
        response,
        summary: `The caller's PIM for Groups ${name}: on='principal'`,
        handler: (c, p) => listGroupSchedules(c, kind, view, p.on as string),
      },
      {
        method: "GET",
        path: `/${PAG}/${name}/{id}`,
        need,
        response,
        summary: `Get one of the PIM for Groups ${name}`,
        handler: (c, p) => getGroupSchedule(c, kind, view, p.id as string),
      },
    );
  }
}

routes.push(
  {
    method: "GET",
    path: `${RM}/roleAssignments`,
    need: "roleAssignmentRead",
    collection: true,
    response: S.roleAssignmentOut,
    summary: "List role assignments in force now (readers: all; others: their own, directly or through groups)",
    handler: (c) => listRoleAssignments(c),
  },
  {
    method: "GET",
    path: `${RM}/roleAssignments/{id}`,
    need: "roleAssignmentRead",
    response: S.roleAssignmentOut,
    summary: "Get a role assignment in force now",
    handler: (c, p) => getRoleAssignment(c, p.id as string),
  },
  {
    method: "GET",
    path: `${RM}/roleDefinitions`,
    need: "roleDefinitionRead",
    collection: true,
    response: S.roleDefinitionOut,
    summary: "List role definitions",
    handler: (c) => listRoleDefinitions(c),
  },
  {
    method: "GET",
    path: `${RM}/roleDefinitions/{id}`,
    need: "roleDefinitionRead",
    response: S.roleDefinitionOut,
    summary: "Get a role definition",
    handler: (c, p) => getRoleDefinition(c, p.id as string),
  },
  {
    method: "GET",
    path: `${RM}/roleAssignmentApprovals/{id}`,
    need: "assignmentRead",
    response: S.approvalOut,
    summary: "Get the approval of a request (id = the request's approvalId)",
    handler: (c, p) => getApproval(c, p.id as string),
  },
  {
    method: "GET",
    path: `${RM}/roleAssignmentApprovals/{id}/steps`,
    need: "assignmentRead",
    collection: true,
    response: S.approvalStepOut,
    summary: "List the steps (stages) of an approval",
    handler: (c, p) => listSteps(c, p.id as string),
  },
  {
    method: "GET",
    path: `${RM}/roleAssignmentApprovals/{id}/steps/{stepId}`,
    need: "assignmentRead",
    response: S.approvalStepOut,
    summary: "Get an approval step",
    handler: (c, p) => getStep(c, p.id as string, p.stepId as string),
  },
  {
    method: "PATCH",
    path: `${RM}/roleAssignmentApprovals/{id}/steps/{stepId}`,
    need: "assignmentWrite",
    body: S.approvalStepPatchBody,
    status: 204,
    summary:
      "Approve or deny the step in progress (reviewResult Approve|Deny, justification required; 409 when already decided)",
    handler: (c, p) => patchStep(c, p.id as string, p.stepId as string),
  },
  {
    method: "GET",
    path: "/policies/roleManagementPolicies",
    need: "policyRead",
    collection: true,
    response: S.policyOut,
    summary: "List role management policies ($expand=rules)",
    handler: (c) => listPolicies(c, false),
  },
  {
    method: "GET",
    path: "/policies/roleManagementPolicies/{id}",
    need: "policyRead",
    response: S.policyOut,
    summary: "Get a role management policy ($expand=rules)",
    handler: (c, p) => getPolicy(c, p.id as string),
  },
  {
    method: "GET",
    path: "/policies/roleManagementPolicies/{id}/rules",
    need: "policyRead",
    collection: true,
    response: S.policyRuleOut,
    summary: "List the 17 rules of a policy",
    handler: (c, p) => listRules(c, p.id as string),
  },
  {
    method: "GET",
    path: "/policies/roleManagementPolicies/{id}/rules/{ruleId}",
    need: "policyRead",
    response: S.policyRuleOut,
    summary: "Get a rule",
    handler: (c, p) => getRule(c, p.id as string, p.ruleId as string),
  },
  {
    method: "PATCH",
    path: "/policies/roleManagementPolicies/{id}/rules/{ruleId}",
    need: "policyWrite",
    body: S.policyRulePatchBody,
    status: 204,
    summary:
      "Update a rule (include its @odata.type); needs Global Administrator or Privileged Role Administrator active",
    handler: (c, p) => patchRule(c, p.id as string, p.ruleId as string),
  },
  {
    method: "GET",
    path: "/policies/roleManagementPolicyAssignments",
    need: "policyRead",
    collection: true,
    response: S.policyAssignmentOut,
    summary: "List policy assignments (filter roleDefinitionId eq '…'; $expand=policy)",
    handler: (c) => listPolicies(c, true),
  },
  {
    method: "GET",
    path: "/policies/roleManagementPolicyAssignments/{id}",
    need: "policyRead",
    response: S.policyAssignmentOut,
    summary: "Get a policy assignment",
    handler: (c, p) => getPolicyAssignment(c, p.id as string),
  },
  {
    method: "GET",
    path: "/auditLogs/directoryAudits",
    need: "auditRead",
    collection: true,
    response: S.directoryAuditOut,
    summary: "List audit events, newest first (needs an active reader role)",
    handler: (c) => listAudits(c),
  },
  {
    method: "GET",
    path: "/auditLogs/directoryAudits/{id}",
    need: "auditRead",
    response: S.directoryAuditOut,
    summary: "Get an audit event",
    handler: (c, p) => getAudit(c, p.id as string),
  },
  {
    method: "GET",
    path: "/users",
    need: "userRead",
    collection: true,
    response: S.userOut,
    summary: "List users",
    handler: (c) => listUsers(c),
  },
  {
    method: "GET",
    path: "/users/{id}",
    need: "userRead",
    response: S.userOut,
    summary: "Get a user by id or userPrincipalName",
    handler: (c, p) => getUser(c, p.id as string),
  },
  {
    method: "GET",
    path: "/groups",
    need: "groupRead",
    collection: true,
    response: S.groupOut,
    summary: "List groups ($search with ConsistencyLevel: eventual)",
    handler: (c) => listGroups(c),
  },
  {
    method: "GET",
    path: "/groups/{id}",
    need: "groupRead",
    response: S.groupOut,
    summary: "Get a group",
    handler: (c, p) => getGroup(c, p.id as string),
  },
  {
    method: "GET",
    path: "/me",
    need: "meRead",
    response: S.userOut,
    summary: "The signed-in person of a personal token",
    handler: (c) => getMe(c),
  },
  {
    method: "GET",
    path: "/identityGovernance/accessReviews/definitions",
    need: "accessReviewRead",
    collection: true,
    summary: "List access review definitions (PIM readers; $top, $skiptoken)",
    handler: (c) => listReviewDefinitions(c),
  },
  {
    method: "GET",
    path: "/identityGovernance/accessReviews/definitions/{id}",
    need: "accessReviewRead",
    summary: "Get an access review definition",
    handler: (c, p) => getReviewDefinition(c, p.id as string),
  },
  {
    method: "GET",
    path: "/identityGovernance/accessReviews/definitions/{id}/instances",
    need: "accessReviewRead",
    collection: true,
    summary: "List the instances of an access review (newest 24)",
    handler: (c, p) => listReviewInstances(c, p.id as string),
  },
  {
    method: "GET",
    path: "/identityGovernance/accessReviews/definitions/{id}/instances/{instanceId}",
    need: "accessReviewRead",
    summary: "Get an access review instance",
    handler: (c, p) => getReviewInstance(c, p.id as string, p.instanceId as string),
  },
  {
    method: "GET",
    path: "/identityGovernance/accessReviews/definitions/{id}/instances/{instanceId}/decisions",
    need: "accessReviewRead",
    collection: true,
    summary: "List the decisions of an access review instance ($top, $skiptoken)",
    handler: (c, p) => listReviewDecisions(c, p.id as string, p.instanceId as string),
  },
  {
    method: "GET",
    path: "/identityGovernance/roleManagementAlerts/alertDefinitions",
    need: "roleDefinitionRead",
    collection: true,
    summary: "The six security alert definitions (PIM readers)",
    handler: (c) => listAlertDefinitions(c),
  },
  {
    method: "GET",
    path: "/identityGovernance/roleManagementAlerts/alerts",
    need: "roleDefinitionRead",
    collection: true,
    summary: "The security alerts with their last evaluation (PIM readers)",
    handler: (c) => listRoleManagementAlerts(c),
  },
);

// Access review writes: through the engine's use cases (admins for definitions and instance commands, the
// stored reviewers for decisions); Graph's AccessReview.ReadWrite.All on the token.
const ARD = "/identityGovernance/accessReviews/definitions";
const ARI = `${ARD}/{id}/instances/{instanceId}`;
routes.push(
  {
    method: "POST",
    path: ARD,
    need: "accessReviewWrite",
    body: createDefinitionBody,
    status: 201,
    summary:
      "Create an access review of Microsoft Entra role assignments (scope: a role definition, or role eligibility/assignment schedule instances filtered on roleDefinitionId; other scopes are 400)",
    handler: (c) => createReviewDefinition(c),
  },
  {
    method: "POST",
    path: `${ARD}/{id}/stop`,
    need: "accessReviewWrite",
    status: 204,
    summary: "Stop the series: the instance in progress stops and no further instance opens (history stays)",
    handler: (c, p) => stopReviewSeries(c, p.id as string),
  },
  {
    method: "DELETE",
    path: `${ARD}/{id}`,
    need: "accessReviewWrite",
    status: 204,
    summary: "Stops the series as /stop does; the definition and its results stay as evidence (they are not erased)",
    handler: (c, p) => stopReviewSeries(c, p.id as string),
  },
  ...(["stop", "applyDecisions", "resetDecisions", "acceptRecommendations"] as const).map((action): RouteDef => ({
    method: "POST",
    path: `${ARI}/${action}`,
    need: "accessReviewWrite",
    status: 204,
    summary:
      action === "acceptRecommendations"
        ? "The caller's undecided items take their recommendation (reviewers)"
        : `${action} on an access review instance (admins)`,
    handler: (c, p) => instanceAction(c, p.id as string, p.instanceId as string, action),
  })),
  {
    method: "POST",
    path: `${ARI}/batchRecordDecisions`,
    need: "accessReviewWrite",
    body: batchDecisionsBody,
    status: 204,
    summary: "Decide every item the caller reviews, or those of principalId / resourceId (role definition id)",
    handler: (c, p) => batchRecordDecisions(c, p.id as string, p.instanceId as string),
  },
  {
    method: "PATCH",
    path: `${ARI}/decisions/{itemId}`,
    need: "accessReviewWrite",
    body: decisionPatchBody,
    status: 204,
    summary: "Record the caller's decision (Approve, Deny, DontKnow) and justification on an item they review",
    handler: (c, p) => patchDecision(c, p.id as string, p.instanceId as string, p.itemId as string),
  },
  {
    method: "PATCH",
    path: `${ARI}/stages/{stageId}/decisions/{itemId}`,
    need: "accessReviewWrite",
    body: decisionPatchBody,
    status: 204,
    summary: "The same, addressed through a stage (the decision lands in the instance's current stage)",
    handler: (c, p) => patchDecision(c, p.id as string, p.instanceId as string, p.itemId as string),
  },
  {
    method: "GET",
    path: `${ARI}/decisions/filterByCurrentUser(on='{on}')`,
    need: "accessReviewRead",
    collection: true,
    summary: "The decision items the caller reviews in the current stage; on='reviewer'",
    handler: (c, p) => myDecisions(c, p.id as string, p.instanceId as string, p.on as string),
  },
);

export const ROUTES: readonly RouteDef[] = routes;

/**
 * Governance in Graph's shapes (read-only): `identityGovernance/accessReviews/definitions` (+ `/instances`,
 * `/instances/{id}/decisions`) and `identityGovernance/roleManagementAlerts` (`alertDefinitions`, `alerts`).
 * The read models authorize (PIM readers; Forbidden otherwise). Paging: `$top` and an opaque `$skiptoken`.
 */
import type { ReviewStage } from "@/db/schema";
import { alertCatalog } from "@/lib/pim/governance/alert-catalog";
import { listAlerts } from "@/lib/pim/queries/alerts";
import {
  getAccessReview,
  itemCursor,
  listAccessReviews,
  listReviewItems,
  reviewListCursor,
  type DefinitionSummary,
  type InstanceSummary,
  type ReviewItemView,
} from "@/lib/pim/queries/access-reviews";
import type { z } from "zod";
import { badRequest, notFound } from "../errors";
import type { ApiContext } from "../handler";
import { collection, contextUrl, guidOr404, iso } from "./serialize";

export const top = (c: ApiContext, max: number, dflt: number) => {
  const raw = c.url.searchParams.get("$top");
  if (raw === null) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw badRequest("$top must be a positive integer.");
  return Math.min(n, max);
};
export function skip<S extends z.ZodType>(c: ApiContext, schema: S): z.output<S> | null {
  const raw = c.url.searchParams.get("$skiptoken");
  if (!raw) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw badRequest("The $skiptoken is not valid for this request.");
}
export const nextLink = (c: ApiContext, cursor: unknown | null) => {
  if (!cursor) return null;
  const keep = [...c.url.searchParams]
    .filter(([k]) => k !== "$skiptoken")
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  const token = Buffer.from(JSON.stringify(cursor)).toString("base64url");
  return `${c.url.origin}${c.url.pathname}?${[...keep, `$skiptoken=${token}`].join("&")}`;
};

const recurrenceType: Record<string, { type: string; interval: number } | null> = {
  oneTime: null,
  weekly: { type: "weekly", interval: 1 },
  monthly: { type: "absoluteMonthly", interval: 1 },
  quarterly: { type: "absoluteMonthly", interval: 3 },
  semiAnnually: { type: "absoluteMonthly", interval: 6 },
  annually: { type: "absoluteMonthly", interval: 12 },
};
const defaultDecision: Record<string, string> = {
  noChange: "None",
  remove: "Deny",
  approve: "Approve",
  recommendation: "Recommendation",
};
const instanceStatus: Record<string, string> = {
  NotStarted: "NotStarted",
  InProgress: "InProgress",
  Completed: "Completed",
  Applied: "Applied",
};

function reviewers(stages: ReviewStage[]) {
  const s = stages[0];
  if (!s) return [];
  if (s.reviewerType === "self") return [{ query: "./principal", queryType: "MicrosoftGraph", queryRoot: null }];
  if (s.reviewerType === "manager")
    return [{ query: "./manager", queryType: "MicrosoftGraph", queryRoot: "decisions" }];
  return s.reviewers.map((r) => ({
    query: r.type === "User" ? `/users/${r.id}` : `/groups/${r.id}/transitiveMembers`,
    queryType: "MicrosoftGraph",
    queryRoot: null,
  }));
}

function scope(d: DefinitionSummary) {
  return {
    "@odata.type": "#microsoft.graph.principalResourceMembershipsScope",
    resourceScopes: [
      {
        query: `/roleManagement/directory/roleDefinitions?$filter=displayName in (${d.roleNames.map((n) => `'${n}'`).join(",")})`,
        queryType: "MicrosoftGraph",
      },
    ],
    directoryScopeId: d.directoryScopeId ?? "/",
    assignmentKind: d.assignmentKind,
    ...(d.principalTypes
      ? {
          principalScopes: d.principalTypes.map((t) => ({
            "@odata.type": "#microsoft.graph.accessReviewQueryScope",
            query: t === "User" ? "/users" : t === "Group" ? "/groups" : "/servicePrincipals",
            queryType: "MicrosoftGraph",
          })),
        }
      : {}),
  };
}

export function definitionOut(d: DefinitionSummary) {
  const rec = recurrenceType[d.recurrence];
  return {
    id: d.id,
    displayName: d.displayName,
    descriptionForAdmins: d.description,
    createdDateTime: iso(d.createdAt),
    createdBy: { displayName: d.createdByName },
    status: d.latest ? instanceStatus[d.latest.status] : "NotStarted",
    scope: scope(d),
    reviewers: reviewers(d.stages),
    fallbackReviewers: (d.stages[0]?.fallbackReviewers ?? []).map((r) => ({
      query: r.type === "User" ? `/users/${r.id}` : `/groups/${r.id}/transitiveMembers`,
      queryType: "MicrosoftGraph",
      queryRoot: null,
    })),
    settings: {
      defaultDecisionEnabled: d.defaultDecision !== "noChange",
      defaultDecision: defaultDecision[d.defaultDecision],
      autoApplyDecisionsEnabled: d.autoApply,
      justificationRequiredOnApproval: d.justificationRequired,
      recommendationsEnabled: d.recommendationsEnabled,
      reminderNotificationsEnabled: d.remindersEnabled,
      instanceDurationInDays: d.durationDays,
      recurrence: {
        pattern: rec ? { type: rec.type, interval: rec.interval } : null,
        range: {
          type: rec ? (d.recurrenceEndDateTime ? "endDate" : "noEnd") : "numbered",
          numberOfOccurrences: rec ? 0 : 1,
          endDate: d.recurrenceEndDateTime ? iso(d.recurrenceEndDateTime)?.slice(0, 10) : null,
        },
      },
    },
    stageSettings: d.stages.map((s, i) => ({
      stageId: String(i + 1),
      dependsOn: i === 0 ? [] : [String(i)],
      durationInDays: s.durationDays,
      reviewers: reviewers([s]),
    })),
  };
}

function instanceOut(i: InstanceSummary) {
  return {
    id: i.id,
    startDateTime: iso(i.startDateTime),
    endDateTime: iso(i.endDateTime),
    status: instanceStatus[i.status],
  };
}

const applyResult = (r: string | null) =>
  r === null
    ? "New"
    : r === "Removed"
      ? "AppliedSuccessfully"
      : r === "Already ended"
        ? "AppliedSuccessfullyButObjectNotFound"
        : "AppliedWithUnknownFailure";

export function decisionOut(i: ReviewItemView, instanceId: string, definitionId: string) {
  const last = i.decisions[i.decisions.length - 1];
  return {
    id: i.id,
    accessReviewId: instanceId,
    decision: i.outcome ?? last?.decision ?? "NotReviewed",
    justification: last?.justification ?? "",
    reviewedDateTime: iso(last?.decidedAt ?? null),
    reviewedBy: last ? { displayName: last.reviewerName } : null,
    appliedDateTime: iso(i.appliedAt),
    applyResult: applyResult(i.applyResult),
    recommendation: i.recommendation ?? "NoInfoAvailable",
    principal: {
      "@odata.type": i.principalType === "User" ? "#microsoft.graph.userIdentity" : "#microsoft.graph.identity",
      id: i.principalId,
      displayName: i.principalName,
      userPrincipalName: i.principalUpn,
    },
    resource: {
      id: i.scheduleId,
      displayName: i.roleName,
      type: i.scheduleKind === "eligibility" ? "eligibleAssignment" : "activeAssignment",
    },
    principalLink: `/users/${i.principalId}`,
    insights: i.recommendationReason ? [{ reason: i.recommendationReason }] : [],
    stages: i.decisions.map((d) => ({
      stageId: String(d.stage + 1),
      decision: d.decision,
      justification: d.justification,
      reviewedBy: { displayName: d.reviewerName },
      reviewedDateTime: iso(d.decidedAt),
    })),
    definitionId,
  };
}

const AR = "identityGovernance/accessReviews/definitions";

export async function listReviewDefinitions(c: ApiContext) {
  const r = await listAccessReviews(c.ctx, c.caller.actor, {
    cursor: skip(c, reviewListCursor),
    limit: top(c, 100, 25),
  });
  return collection(contextUrl(c.url, AR), r.rows.map(definitionOut), { nextLink: nextLink(c, r.nextCursor) });
}

export async function getReviewDefinition(c: ApiContext, rawId: string) {
  const id = guidOr404(rawId, "accessReviewScheduleDefinition");
  const r = await getAccessReview(c.ctx, c.caller.actor, id);
  return {
    "@odata.context": contextUrl(c.url, `${AR}/$entity`),
    ...definitionOut({ ...r.definition, latest: r.instances[0] ?? null }),
  };
}

export async function listReviewInstances(c: ApiContext, rawId: string) {
  const id = guidOr404(rawId, "accessReviewScheduleDefinition");
  const r = await getAccessReview(c.ctx, c.caller.actor, id);
  return collection(contextUrl(c.url, `${AR}('${id}')/instances`), r.instances.map(instanceOut), {});
}

export async function getReviewInstance(c: ApiContext, rawId: string, rawInstance: string) {
  const id = guidOr404(rawId, "accessReviewScheduleDefinition");
  const iid = guidOr404(rawInstance, "accessReviewInstance");
  const r = await getAccessReview(c.ctx, c.caller.actor, id, iid);
  if (r.instance?.id !== iid) throw notFound(`No accessReviewInstance with id '${iid}' exists.`);
  return { "@odata.context": contextUrl(c.url, `${AR}('${id}')/instances/$entity`), ...instanceOut(r.instance) };
}

export async function listReviewDecisions(c: ApiContext, rawId: string, rawInstance: string) {
  const id = guidOr404(rawId, "accessReviewScheduleDefinition");
  const iid = guidOr404(rawInstance, "accessReviewInstance");
  const r = await getAccessReview(c.ctx, c.caller.actor, id, iid);
  if (r.instance?.id !== iid) throw notFound(`No accessReviewInstance with id '${iid}' exists.`);
  const page = await listReviewItems(c.ctx, c.caller.actor, {
    instanceId: iid,
    cursor: skip(c, itemCursor),
    limit: top(c, 500, 100),
  });
  return collection(
    contextUrl(c.url, `${AR}('${id}')/instances('${iid}')/decisions`),
    page.rows.map((i) => decisionOut(i, iid, id)),
    { nextLink: nextLink(c, page.nextCursor) },
  );
}

// ------------------------------------------------------------------ role management alerts
const RMA = "identityGovernance/roleManagementAlerts";
const DIRECTORY_SCOPE = { scopeId: "/", scopeType: "DirectoryRole" };

export async function listAlertDefinitions(c: ApiContext) {
  await listAlerts(c.ctx, c.caller.actor); // authorizes (PIM readers)
  return collection(
    contextUrl(c.url, `${RMA}/alertDefinitions`),
    Object.values(alertCatalog).map((a) => ({
      id: `DirectoryRole_${a.key}`,
      displayName: a.title,
      description: a.description,
      severityLevel: a.severity.toLowerCase(),
      securityImpact: a.whyItMatters,
      mitigationSteps: a.howToFix,
      howToPrevent: a.howToFix,
      isRemediatable: a.fixes.length > 0,
      isConfigurable: true,
      ...DIRECTORY_SCOPE,
    })),
    {},
  );
}

export async function listRoleManagementAlerts(c: ApiContext) {
  const r = await listAlerts(c.ctx, c.caller.actor);
  return collection(
    contextUrl(c.url, `${RMA}/alerts`),
    r.alerts.map((a) => ({
      id: `DirectoryRole_${a.key}`,
      alertDefinitionId: `DirectoryRole_${a.key}`,
      incidentCount: a.status === "Active" ? a.affectedCount : 0,
      isActive: a.status === "Active",
      lastModifiedDateTime: iso(a.raisedAt),
      lastScannedDateTime: iso(a.evaluatedAt),
      ...DIRECTORY_SCOPE,
    })),
    {},
  );
}

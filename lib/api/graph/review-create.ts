/**
 * `POST identityGovernance/accessReviews/definitions` for reviews of Microsoft Entra role assignments: Graph's
 * accessReviewScheduleDefinition body translated to the engine's `createAccessReview` input. The scope shapes
 * this portal reviews (Microsoft's "configure the scope" examples for directory roles):
 * - `accessReviewQueryScope` `/roleManagement/directory/roleDefinitions/{id}`: everyone assigned, eligible and active;
 * - `…/roleEligibilityScheduleInstances?$expand=principal&$filter=(… roleDefinitionId eq '{id}')`: eligible;
 * - `…/roleAssignmentScheduleInstances?$expand=principal&$filter=(… roleDefinitionId eq '{id}')`: active;
 * - `principalResourceMembershipsScope` with principal scopes `/users`, `/groups`, `/servicePrincipals` and
 *   resource scopes of role definitions.
 * A filter may also name `directoryScopeId eq '…'`, `assignmentType eq 'Assigned'` and `isof(principal,…)` (the
 * review then covers that kind of principal only). Groups, apps, access packages, guests and inactive-user
 * scopes are 400 with the reason.
 */
import { z } from "zod";
import type { CreateAccessReviewInput } from "@/lib/validation/governance";
import { badRequest } from "../errors";

const GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const query = z.object({
  "@odata.type": z.string().optional(),
  query: z.string().max(1000),
  queryType: z.string().max(50).optional(),
  queryRoot: z.string().max(50).nullable().optional(),
});
const stageSettings = z.object({
  stageId: z.string().max(50),
  dependsOn: z.array(z.string().max(50)).max(3).optional(),
  durationInDays: z.number().int().min(1).max(180),
  reviewers: z.array(query).max(50).optional(),
  fallbackReviewers: z.array(query).max(50).optional(),
  recommendationsEnabled: z.boolean().optional(),
  decisionsThatWillMoveToNextStage: z.array(z.string()).optional(),
});
export const createDefinitionBody = z.object({
  displayName: z.string().min(1).max(200),
  descriptionForAdmins: z.string().max(1000).optional(),
  descriptionForReviewers: z.string().max(1000).optional(),
  scope: z.looseObject({
    "@odata.type": z.string().optional(),
    query: z.string().max(1000).optional(),
    principalScopes: z.array(query).max(5).optional(),
    resourceScopes: z.array(query).max(50).optional(),
  }),
  instanceEnumerationScope: z.unknown().optional(),
  reviewers: z.array(query).max(50).optional(),
  fallbackReviewers: z.array(query).max(50).optional(),
  stageSettings: z.array(stageSettings).min(1).max(3).optional(),
  additionalNotificationRecipients: z.array(z.unknown()).max(50).optional(),
  settings: z
    .object({
      mailNotificationsEnabled: z.boolean().optional(),
      reminderNotificationsEnabled: z.boolean().optional(),
      justificationRequiredOnApproval: z.boolean().optional(),
      defaultDecisionEnabled: z.boolean().optional(),
      defaultDecision: z.enum(["None", "Approve", "Deny", "Recommendation"]).optional(),
      instanceDurationInDays: z.number().int().min(0).max(180).optional(),
      autoApplyDecisionsEnabled: z.boolean().optional(),
      recommendationsEnabled: z.boolean().optional(),
      recurrence: z
        .object({
          pattern: z
            .object({ type: z.string().max(30), interval: z.number().int().min(1).max(99).default(1) })
            .loose()
            .nullable()
            .optional(),
          range: z
            .object({
              type: z.enum(["noEnd", "endDate", "numbered"]).optional(),
              startDate: z.string().max(40).nullable().optional(),
              endDate: z.string().max(40).nullable().optional(),
              numberOfOccurrences: z.number().int().min(0).optional(),
            })
            .loose()
            .nullable()
            .optional(),
        })
        .nullable()
        .optional(),
      applyActions: z.array(z.unknown()).optional(),
    })
    .loose()
    .optional(),
});
export type CreateDefinitionBody = z.output<typeof createDefinitionBody>;

const unsupportedScope = (why: string) =>
  badRequest(
    `This portal reviews Microsoft Entra role assignments only: ${why} Use /roleManagement/directory/roleDefinitions/{id}, or roleEligibilityScheduleInstances / roleAssignmentScheduleInstances filtered on roleDefinitionId.`,
    "InvalidScope",
  );

/** `(a and b and …)` of a role-instances filter → the role id and the scope, or a 400 naming the term. */
type PrincipalType = "User" | "Group" | "ServicePrincipal";
const principalTypeOf: Record<string, PrincipalType> = {
  user: "User",
  group: "Group",
  serviceprincipal: "ServicePrincipal",
  users: "User",
  groups: "Group",
  serviceprincipals: "ServicePrincipal",
};

function parseFilter(filter: string): {
  roleId: string;
  directoryScopeId: string | null;
  principalTypes: PrincipalType[] | null;
} {
  const inner = /^\((.*)\)$/.exec(filter.trim())?.[1] ?? filter;
  let roleId: string | null = null;
  let directoryScopeId: string | null = null;
  let principalTypes: PrincipalType[] | null = null;
  for (const raw of inner.split(/\s+and\s+/i)) {
    const term = raw.trim();
    const role = new RegExp(`^roleDefinitionId eq '(${GUID})'$`, "i").exec(term);
    const scope = /^directoryScopeId eq '(\/[^']{0,200})'$/i.exec(term);
    if (role?.[1]) roleId = role[1].toLowerCase();
    else if (scope?.[1]) directoryScopeId = scope[1];
    else if (/^isof\(principal,\s*'microsoft\.graph\.(user|group|servicePrincipal)'\)$/i.test(term)) {
      const t = principalTypeOf[(/'microsoft\.graph\.(\w+)'/.exec(term)?.[1] ?? "").toLowerCase()];
      if (t) principalTypes = [t];
    } else if (/^assignmentType eq 'Assigned'$/i.test(term)) continue;
    else throw unsupportedScope(`the filter term "${term.slice(0, 100)}" is not supported.`);
  }
  if (!roleId) throw unsupportedScope("the filter must name roleDefinitionId eq '{role id}'.");
  return { roleId, directoryScopeId, principalTypes };
}

type Scope = Pick<
  CreateAccessReviewInput,
  "roleDefinitionIds" | "assignmentKind" | "directoryScopeId" | "principalTypes"
>;

export function scopeOf(scope: CreateDefinitionBody["scope"]): Scope {
  const type = (scope["@odata.type"] ?? "#microsoft.graph.accessReviewQueryScope").replace(/^#?/, "#");
  const roleDefinition = new RegExp(`^/roleManagement/directory/roleDefinitions/(${GUID})$`, "i");
  if (type === "#microsoft.graph.principalResourceMembershipsScope") {
    const types = (scope.principalScopes ?? []).map((p) => {
      const t = principalTypeOf[/^\/(users|groups|servicePrincipals)$/i.exec(p.query)?.[1]?.toLowerCase() ?? ""];
      if (!t) throw unsupportedScope(`the principal scope "${p.query.slice(0, 100)}" is not supported.`);
      return t;
    });
    const roles = (scope.resourceScopes ?? []).map((r) => {
      const m = roleDefinition.exec(r.query);
      if (!m?.[1]) throw unsupportedScope(`the resource scope "${r.query.slice(0, 100)}" is not a role definition.`);
      return m[1].toLowerCase();
    });
    if (roles.length === 0) throw unsupportedScope("resourceScopes must name at least one role definition.");
    return {
      roleDefinitionIds: roles,
      assignmentKind: "all",
      directoryScopeId: null,
      principalTypes: types.length ? [...new Set(types)] : null,
    };
  }
  if (type !== "#microsoft.graph.accessReviewQueryScope")
    throw unsupportedScope(`the scope type ${type.slice(0, 80)} is not supported.`);
  const q = scope.query ?? "";
  const whole = roleDefinition.exec(q);
  if (whole?.[1])
    return {
      roleDefinitionIds: [whole[1].toLowerCase()],
      assignmentKind: "all",
      directoryScopeId: null,
      principalTypes: null,
    };
  const inst =
    /^\/roleManagement\/directory\/(roleEligibilityScheduleInstances|roleAssignmentScheduleInstances)\?(.*)$/i.exec(q);
  if (!inst?.[1] || inst[2] === undefined)
    throw unsupportedScope(`the scope query "${q.slice(0, 100)}" is not supported.`);
  const params = new URLSearchParams(inst[2].replace(/\+/g, "%2B"));
  const filter = params.get("$filter");
  if (!filter) throw unsupportedScope("the scope query needs a $filter on roleDefinitionId.");
  const f = parseFilter(filter);
  return {
    roleDefinitionIds: [f.roleId],
    assignmentKind: /eligibility/i.test(inst[1]) ? "eligible" : "active",
    directoryScopeId: f.directoryScopeId,
    principalTypes: f.principalTypes,
  };
}

type Stage = CreateAccessReviewInput["stages"][number];
type Ref = { type: "User" | "Group"; id: string };

function refOf(q: { query: string }, what: string): Ref {
  const user = new RegExp(`^/users/(${GUID})$`, "i").exec(q.query);
  if (user?.[1]) return { type: "User", id: user[1].toLowerCase() };
  const group = new RegExp(`^/groups/(${GUID})/(transitiveMembers|members)$`, "i").exec(q.query);
  if (group?.[1]) return { type: "Group", id: group[1].toLowerCase() };
  throw badRequest(
    `The ${what} query "${q.query.slice(0, 100)}" is not supported: use /users/{id}, /groups/{id}/transitiveMembers, ./manager, or none (the members review themselves).`,
  );
}

/** Graph's reviewers of a stage → the engine's: none = self-review, `./manager`, or named users and groups. */
function stageOf(
  reviewers: { query: string }[] | undefined,
  fallback: { query: string }[] | undefined,
  days: number,
): Stage {
  const list = reviewers ?? [];
  const fallbackReviewers = (fallback ?? []).map((f) => refOf(f, "fallback reviewer"));
  if (list.length === 0 || (list.length === 1 && list[0]?.query === "./principal"))
    return { reviewerType: "self", reviewers: [], fallbackReviewers, durationDays: days };
  if (list.length === 1 && list[0]?.query === "./manager")
    return { reviewerType: "manager", reviewers: [], fallbackReviewers, durationDays: days };
  return {
    reviewerType: "selected",
    reviewers: list.map((r) => refOf(r, "reviewer")),
    fallbackReviewers,
    durationDays: days,
  };
}

const recurrenceOf: Record<string, CreateAccessReviewInput["recurrence"]> = {
  "weekly/1": "weekly",
  "absoluteMonthly/1": "monthly",
  "absoluteMonthly/3": "quarterly",
  "absoluteMonthly/6": "semiAnnually",
  "absoluteMonthly/12": "annually",
  "absoluteYearly/1": "annually",
};
const decisionOf = { None: "noChange", Approve: "approve", Deny: "remove", Recommendation: "recommendation" } as const;

const dateOf = (s: string, what: string): Date => {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999)
    throw badRequest(`${what} '${s.slice(0, 40)}' is not a date.`);
  return d;
};

/** The engine's create input from Graph's body (validated again by the use case's zod schema). */
export function createInputOf(b: CreateDefinitionBody, now: Date): CreateAccessReviewInput {
  if (b.instanceEnumerationScope != null)
    throw unsupportedScope("instanceEnumerationScope (reviews of all groups or teams) is not supported.");
  const s = b.settings ?? {};
  const pattern = s.recurrence?.pattern ?? null;
  const range = s.recurrence?.range ?? null;
  let recurrence: CreateAccessReviewInput["recurrence"] = "oneTime";
  if (pattern && !(range?.type === "numbered" && range.numberOfOccurrences === 1)) {
    const r = recurrenceOf[`${pattern.type}/${pattern.interval}`];
    if (!r)
      throw badRequest(
        `The recurrence ${pattern.type} every ${pattern.interval} is not supported: weekly (1), absoluteMonthly (1, 3, 6, 12) or absoluteYearly (1).`,
      );
    recurrence = r;
    if (range?.type === "numbered")
      throw badRequest("A numbered recurrence range is supported with numberOfOccurrences 1 only.");
  }
  const recurrenceEndDateTime =
    recurrence !== "oneTime" && range?.type === "endDate" && range.endDate ? dateOf(range.endDate, "endDate") : null;
  const duration = s.instanceDurationInDays && s.instanceDurationInDays > 0 ? s.instanceDurationInDays : 14;
  const stages = b.stageSettings
    ? b.stageSettings.map((st, i) => {
        if (
          (st.dependsOn ?? []).some((d) => d !== b.stageSettings?.[i - 1]?.stageId) ||
          (i > 0 && !st.dependsOn?.length)
        )
          throw badRequest("Stages run in sequence: each stage dependsOn the one before it.");
        return stageOf(st.reviewers, st.fallbackReviewers, st.durationInDays);
      })
    : [stageOf(b.reviewers, b.fallbackReviewers, duration)];
  return {
    displayName: b.displayName,
    description: b.descriptionForAdmins ?? b.descriptionForReviewers,
    ...scopeOf(b.scope),
    stages,
    startDateTime: range?.startDate ? dateOf(range.startDate, "startDate") : now,
    recurrence,
    recurrenceEndDateTime,
    autoApply: s.autoApplyDecisionsEnabled ?? false,
    defaultDecision: s.defaultDecisionEnabled ? decisionOf[s.defaultDecision ?? "None"] : "noChange",
    justificationRequired: s.justificationRequiredOnApproval ?? true,
    recommendationsEnabled: s.recommendationsEnabled ?? true,
    remindersEnabled: s.reminderNotificationsEnabled ?? true,
  };
}

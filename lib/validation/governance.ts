/**
 * Input schemas of governance (issue 14): alert settings, dismissals and fixes, access reviews and their
 * decisions, PIM-wide settings. Shared by forms, server actions and the use cases.
 */
import { z } from "zod";
import { optionalText, requiredText } from "./text";
import { scopeId } from "./pim";

export const alertKeys = [
  "rolesAssignedOutsidePim",
  "staleAccounts",
  "adminsNotUsingRoles",
  "rolesWithoutMfa",
  "tooManyGlobalAdmins",
  "frequentActivation",
] as const;
export type AlertKey = (typeof alertKeys)[number];
export const alertKey = z.enum(alertKeys, { message: "Unknown alert." });

const int = (min: number, max: number, what: string) =>
  z
    .number({ message: `${what} must be a whole number.` })
    .int({ message: `${what} must be a whole number.` })
    .min(min, { message: `${what} is at least ${min}.` })
    .max(max, { message: `${what} is at most ${max}.` });

/** Every alert's on/off and thresholds (§9 ranges). */
export const alertSettingsInput = z.object({
  rolesAssignedOutsidePim: z.object({ enabled: z.boolean() }),
  staleAccounts: z.object({ enabled: z.boolean(), days: int(1, 365, "Days without sign-in") }),
  adminsNotUsingRoles: z.object({ enabled: z.boolean(), days: int(0, 100, "Days without activation") }),
  rolesWithoutMfa: z.object({ enabled: z.boolean() }),
  tooManyGlobalAdmins: z.object({
    enabled: z.boolean(),
    minCount: int(2, 100, "Minimum number of Global Administrators"),
    minPercent: int(0, 100, "Percentage of Global Administrators"),
  }),
  frequentActivation: z.object({
    enabled: z.boolean(),
    count: int(2, 100, "Number of activations"),
    windowHours: int(1, 24 * 30, "Time window (hours)"),
  }),
});
export type AlertSettings = z.output<typeof alertSettingsInput>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  rolesAssignedOutsidePim: { enabled: true },
  staleAccounts: { enabled: true, days: 30 },
  adminsNotUsingRoles: { enabled: true, days: 30 },
  rolesWithoutMfa: { enabled: true },
  tooManyGlobalAdmins: { enabled: true, minCount: 3, minPercent: 10 },
  frequentActivation: { enabled: true, count: 3, windowHours: 24 },
};

const reason = requiredText({ max: 500, required: "Give a reason." });

export const dismissAlertInput = z.object({ alertKey, reason });
export const refreshAlertsInput = z.object({});
/** A one-click fix of one affected item: remove an assignment, or require MFA on a role's activation. */
export const fixAlertInput = z.discriminatedUnion("fix", [
  z.object({
    alertKey,
    fix: z.literal("remove"),
    kind: z.enum(["eligibility", "assignment"]),
    scheduleId: z.uuid(),
    justification: reason,
  }),
  z.object({
    alertKey,
    fix: z.literal("makeEligible"),
    scheduleId: z.uuid(),
    justification: reason,
  }),
  z.object({ alertKey, fix: z.literal("requireMfa"), roleDefinitionId: z.uuid() }),
]);
export type FixAlertInput = z.input<typeof fixAlertInput>;

// ------------------------------------------------------------------ access reviews
const principalRef = z.object({ type: z.enum(["User", "Group"]), id: z.uuid() });
export const reviewStageInput = z
  .object({
    reviewerType: z.enum(["selected", "self", "manager"]),
    reviewers: z.array(principalRef).max(50).default([]),
    fallbackReviewers: z.array(principalRef).max(50).default([]),
    durationDays: int(1, 180, "Stage duration (days)"),
  })
  .superRefine((s, ctx) => {
    if (s.reviewerType === "selected" && s.reviewers.length === 0)
      ctx.addIssue({ code: "custom", path: ["reviewers"], message: "Select at least one reviewer." });
    if (s.reviewerType === "manager" && s.fallbackReviewers.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["fallbackReviewers"],
        message: "Select a fallback reviewer for members without a manager.",
      });
  });

export const recurrences = ["oneTime", "weekly", "monthly", "quarterly", "semiAnnually", "annually"] as const;
export const defaultDecisions = ["noChange", "remove", "approve", "recommendation"] as const;

export const createAccessReviewInput = z
  .object({
    displayName: requiredText({ max: 200, required: "Name the review." }),
    description: optionalText(1000),
    roleDefinitionIds: z
      .array(z.uuid())
      .min(1, { message: "Select at least one role." })
      .max(50, { message: "At most 50 roles." }),
    directoryScopeId: scopeId.nullable().default(null),
    assignmentKind: z.enum(["eligible", "active", "all"]),
    /** Only these kinds of principal (Graph's isof filter); null = every kind. */
    principalTypes: z
      .array(z.enum(["User", "Group", "ServicePrincipal"]))
      .min(1)
      .max(3)
      .nullable()
      .default(null),
    stages: z.array(reviewStageInput).min(1, { message: "Add a stage." }).max(3, { message: "At most 3 stages." }),
    startDateTime: z.coerce.date({ message: "Enter a valid start date." }),
    recurrence: z.enum(recurrences).default("oneTime"),
    recurrenceEndDateTime: z.coerce.date({ message: "Enter a valid end date." }).nullable().default(null),
    autoApply: z.boolean().default(false),
    defaultDecision: z.enum(defaultDecisions).default("noChange"),
    justificationRequired: z.boolean().default(true),
    recommendationsEnabled: z.boolean().default(true),
    remindersEnabled: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    if (v.recurrenceEndDateTime && v.recurrenceEndDateTime <= v.startDateTime)
      ctx.addIssue({
        code: "custom",
        path: ["recurrenceEndDateTime"],
        message: "The recurrence ends after the start.",
      });
    if (new Set(v.roleDefinitionIds).size !== v.roleDefinitionIds.length)
      ctx.addIssue({ code: "custom", path: ["roleDefinitionIds"], message: "A role is listed twice." });
  });
export type CreateAccessReviewInput = z.input<typeof createAccessReviewInput>;

/** An instance; with `definitionId` (the Graph path's) it must belong to that definition (else NotFound). */
export const reviewInstanceRef = z.object({ instanceId: z.uuid(), definitionId: z.uuid().optional() });
export const decideReviewItemsInput = z.object({
  instanceId: z.uuid(),
  definitionId: z.uuid().optional(),
  itemIds: z
    .array(z.uuid())
    .min(1, { message: "Select at least one member." })
    .max(500, { message: "At most 500 at once." }),
  decision: z.enum(["Approve", "Deny", "DontKnow"]),
  justification: optionalText(500),
});
export type DecideReviewItemsInput = z.input<typeof decideReviewItemsInput>;

/**
 * A reviewer's decision on every item they review in the current stage (Graph's batchRecordDecisions), narrowed
 * to one principal and/or one resource (the role definition, or the reviewed assignment's schedule id).
 */
export const recordReviewDecisionsInput = z.object({
  instanceId: z.uuid(),
  definitionId: z.uuid().optional(),
  decision: z.enum(["Approve", "Deny", "DontKnow"], { message: "Decide Approve, Deny or DontKnow." }),
  justification: optionalText(500),
  principalId: z.uuid({ message: "principalId must be an id." }).optional(),
  resourceId: z.uuid({ message: "resourceId must be an id." }).optional(),
});
export type RecordReviewDecisionsInput = z.input<typeof recordReviewDecisionsInput>;

/** Stop a review series: no further instance opens; the instance in progress stops too unless `stopCurrent` is false. */
export const stopReviewSeriesInput = z.object({
  definitionId: z.uuid({ message: "Choose a review." }),
  stopCurrent: z.boolean().default(true),
});
export type StopReviewSeriesInput = z.input<typeof stopReviewSeriesInput>;

// ------------------------------------------------------------------ PIM-wide settings
export const pimSettingsInput = z.object({
  /** The display name of the notification emails' sender (the address stays MAIL_FROM's); empty = MAIL_FROM as is. */
  notificationSenderName: optionalText(100),
  notificationReplyTo: z.union([z.literal(""), z.email({ message: "Enter an email address." })]).default(""),
  defaultReviewDurationDays: int(1, 180, "Default review duration (days)"),
  defaultReviewDecision: z.enum(defaultDecisions),
  reviewReminderDaysBeforeEnd: int(1, 30, "Reminder (days before the end)"),
  alertEvaluationMinutes: int(5, 1440, "Alert evaluation interval (minutes)"),
});
export type PimSettings = z.output<typeof pimSettingsInput>;
export const DEFAULT_PIM_SETTINGS: PimSettings = {
  notificationSenderName: undefined,
  notificationReplyTo: "",
  defaultReviewDurationDays: 14,
  defaultReviewDecision: "noChange",
  reviewReminderDaysBeforeEnd: 3,
  alertEvaluationMinutes: 15,
};

// ------------------------------------------------------------------ who may manage PIM
/**
 * Who manages PIM (§2: only an active Global Administrator or Privileged Role Administrator may). The setting can
 * narrow that to Global Administrators only; it never grants PIM rights to anyone without one of those roles.
 */
export const pimManagerChoices = ["globalAndPrivilegedRoleAdministrators", "globalAdministratorsOnly"] as const;
export type PimManagers = (typeof pimManagerChoices)[number];
export const DEFAULT_PIM_MANAGERS: PimManagers = "globalAndPrivilegedRoleAdministrators";
export const setPimManagersInput = z.object({
  pimManagers: z.enum(pimManagerChoices, { message: "Choose who manages PIM." }),
  justification: requiredText({ max: 500, required: "Give a reason." }),
});
export type SetPimManagersInput = z.input<typeof setPimManagersInput>;

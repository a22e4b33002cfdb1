/**
 * The zod schemas of the Graph API: request bodies (they validate every POST/PATCH) and resource shapes
 * (they describe responses). `/graph/openapi.json` is generated from these same objects.
 */
import { z } from "zod";
import { parseIsoDuration } from "@/lib/pim/rules/durations";
import { scopeId } from "@/lib/validation/pim";
import { storableString } from "@/lib/validation/text";

const odataType = { "@odata.type": storableString().optional() };

/**
 * An enum as Graph reads it: any casing on input (`AdminAssign`, `NoExpiration`, as Microsoft's own examples
 * write them), the canonical spelling after parsing (and in every answer). Anything else is a 400 naming the values.
 */
export function graphEnum<const T extends readonly [string, ...string[]]>(values: T) {
  const canon = new Map(values.map((v) => [v.toLowerCase(), v]));
  return z.preprocess(
    (v) => (typeof v === "string" ? (canon.get(v.toLowerCase()) ?? v) : v),
    z.enum(values, { message: `Use one of: ${values.join(", ")}.` }),
  );
}
const isoDateTime = z.iso.datetime({
  offset: true,
  message: "Use an ISO 8601 date-time such as 2026-11-22T10:00:00Z.",
});

export const SCHEDULE_ACTIONS = [
  "adminAssign",
  "adminUpdate",
  "adminRemove",
  "adminExtend",
  "adminRenew",
  "selfActivate",
  "selfDeactivate",
  "selfExtend",
  "selfRenew",
] as const;
export const REQUEST_STATUSES = [
  "PendingApproval",
  "PendingProvisioning",
  "Granted",
  "ScheduleCreated",
  "Provisioned",
  "Denied",
  "Canceled",
  "Revoked",
  "Failed",
  "TimedOut",
] as const;
export const SCHEDULE_STATUSES = ["Granted", "Provisioned", "Expired", "Revoked", "Canceled"] as const;
export const EXPIRATION_TYPES = ["notSpecified", "noExpiration", "afterDateTime", "afterDuration"] as const;

export const expirationPattern = z
  .strictObject({
    ...odataType,
    type: graphEnum(EXPIRATION_TYPES).optional(),
    endDateTime: isoDateTime.nullish(),
    duration: storableString().max(40).nullish(),
  })
  .superRefine((e, ctx) => {
    if (e.type === "afterDateTime" && !e.endDateTime)
      ctx.addIssue({ code: "custom", path: ["endDateTime"], message: "afterDateTime needs endDateTime." });
    if (e.type === "afterDuration" && !e.duration)
      ctx.addIssue({
        code: "custom",
        path: ["duration"],
        message: "afterDuration needs duration (ISO 8601, e.g. PT4H).",
      });
    if (e.duration && parseIsoDuration(e.duration) === null)
      ctx.addIssue({ code: "custom", path: ["duration"], message: "Use an ISO 8601 duration such as PT4H or P30D." });
    if (e.type === "noExpiration" && (e.endDateTime || e.duration))
      ctx.addIssue({ code: "custom", path: ["type"], message: "noExpiration takes neither endDateTime nor duration." });
  });

export const requestSchedule = z.strictObject({
  ...odataType,
  startDateTime: isoDateTime.nullish(),
  expiration: expirationPattern.optional(),
  recurrence: z.null().optional(),
});

export const ticketInfo = z.strictObject({
  ...odataType,
  ticketNumber: storableString().max(100).nullish(),
  ticketSystem: storableString().max(100).nullish(),
});

/** POST roleAssignmentScheduleRequests / roleEligibilityScheduleRequests. */
export const scheduleRequestBody = z.strictObject({
  ...odataType,
  action: graphEnum(SCHEDULE_ACTIONS),
  principalId: z.uuid(),
  roleDefinitionId: z.uuid(),
  directoryScopeId: scopeId.default("/"),
  appScopeId: z.null().optional(),
  justification: storableString().max(500).nullish(),
  targetScheduleId: z.uuid().nullish(),
  isValidationOnly: z.boolean().optional(),
  customData: storableString().max(500).nullish(),
  scheduleInfo: requestSchedule.optional(),
  ticketInfo: ticketInfo.optional(),
});
export type ScheduleRequestBody = z.output<typeof scheduleRequestBody>;

/** PATCH roleAssignmentApprovals/{id}/steps/{id}. */
export const approvalStepPatchBody = z.strictObject({
  ...odataType,
  reviewResult: graphEnum(["Approve", "Deny"]),
  justification: storableString().trim().min(1, { message: "Write why you approve or deny." }).max(500),
});

const ruleTarget = z.object({
  ...odataType,
  caller: graphEnum(["Admin", "EndUser"]).optional(),
  operations: z.array(storableString()).optional(),
  level: graphEnum(["Assignment", "Eligibility"]).optional(),
  inheritableSettings: z.array(storableString()).optional(),
  enforcedSettings: z.array(storableString()).optional(),
  targetObjects: z.array(z.unknown()).nullish(),
});

const userSet = z.discriminatedUnion("@odata.type", [
  z.object({
    "@odata.type": z.literal("#microsoft.graph.singleUser"),
    userId: z.uuid(),
    description: storableString().nullish(),
    isBackup: z.boolean().optional(),
  }),
  z.object({
    "@odata.type": z.literal("#microsoft.graph.groupMembers"),
    groupId: z.uuid(),
    description: storableString().nullish(),
    isBackup: z.boolean().optional(),
  }),
]);

export const approvalStageSchema = z.object({
  ...odataType,
  approvalStageTimeOutInDays: z.number().int().min(1).max(14).optional(),
  isApproverJustificationRequired: z.boolean().optional(),
  escalationTimeInMinutes: z.number().int().min(0).optional(),
  isEscalationEnabled: z.boolean().optional(),
  primaryApprovers: z.array(userSet).max(50).optional(),
  escalationApprovers: z.array(userSet).max(0, { message: "Escalation approvers are not supported." }).optional(),
});

const ruleBase = { id: storableString().max(100).optional(), target: ruleTarget.optional() };

/** PATCH policies/roleManagementPolicies/{id}/rules/{ruleId}: one of Graph's rule types (by @odata.type). */
export const policyRulePatchBody = z.discriminatedUnion("@odata.type", [
  z.strictObject({
    "@odata.type": z.literal("#microsoft.graph.unifiedRoleManagementPolicyExpirationRule"),
    ...ruleBase,
    isExpirationRequired: z.boolean(),
    maximumDuration: storableString()
      .max(40)
      .refine((d) => parseIsoDuration(d) !== null, { message: "Use an ISO 8601 duration such as PT8H or P180D." }),
  }),
  z.strictObject({
    "@odata.type": z.literal("#microsoft.graph.unifiedRoleManagementPolicyEnablementRule"),
    ...ruleBase,
    enabledRules: z.array(graphEnum(["MultiFactorAuthentication", "Justification", "Ticketing"])).max(3),
  }),
  z.strictObject({
    "@odata.type": z.literal("#microsoft.graph.unifiedRoleManagementPolicyApprovalRule"),
    ...ruleBase,
    setting: z.object({
      ...odataType,
      isApprovalRequired: z.boolean(),
      isApprovalRequiredForExtension: z.boolean().optional(),
      isRequestorJustificationRequired: z.boolean().optional(),
      approvalMode: graphEnum(["SingleStage", "Serial", "Parallel", "NoApproval"]).optional(),
      approvalStages: z.array(approvalStageSchema).max(5).optional(),
    }),
  }),
  z.strictObject({
    "@odata.type": z.literal("#microsoft.graph.unifiedRoleManagementPolicyNotificationRule"),
    ...ruleBase,
    notificationType: z.literal("Email").optional(),
    recipientType: graphEnum(["Requestor", "Approver", "Admin"]).optional(),
    notificationLevel: graphEnum(["None", "Critical", "All"]),
    isDefaultRecipientsEnabled: z.boolean(),
    notificationRecipients: z.array(z.email()).max(20),
  }),
  z.strictObject({
    "@odata.type": z.literal("#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule"),
    ...ruleBase,
    isEnabled: z.literal(false, { message: "Authentication contexts are not supported; isEnabled must be false." }),
    claimValue: storableString().nullish(),
  }),
]);
export type PolicyRulePatchBody = z.output<typeof policyRulePatchBody>;

// ------------------------------------------------------------------ resource shapes (responses)
const id = z.uuid();
const when = z.string().describe("ISO 8601 UTC date-time");
const identity = z.object({ id: z.string(), displayName: z.string().nullable() });
export const scheduleInfoOut = z.object({
  startDateTime: when.nullable(),
  recurrence: z.null(),
  expiration: z.object({
    type: z.enum(EXPIRATION_TYPES),
    endDateTime: when.nullable(),
    duration: z.string().nullable(),
  }),
});
export const directoryObjectOut = z.object({
  "@odata.type": z.string(),
  id,
  displayName: z.string(),
  userPrincipalName: z.string().nullish(),
});
export const roleDefinitionOut = z.object({
  id,
  displayName: z.string(),
  description: z.string(),
  isBuiltIn: z.boolean(),
  isEnabled: z.boolean(),
  templateId: z.string().nullable(),
  version: z.string().nullable(),
  resourceScopes: z.array(z.string()),
  rolePermissions: z.array(z.object({ allowedResourceActions: z.array(z.string()), condition: z.string().nullable() })),
});
export const scheduleRequestOut = z.object({
  id,
  action: z.enum(SCHEDULE_ACTIONS),
  status: z.enum(REQUEST_STATUSES),
  principalId: id,
  roleDefinitionId: id,
  directoryScopeId: z.string(),
  appScopeId: z.null(),
  isValidationOnly: z.boolean(),
  targetScheduleId: id.nullable(),
  justification: z.string().nullable(),
  createdDateTime: when,
  completedDateTime: when.nullable(),
  approvalId: id.nullable(),
  customData: z.null(),
  createdBy: z.object({ user: identity.nullable(), application: identity.nullable(), device: z.null() }),
  scheduleInfo: scheduleInfoOut,
  ticketInfo: z.object({ ticketNumber: z.string().nullable(), ticketSystem: z.string().nullable() }),
  principal: directoryObjectOut.optional(),
  roleDefinition: roleDefinitionOut.optional(),
});
export const scheduleOut = z.object({
  id,
  principalId: id,
  roleDefinitionId: id,
  directoryScopeId: z.string(),
  appScopeId: z.null(),
  createdUsing: id.nullable(),
  createdDateTime: when,
  modifiedDateTime: when,
  status: z.enum(SCHEDULE_STATUSES),
  scheduleInfo: scheduleInfoOut,
  assignmentType: z.enum(["Assigned", "Activated"]).optional(),
  memberType: z.enum(["Direct", "Group"]),
  principal: directoryObjectOut.optional(),
  roleDefinition: roleDefinitionOut.optional(),
});
export const instanceOut = z.object({
  id,
  principalId: id,
  roleDefinitionId: id,
  directoryScopeId: z.string(),
  appScopeId: z.null(),
  startDateTime: when,
  endDateTime: when.nullable(),
  memberType: z.enum(["Direct", "Group"]),
  assignmentType: z.enum(["Assigned", "Activated"]).optional(),
  roleAssignmentScheduleId: id.optional(),
  roleAssignmentOriginId: id.optional(),
  roleEligibilityScheduleId: id.optional(),
  principal: directoryObjectOut.optional(),
  roleDefinition: roleDefinitionOut.optional(),
});
/** PIM for Groups (privilegedAccessGroup*): the role shapes with groupId + accessId instead of role and scope. */
const groupAccess = { accessId: z.enum(["member", "owner"]), groupId: id };
const notForGroups = {
  roleDefinitionId: true,
  directoryScopeId: true,
  appScopeId: true,
  principal: true,
  roleDefinition: true,
} as const;
export const groupScheduleRequestOut = scheduleRequestOut.omit(notForGroups).extend(groupAccess);
export const groupScheduleOut = scheduleOut.omit(notForGroups).extend(groupAccess);
export const groupInstanceOut = instanceOut
  .omit({
    ...notForGroups,
    roleAssignmentScheduleId: true,
    roleAssignmentOriginId: true,
    roleEligibilityScheduleId: true,
  })
  .extend({ ...groupAccess, assignmentScheduleId: id.optional(), eligibilityScheduleId: id.optional() });
export const roleAssignmentOut = z.object({
  id,
  principalId: id,
  roleDefinitionId: id,
  directoryScopeId: z.string(),
  resourceScope: z.string(),
  appScopeId: z.null(),
  condition: z.null(),
  principal: directoryObjectOut.optional(),
  roleDefinition: roleDefinitionOut.optional(),
});
export const groupOut = z.object({
  id,
  displayName: z.string(),
  description: z.string().nullable(),
  mailNickname: z.string().nullable(),
  isAssignableToRole: z.boolean(),
  securityEnabled: z.boolean(),
  mailEnabled: z.boolean(),
});
export const policyOut = z.object({
  id: z.string(),
  displayName: z.string(),
  description: z.string(),
  isOrganizationDefault: z.boolean(),
  scopeId: z.string(),
  scopeType: z.literal("DirectoryRole"),
  lastModifiedDateTime: when.nullable(),
  lastModifiedBy: identity.nullable(),
  rules: z.array(z.record(z.string(), z.unknown())).optional(),
});
export const policyRuleOut = z
  .record(z.string(), z.unknown())
  .describe(
    "A unifiedRoleManagementPolicyRule (expiration, enablement, approval, notification or authenticationContext rule)",
  );
export const policyAssignmentOut = z.object({
  id: z.string(),
  policyId: z.string(),
  scopeId: z.string(),
  scopeType: z.literal("DirectoryRole"),
  roleDefinitionId: id,
  policy: policyOut.optional(),
});
export const approvalStepOut = z.object({
  id,
  displayName: z.string(),
  status: z.enum(["InProgress", "Initializing", "Completed", "Expired"]),
  assignedToMe: z.boolean(),
  reviewResult: z.enum(["NotReviewed", "Approved", "Denied"]),
  justification: z.string().nullable(),
  reviewedDateTime: when.nullable(),
  reviewedBy: z.array(identity),
});
export const approvalOut = z.object({ id, steps: z.array(approvalStepOut) });
export const userOut = z.object({
  id,
  displayName: z.string(),
  userPrincipalName: z.string(),
  mail: z.string().nullable(),
  jobTitle: z.string().nullable(),
  department: z.string().nullable(),
  accountEnabled: z.boolean(),
});
export const directoryAuditOut = z.object({
  id,
  category: z.string(),
  correlationId: id.nullable(),
  result: z.enum(["success", "failure"]),
  resultReason: z.string().nullable(),
  activityDisplayName: z.string(),
  activityDateTime: when,
  loggedByService: z.literal("PIM"),
  operationType: z.string(),
  initiatedBy: z.object({
    user: identity.extend({ userPrincipalName: z.string().nullable(), ipAddress: z.string().nullable() }).nullable(),
    app: z
      .object({
        appId: z.string().nullable(),
        displayName: z.string().nullable(),
        servicePrincipalId: z.string(),
        servicePrincipalName: z.string().nullable(),
      })
      .nullable(),
  }),
  targetResources: z.array(
    z.object({
      id: z.string(),
      displayName: z.string().nullable(),
      type: z.string(),
      userPrincipalName: z.string().nullable(),
      modifiedProperties: z.array(
        z.object({ displayName: z.string(), oldValue: z.string().nullable(), newValue: z.string().nullable() }),
      ),
    }),
  ),
  additionalDetails: z.array(z.object({ key: z.string(), value: z.string() })),
});
export const accessCheckQuery = z
  .object({
    principalId: z.uuid(),
    roleDefinitionId: z.uuid().optional(),
    permission: z
      .string()
      .min(3)
      .max(200)
      .regex(/^[A-Za-z0-9./_-]+$/, { message: "A permission looks like microsoft.directory/users/create." })
      .optional(),
    directoryScopeId: scopeId.default("/"),
  })
  .refine((q) => Boolean(q.roleDefinitionId) !== Boolean(q.permission), {
    message: "Give roleDefinitionId or permission (one of them).",
    path: ["roleDefinitionId"],
  });
export const accessCheckOut = z.object({
  allowed: z.boolean(),
  grantedBy: z.array(
    z.object({
      scheduleId: id,
      roleDefinitionId: id,
      directoryScopeId: z.string(),
      memberType: z.enum(["Direct", "Group"]),
      viaGroupId: id.optional(),
      endDateTime: when.nullable(),
    }),
  ),
  until: when.nullable(),
});
export const errorOut = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ code: z.string(), message: z.string(), target: z.string().optional() })).optional(),
    innerError: z.object({ date: when, "request-id": z.string() }),
  }),
});

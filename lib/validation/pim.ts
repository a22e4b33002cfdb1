/**
 * Input schemas of the engine's use cases, shared by forms, server actions and the Graph API.
 * Dates accept Date objects or ISO strings. Role-setting rules (maximum durations, justification,
 * ticket, MFA, approval) are enforced by the use cases against the database, not here.
 */
import { z } from "zod";
import { optionalText, requiredText, storableString } from "./text";

export const scopeId = storableString().regex(/^\/(administrativeUnits\/[0-9a-f-]{36})?$/i, {
  message: 'The scope is "/" or "/administrativeUnits/{id}".',
});
const date = z.coerce.date({ message: "Enter a valid date and time." });
export const justification = optionalText(500);
const ticket = { ticketNumber: optionalText(100), ticketSystem: optionalText(100) };

// ------------------------------------------------------------------ role settings
export const approverRef = z.object({ type: z.enum(["User", "Group"]), id: z.uuid() });
export const approvalStageInput = z
  .object({
    mode: z.enum(["anyOne", "all", "nOfM"]),
    required: z.number().int().min(1).max(50).optional(),
    approvers: z.array(approverRef).min(1, { message: "Select at least one approver for this stage." }).max(50),
    escalationHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 14)
      .optional(),
  })
  .superRefine((s, ctx) => {
    if (s.mode === "nOfM" && !s.required)
      ctx.addIssue({ code: "custom", path: ["required"], message: "Say how many approvals this stage needs." });
    if (
      s.mode === "nOfM" &&
      s.required &&
      s.approvers.every((a) => a.type === "User") &&
      s.required > s.approvers.length
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["required"],
        message: `This stage has ${s.approvers.length} approver(s): it cannot need ${s.required}.`,
      });
    }
    const ids = s.approvers.map((a) => a.id);
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: "custom", path: ["approvers"], message: "An approver is listed twice." });
  });

const notificationRule = z.object({
  defaultRecipients: z.boolean(),
  additionalRecipients: z.array(z.email({ message: "Additional recipients must be email addresses." })).max(20),
  criticalOnly: z.boolean(),
});
const notificationRow = z.object({ admin: notificationRule, assignee: notificationRule, approver: notificationRule });

/** Every setting of §3; omitted settings keep their current value (patch semantics). */
export const updateRoleSettingsInput = z.object({
  roleDefinitionId: z.uuid(),
  directoryScopeId: scopeId.default("/"),
  activationMaxMinutes: z
    .number()
    .int()
    .min(30, { message: "Activation maximum duration is at least 0.5 hours." })
    .max(1440, { message: "Activation maximum duration is at most 24 hours." })
    .optional(),
  activationRequireMfa: z.boolean().optional(),
  activationRequireJustification: z.boolean().optional(),
  activationRequireTicket: z.boolean().optional(),
  approvalRequired: z.boolean().optional(),
  approvalStages: z.array(approvalStageInput).max(5, { message: "At most 5 approval stages." }).optional(),
  allowPermanentEligible: z.boolean().optional(),
  eligibleMaxDays: z.number().int().min(1).max(3650).optional(),
  allowPermanentActive: z.boolean().optional(),
  activeMaxDays: z.number().int().min(1).max(3650).optional(),
  activeRequireMfa: z.boolean().optional(),
  activeRequireJustification: z.boolean().optional(),
  notifications: z
    .object({ eligibleAssigned: notificationRow, activeAssigned: notificationRow, eligibleActivated: notificationRow })
    .optional(),
});
export type UpdateRoleSettingsInput = z.input<typeof updateRoleSettingsInput>;

// ------------------------------------------------------------------ admin assignments
const endOrPermanent = {
  /** null or absent = permanent (when the role's settings allow it). */
  endDateTime: date.nullable().optional(),
  /** Optional explicit flag; `false` requires an end. */
  permanent: z.boolean().optional(),
};
const needsEnd = (v: { endDateTime?: Date | null; permanent?: boolean }, ctx: z.RefinementCtx) => {
  if (v.permanent === false && !v.endDateTime)
    ctx.addIssue({ code: "custom", path: ["endDateTime"], message: "Enter when it ends, or make it permanent." });
  if (v.permanent === true && v.endDateTime)
    ctx.addIssue({ code: "custom", path: ["endDateTime"], message: "A permanent assignment has no end." });
};

export const assignRoleInput = z
  .object({
    assignmentType: z.enum(["Eligible", "Active"]),
    principalId: z.uuid(),
    principalType: z.enum(["User", "Group", "ServicePrincipal"]),
    roleDefinitionId: z.uuid(),
    directoryScopeId: scopeId.default("/"),
    /** Default: now. */
    startDateTime: date.optional(),
    ...endOrPermanent,
    justification,
    ...ticket,
  })
  .superRefine(needsEnd);
export type AssignRoleInput = z.input<typeof assignRoleInput>;

export const scheduleRef = { kind: z.enum(["eligibility", "assignment"]), scheduleId: z.uuid() };

export const updateAssignmentInput = z
  .object({ ...scheduleRef, startDateTime: date.optional(), ...endOrPermanent, justification, ...ticket })
  .superRefine(needsEnd);
export type UpdateAssignmentInput = z.input<typeof updateAssignmentInput>;

export const extendAssignmentInput = z
  .object({ ...scheduleRef, ...endOrPermanent, justification, ...ticket })
  .superRefine(needsEnd);
export type ExtendAssignmentInput = z.input<typeof extendAssignmentInput>;

export const renewAssignmentInput = z
  .object({ ...scheduleRef, startDateTime: date.optional(), ...endOrPermanent, justification, ...ticket })
  .superRefine(needsEnd);
export type RenewAssignmentInput = z.input<typeof renewAssignmentInput>;

export const removeAssignmentInput = z.object({ ...scheduleRef, justification, ...ticket });
export type RemoveAssignmentInput = z.input<typeof removeAssignmentInput>;

// ------------------------------------------------------------------ self service
export const activateRoleInput = z
  .object({
    roleDefinitionId: z.uuid({ message: "Choose a role from My roles." }),
    /** The scope to activate at; may narrow a directory-wide eligibility to an administrative unit. */
    directoryScopeId: scopeId.default("/"),
    /** Pick a specific eligibility (e.g. the one through a group); default: the best matching one. */
    eligibilityScheduleId: z.uuid({ message: "Choose a role from My roles." }).optional(),
    /** Custom start (default now, at most 30 days ahead). A future start gives a scheduled (Granted) activation. */
    startDateTime: date.optional(),
    /** Minutes; default the role's maximum. Or `duration` in ISO 8601 (PT4H). */
    durationMinutes: z
      .number({ message: "Choose a duration from the list." })
      .int({ message: "Choose a duration from the list." })
      .min(5, { message: "Activate for at least 5 minutes." })
      .max(1440, { message: "Activate for at most 24 hours." })
      .optional(),
    duration: storableString().max(40).regex(/^P/, { message: "Use an ISO 8601 duration such as PT4H." }).optional(),
    justification,
    ...ticket,
  })
  .refine((v) => !(v.durationMinutes && v.duration), {
    message: "Give durationMinutes or duration, not both.",
    path: ["duration"],
  });
export type ActivateRoleInput = z.input<typeof activateRoleInput>;

export const deactivateRoleInput = z
  .object({
    scheduleId: z.uuid().optional(),
    roleDefinitionId: z.uuid().optional(),
    directoryScopeId: scopeId.default("/"),
    justification,
  })
  .refine((v) => v.scheduleId || v.roleDefinitionId, {
    message: "Say which activation to deactivate.",
    path: ["scheduleId"],
  });
export type DeactivateRoleInput = z.input<typeof deactivateRoleInput>;

/** A request by its id, or a scheduled activation by its schedule id (the request that created it is canceled). */
export const cancelRequestInput = z
  .object({
    requestId: z.uuid({ message: "Say which request to cancel." }).optional(),
    scheduleId: z.uuid({ message: "Say which scheduled activation to cancel." }).optional(),
  })
  .refine((v) => Boolean(v.requestId) !== Boolean(v.scheduleId), {
    message: "Say which request to cancel.",
    path: ["requestId"],
  });
export type CancelRequestInput = z.input<typeof cancelRequestInput>;

/** Self-extension (end within 14 days) or self-renewal (ended within 30 days): asks the admins. */
export const requestExtensionInput = z
  .object({ ...scheduleRef, ...endOrPermanent, justification, ...ticket })
  .superRefine(needsEnd);
export type RequestExtensionInput = z.input<typeof requestExtensionInput>;
export const requestRenewalInput = requestExtensionInput;
export type RequestRenewalInput = RequestExtensionInput;

// ------------------------------------------------------------------ approval
const decisionJustification = requiredText({ max: 500, required: "Write why you approve or deny." });

/** A stage (0-based) as the decider saw it: approval policies have at most 5. */
const seenStage = z.number().int().min(0).max(4);

export const decideRequestInput = z.object({
  requestId: z.uuid(),
  decision: z.enum(["Approve", "Deny"]),
  justification: decisionJustification,
  /** The stage the decider is deciding (Graph's `stages/{id}`, the stage the page showed); another → Conflict. */
  stage: seenStage.optional(),
});
export type DecideRequestInput = z.input<typeof decideRequestInput>;

export const decideRequestsInput = z.object({
  requestIds: z.array(z.uuid()).min(1, { message: "Select at least one request." }).max(100),
  decision: z.enum(["Approve", "Deny"]),
  justification: decisionJustification,
  /** The stage the page showed for each request (as `decideRequestInput.stage`). */
  stages: z.record(z.uuid(), seenStage).optional(),
});
export type DecideRequestsInput = z.input<typeof decideRequestsInput>;

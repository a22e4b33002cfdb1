import "@/lib/validation/zod-config";
import { z } from "zod";
import { storableString } from "@/lib/validation/text";

/**
 * The role settings form (§3), checked in the browser and again in the action before the use case
 * validates against its own schema. Durations are shown in hours (activation) and days (assignment).
 */
const emails = storableString()
  .max(2000)
  .transform((s) =>
    s
      .split(/[,;\s]+/)
      .map((e) => e.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.email({ message: "Additional recipients must be email addresses, separated by commas." }))
      .max(20, { message: "At most 20 additional recipients." }),
  );

const rule = z.object({ defaultRecipients: z.boolean(), additionalRecipients: emails, criticalOnly: z.boolean() });
const recipients = z.object({ admin: rule, assignee: rule, approver: rule });

const approver = z.object({ id: z.uuid(), type: z.enum(["User", "Group"]), displayName: storableString() });
const stage = z
  .object({
    mode: z.enum(["anyOne", "all", "nOfM"]),
    required: z.coerce.number().int().min(1, { message: "At least 1." }).max(50).optional(),
    approvers: z.array(approver).min(1, { message: "Select at least one approver for this stage." }).max(50),
    /** Hours this stage may wait for its decision before the request expires (Entra: 24). */
    escalationHours: z.coerce
      .number({ message: "Enter a number of hours." })
      .int({ message: "Whole hours." })
      .min(1, { message: "At least 1 hour." })
      .max(24 * 14, { message: "At most 336 hours (14 days)." }),
  })
  .superRefine((s, ctx) => {
    if (s.mode === "nOfM") {
      if (!s.required)
        ctx.addIssue({ code: "custom", path: ["required"], message: "Say how many approvals this stage needs." });
      else if (s.approvers.every((a) => a.type === "User") && s.required > s.approvers.length) {
        ctx.addIssue({
          code: "custom",
          path: ["required"],
          message: `This stage has ${s.approvers.length} approver(s): it cannot need ${s.required}.`,
        });
      }
    }
  });

export const roleSettingsForm = z.object({
  activationMaxHours: z.coerce
    .number({ message: "Enter a number of hours." })
    .min(0.5, { message: "Activation maximum duration is at least 0.5 hours." })
    .max(24, { message: "Activation maximum duration is at most 24 hours." })
    .refine((h) => Number.isInteger(h * 2), { message: "Use half-hour steps (0.5, 1, 1.5, …)." }),
  activationRequireMfa: z.boolean(),
  activationRequireJustification: z.boolean(),
  activationRequireTicket: z.boolean(),
  approvalRequired: z.boolean(),
  approvalStages: z.array(stage).max(5, { message: "At most 5 approval stages." }),
  allowPermanentEligible: z.boolean(),
  eligibleMaxDays: z.coerce
    .number({ message: "Enter a number of days." })
    .int({ message: "Whole days." })
    .min(1, { message: "At least 1 day." })
    .max(3650, { message: "At most 3650 days." }),
  allowPermanentActive: z.boolean(),
  activeMaxDays: z.coerce
    .number({ message: "Enter a number of days." })
    .int({ message: "Whole days." })
    .min(1, { message: "At least 1 day." })
    .max(3650, { message: "At most 3650 days." }),
  activeRequireMfa: z.boolean(),
  activeRequireJustification: z.boolean(),
  notifications: z.object({ eligibleAssigned: recipients, activeAssigned: recipients, eligibleActivated: recipients }),
});
export type RoleSettingsFormIn = z.input<typeof roleSettingsForm>;
export type RoleSettingsFormOut = z.output<typeof roleSettingsForm>;

export const notificationEvents = [
  { key: "eligibleAssigned", label: "Send notifications when members are assigned as eligible to this role" },
  { key: "activeAssigned", label: "Send notifications when members are assigned as active to this role" },
  { key: "eligibleActivated", label: "Send notifications when eligible members activate this role" },
] as const;

export const recipientRows = {
  eligibleAssigned: {
    admin: "Role assignment alert (Admin)",
    assignee: "Notification to the assigned user (Assignee)",
    approver: "Request to approve a role assignment renewal/extension (Approver)",
  },
  activeAssigned: {
    admin: "Role assignment alert (Admin)",
    assignee: "Notification to the assigned user (Assignee)",
    approver: "Request to approve a role assignment renewal/extension (Approver)",
  },
  eligibleActivated: {
    admin: "Role activation alert (Admin)",
    assignee: "Notification to activated user (Requestor)",
    approver: "Request to approve an activation (Approver)",
  },
} as const;

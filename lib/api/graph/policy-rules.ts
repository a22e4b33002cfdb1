/**
 * Role settings ↔ Graph's 17 role management policy rules. Reading maps the engine's `RoleSettings`
 * onto the rules; PATCHing a rule maps it back to a partial `updateRoleSettings` input (the engine
 * validates the values, authorizes and audits).
 */
import type { NotificationEventKey, NotificationRecipientKey, NotificationSettings } from "@/db/schema";
import { parseIsoDuration, toIsoDuration, type RoleSettings, type UpdateRoleSettingsInputLike } from "./policy-types";
import { badRequest, notFound } from "../errors";
import type { PolicyRulePatchBody } from "./schemas";

type Caller = "Admin" | "EndUser";
type Level = "Assignment" | "Eligibility";
const target = (caller: Caller, level: Level) => ({
  "@odata.type": "microsoft.graph.unifiedRoleManagementPolicyRuleTarget",
  caller,
  operations: ["all"], // Graph answers lowercase (requests may send "All")
  level,
  inheritableSettings: [],
  enforcedSettings: [],
});
const T = "#microsoft.graph.unifiedRoleManagementPolicy";

const NOTIFY: {
  id: string;
  event: NotificationEventKey;
  recipient: NotificationRecipientKey;
  caller: Caller;
  level: Level;
  recipientType: string;
}[] = [];
for (const [suffix, event, caller, level] of [
  ["Admin_Eligibility", "eligibleAssigned", "Admin", "Eligibility"],
  ["Admin_Assignment", "activeAssigned", "Admin", "Assignment"],
  ["EndUser_Assignment", "eligibleActivated", "EndUser", "Assignment"],
] as const) {
  for (const [who, recipient] of [
    ["Admin", "admin"],
    ["Requestor", "assignee"],
    ["Approver", "approver"],
  ] as const) {
    NOTIFY.push({ id: `Notification_${who}_${suffix}`, event, recipient, caller, level, recipientType: who });
  }
}

export const RULE_IDS = [
  "Expiration_EndUser_Assignment",
  "Enablement_EndUser_Assignment",
  "Approval_EndUser_Assignment",
  "AuthenticationContext_EndUser_Assignment",
  "Expiration_Admin_Eligibility",
  "Enablement_Admin_Eligibility",
  "Expiration_Admin_Assignment",
  "Enablement_Admin_Assignment",
  ...NOTIFY.map((n) => n.id),
] as const;

const days = (n: number) => `P${n}D`;

/** Every rule of a role's settings, in Graph's shapes. */
export function rulesOf(s: RoleSettings): Record<string, unknown>[] {
  const enabled = (pairs: [boolean, string][]) => pairs.filter(([on]) => on).map(([, name]) => name);
  const rules: Record<string, unknown>[] = [
    {
      "@odata.type": `${T}ExpirationRule`,
      id: "Expiration_EndUser_Assignment",
      isExpirationRequired: true,
      maximumDuration: toIsoDuration(s.activationMaxMinutes * 60_000),
      target: target("EndUser", "Assignment"),
    },
    {
      "@odata.type": `${T}EnablementRule`,
      id: "Enablement_EndUser_Assignment",
      enabledRules: enabled([
        [s.activationRequireMfa, "MultiFactorAuthentication"],
        [s.activationRequireJustification, "Justification"],
        [s.activationRequireTicket, "Ticketing"],
      ]),
      target: target("EndUser", "Assignment"),
    },
    {
      "@odata.type": `${T}ApprovalRule`,
      id: "Approval_EndUser_Assignment",
      target: target("EndUser", "Assignment"),
      setting: {
        "@odata.type": "microsoft.graph.approvalSettings",
        isApprovalRequired: s.approvalRequired,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: s.approvalStages.length > 1 ? "Serial" : "SingleStage",
        approvalStages: s.approvalStages.map((st) => ({
          "@odata.type": "microsoft.graph.unifiedApprovalStage",
          approvalStageTimeOutInDays: Math.max(1, Math.round((st.escalationHours ?? 24) / 24)),
          isApproverJustificationRequired: true,
          escalationTimeInMinutes: 0,
          isEscalationEnabled: false,
          escalationApprovers: [],
          primaryApprovers: st.approvers.map((a) =>
            a.type === "User"
              ? { "@odata.type": "#microsoft.graph.singleUser", userId: a.id, description: null, isBackup: false }
              : { "@odata.type": "#microsoft.graph.groupMembers", groupId: a.id, description: null, isBackup: false },
          ),
        })),
      },
    },
    {
      "@odata.type": `${T}AuthenticationContextRule`,
      id: "AuthenticationContext_EndUser_Assignment",
      isEnabled: false,
      claimValue: null,
      target: target("EndUser", "Assignment"),
    },
    {
      "@odata.type": `${T}ExpirationRule`,
      id: "Expiration_Admin_Eligibility",
      isExpirationRequired: !s.allowPermanentEligible,
      maximumDuration: days(s.eligibleMaxDays),
      target: target("Admin", "Eligibility"),
    },
    {
      "@odata.type": `${T}EnablementRule`,
      id: "Enablement_Admin_Eligibility",
      enabledRules: [],
      target: target("Admin", "Eligibility"),
    },
    {
      "@odata.type": `${T}ExpirationRule`,
      id: "Expiration_Admin_Assignment",
      isExpirationRequired: !s.allowPermanentActive,
      maximumDuration: days(s.activeMaxDays),
      target: target("Admin", "Assignment"),
    },
    {
      "@odata.type": `${T}EnablementRule`,
      id: "Enablement_Admin_Assignment",
      enabledRules: enabled([
        [s.activeRequireMfa, "MultiFactorAuthentication"],
        [s.activeRequireJustification, "Justification"],
      ]),
      target: target("Admin", "Assignment"),
    },
  ];
  for (const n of NOTIFY) {
    const cell = s.notifications[n.event][n.recipient];
    rules.push({
      "@odata.type": `${T}NotificationRule`,
      id: n.id,
      notificationType: "Email",
      recipientType: n.recipientType,
      notificationLevel: cell.criticalOnly ? "Critical" : "All",
      isDefaultRecipientsEnabled: cell.defaultRecipients,
      notificationRecipients: cell.additionalRecipients,
      target: target(n.caller, n.level),
    });
  }
  return rules;
}

export function ruleOf(s: RoleSettings, ruleId: string): Record<string, unknown> {
  const r = rulesOf(s).find((x) => x.id === ruleId);
  if (!r) throw notFound(`No rule '${ruleId}' in this policy. Rules: ${RULE_IDS.join(", ")}.`);
  return r;
}

const TYPE_OF: Record<string, string> = {
  Expiration: `${T}ExpirationRule`,
  Enablement: `${T}EnablementRule`,
  Approval: `${T}ApprovalRule`,
  Notification: `${T}NotificationRule`,
  AuthenticationContext: `${T}AuthenticationContextRule`,
};

/** The settings change a PATCH of `ruleId` asks for (only the fields that rule governs). */
export function patchFromRule(ruleId: string, body: PolicyRulePatchBody, s: RoleSettings): UpdateRoleSettingsInputLike {
  if (!(RULE_IDS as readonly string[]).includes(ruleId)) throw notFound(`No rule '${ruleId}' in this policy.`);
  const family = ruleId.split("_")[0] ?? "";
  if (TYPE_OF[family] !== body["@odata.type"])
    throw badRequest(
      `Rule '${ruleId}' is a ${TYPE_OF[family]?.replace("#microsoft.graph.", "")}; the body's @odata.type is ${body["@odata.type"]}.`,
    );
  if (body.id !== undefined && body.id !== ruleId)
    throw badRequest(`The body's id '${body.id}' does not match the rule '${ruleId}'.`);
  const wholeDays = (d: string, what: string) => {
    const ms = parseIsoDuration(d) ?? 0;
    if (ms % 86_400_000 !== 0 || ms === 0) throw badRequest(`${what} is counted in whole days (e.g. P90D).`);
    return ms / 86_400_000;
  };
  switch (body["@odata.type"]) {
    case `${T}ExpirationRule`: {
      if (ruleId === "Expiration_EndUser_Assignment") {
        if (!body.isExpirationRequired)
          throw badRequest("Activations always expire: isExpirationRequired must be true.");
        const ms = parseIsoDuration(body.maximumDuration) ?? 0;
        if (ms % 60_000 !== 0) throw badRequest("maximumDuration is counted in whole minutes.");
        return { activationMaxMinutes: ms / 60_000 };
      }
      const n = wholeDays(body.maximumDuration, "maximumDuration");
      return ruleId === "Expiration_Admin_Eligibility"
        ? { allowPermanentEligible: !body.isExpirationRequired, eligibleMaxDays: n }
        : { allowPermanentActive: !body.isExpirationRequired, activeMaxDays: n };
    }
    case `${T}EnablementRule`: {
      const on = new Set(body.enabledRules);
      if (ruleId === "Enablement_EndUser_Assignment") {
        return {
          activationRequireMfa: on.has("MultiFactorAuthentication"),
          activationRequireJustification: on.has("Justification"),
          activationRequireTicket: on.has("Ticketing"),
        };
      }
      if (ruleId === "Enablement_Admin_Assignment") {
        if (on.has("Ticketing")) throw badRequest("Ticketing is not an option for active assignments.");
        return {
          activeRequireMfa: on.has("MultiFactorAuthentication"),
          activeRequireJustification: on.has("Justification"),
        };
      }
      if (on.size > 0) throw badRequest("Enablement_Admin_Eligibility supports no enabled rules here.");
      return {};
    }
    case `${T}ApprovalRule`: {
      const st = body.setting;
      const stages = (st.approvalStages ?? []).map((stage, i) => {
        const approvers = (stage.primaryApprovers ?? []).map((a) =>
          "userId" in a ? { type: "User" as const, id: a.userId } : { type: "Group" as const, id: a.groupId },
        );
        const prev = s.approvalStages[i];
        // Graph has no quorum modes: a stage keeps its mode when its approvers are unchanged, else "any one"
        const same = prev && JSON.stringify(prev.approvers) === JSON.stringify(approvers);
        return {
          mode: same ? prev.mode : ("anyOne" as const),
          ...(same && prev.required ? { required: prev.required } : {}),
          approvers,
          escalationHours: (stage.approvalStageTimeOutInDays ?? 1) * 24,
        };
      });
      return { approvalRequired: st.isApprovalRequired && st.approvalMode !== "NoApproval", approvalStages: stages };
    }
    case `${T}NotificationRule`: {
      const n = NOTIFY.find((x) => x.id === ruleId);
      if (!n) throw notFound(`No rule '${ruleId}'.`);
      if (body.recipientType && body.recipientType !== n.recipientType)
        throw badRequest(`Rule '${ruleId}' is for recipientType ${n.recipientType}.`);
      if (body.notificationLevel === "None")
        throw badRequest(
          "notificationLevel None is not supported; turn off isDefaultRecipientsEnabled and remove the recipients instead.",
        );
      const next: NotificationSettings = structuredClone(s.notifications);
      next[n.event][n.recipient] = {
        defaultRecipients: body.isDefaultRecipientsEnabled,
        additionalRecipients: body.notificationRecipients,
        criticalOnly: body.notificationLevel === "Critical",
      };
      return { notifications: next };
    }
    case `${T}AuthenticationContextRule`:
      return {};
  }
}

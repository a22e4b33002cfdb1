import type { AlertKey, AlertSettings } from "@/lib/validation/governance";

export type Severity = "High" | "Medium" | "Low";
export type AlertFix = "remove" | "makeEligible" | "requireMfa";

/** What the Alerts page says about each of Entra's six alerts (§9). */
export type AlertInfo = {
  key: AlertKey;
  title: string;
  severity: Severity;
  description: string;
  whyItMatters: string;
  howToFix: string;
  /** The one-click fixes offered on an affected item (only ones that are safe to do in one click). */
  fixes: AlertFix[];
  /** The threshold in words, from the settings. */
  trigger: (s: AlertSettings) => string;
};

export const alertCatalog: Record<AlertKey, AlertInfo> = {
  rolesAssignedOutsidePim: {
    key: "rolesAssignedOutsidePim",
    title: "Roles are being assigned outside of PIM",
    severity: "High",
    description: "Active role assignments exist that were not made through Privileged Identity Management.",
    whyItMatters:
      "Assignments made by another tool or written straight into the database skip PIM's approval, justification, " +
      "audit trail and expiry. An attacker who can write assignments directly would show up here.",
    howToFix:
      "Find out who made each assignment. Remove the ones that are not wanted; if the access is needed, make the " +
      "person eligible through PIM instead so it is audited and time-bound.",
    fixes: ["remove", "makeEligible"],
    trigger: () => "Any active assignment not made through PIM",
  },
  staleAccounts: {
    key: "staleAccounts",
    title: "Potential stale accounts in a privileged role",
    severity: "Medium",
    description: "Accounts in a privileged role have not signed in recently.",
    whyItMatters:
      "Accounts that nobody uses are not watched: their passwords may be old or leaked, and a compromise goes unnoticed.",
    howToFix:
      "Check whether each account is still needed. Remove the role assignment of accounts that no longer need it.",
    fixes: ["remove"],
    trigger: (s) => `No sign-in for ${s.staleAccounts.days} days`,
  },
  adminsNotUsingRoles: {
    key: "adminsNotUsingRoles",
    title: "Administrators aren't using their privileged roles",
    severity: "Low",
    description: "Eligible administrators have not activated their role recently.",
    whyItMatters:
      "Every assignment someone does not use widens the attack surface for nothing. Least privilege means " +
      "removing what is not used.",
    howToFix: "Remove the eligible assignments that are not used, or start an access review of the role.",
    fixes: ["remove"],
    trigger: (s) => `No activation for ${s.adminsNotUsingRoles.days} days`,
  },
  rolesWithoutMfa: {
    key: "rolesWithoutMfa",
    title: "Roles don't require multifactor authentication for activation",
    severity: "Low",
    description: "Roles with eligible members can be activated without an MFA challenge.",
    whyItMatters: "Without MFA, a stolen password is enough to activate a privileged role.",
    howToFix: "Require MFA on activation in the role's settings.",
    fixes: ["requireMfa"],
    trigger: () => "Role settings without MFA on activation",
  },
  tooManyGlobalAdmins: {
    key: "tooManyGlobalAdmins",
    title: "There are too many global administrators",
    severity: "Low",
    description: "The number and share of Global Administrator assignments are over the thresholds.",
    whyItMatters:
      "Global Administrator can do everything. The more people hold it, the likelier one of them is compromised.",
    howToFix:
      "Remove Global Administrator from those who do not need it, or give them a less privileged role. Keep at " +
      "least two break-glass administrators.",
    fixes: ["remove", "makeEligible"],
    trigger: (s) =>
      `At least ${s.tooManyGlobalAdmins.minCount} Global Administrator assignments and at least ${s.tooManyGlobalAdmins.minPercent}% of all assignments`,
  },
  frequentActivation: {
    key: "frequentActivation",
    title: "Roles are being activated too frequently",
    severity: "Low",
    description: "The same person activated the same role many times in a short time.",
    whyItMatters:
      "Frequent activations suggest the activation maximum is too short for the work, or that someone is probing.",
    howToFix:
      "Ask the person why; if the work is legitimate, raise the role's activation maximum duration in its settings.",
    fixes: [],
    trigger: (s) =>
      `At least ${s.frequentActivation.count} activations within ${s.frequentActivation.windowHours} hours`,
  },
};

export const severityRank: Record<Severity, number> = { High: 0, Medium: 1, Low: 2 };

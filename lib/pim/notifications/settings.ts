import type {
  NotificationEventKey,
  NotificationRecipientKey,
  NotificationRule,
  NotificationSettings,
} from "@/db/schema";

/** Entra's defaults: every row on, no additional recipients, all emails (not only critical ones). */
export const defaultNotificationRule = (): NotificationRule => ({
  defaultRecipients: true,
  additionalRecipients: [],
  criticalOnly: false,
});

const EVENTS: NotificationEventKey[] = ["eligibleAssigned", "activeAssigned", "eligibleActivated"];
const RECIPIENTS: NotificationRecipientKey[] = ["admin", "assignee", "approver"];

export function defaultNotificationSettings(): NotificationSettings {
  const out = {} as NotificationSettings;
  for (const e of EVENTS) {
    out[e] = {
      admin: defaultNotificationRule(),
      assignee: defaultNotificationRule(),
      approver: defaultNotificationRule(),
    };
  }
  return out;
}

/**
 * The effective rule for one cell of the 3 × 3 matrix. A null column (or a missing cell, or a
 * partially written cell) falls back to Entra's defaults field by field.
 */
export function ruleFor(
  settings: Partial<Record<string, Partial<Record<string, Partial<NotificationRule>>>>> | null | undefined,
  event: NotificationEventKey,
  recipient: NotificationRecipientKey,
): NotificationRule {
  const cell = settings?.[event]?.[recipient];
  const d = defaultNotificationRule();
  const extra = Array.isArray(cell?.additionalRecipients) ? cell.additionalRecipients : [];
  return {
    defaultRecipients: typeof cell?.defaultRecipients === "boolean" ? cell.defaultRecipients : d.defaultRecipients,
    additionalRecipients: extra
      .filter((x): x is string => typeof x === "string")
      .map((x) => x.trim())
      .filter((x) => /^[^\s@]+@[^\s@]+$/.test(x)),
    criticalOnly: typeof cell?.criticalOnly === "boolean" ? cell.criticalOnly : d.criticalOnly,
  };
}

export const notificationMatrixKeys = { events: EVENTS, recipients: RECIPIENTS };

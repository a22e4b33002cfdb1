/** The numbers of ../shared/pim-reference.md §2–§6, in one place. */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Every eligibility/assignment/activation lasts at least this long (§2). */
export const MIN_SCHEDULE_MS = 5 * MINUTE;
/** An assignment cannot be removed, nor an activation deactivated, this soon after it was created/started (§2, §4). */
export const REMOVE_GRACE_MS = 5 * MINUTE;
/** A session's MFA counts as "recent" for MFA rules for this long after the challenge. */
export const MFA_RECENT_MS = 15 * MINUTE;
/** A pending request times out after this long without a decision (§5); a stage's `escalationHours` overrides it. */
export const APPROVAL_TIMEOUT_MS = 24 * HOUR;

/** When a request waiting at `stage` times out: the stage's own `escalationHours`, else 24 hours (§5). */
export function stageDeadline(now: Date, stage: { escalationHours?: number } | undefined): Date {
  const hours = stage?.escalationHours;
  return new Date(now.getTime() + (hours && hours > 0 ? hours * HOUR : APPROVAL_TIMEOUT_MS));
}

/** "24 hours", "3 days": how long a stage waits, for messages. */
export function stageWaitWords(stage: { escalationHours?: number } | undefined): string {
  const h = stage?.escalationHours && stage.escalationHours > 0 ? stage.escalationHours : 24;
  if (h % 24 === 0 && h > 24) return `${h / 24} days`;
  return h === 1 ? "1 hour" : `${h} hours`;
}
/** Self-extension is offered when the end is this close (§4). */
export const EXTEND_WINDOW_MS = 14 * DAY;
/** Self-renewal is offered for schedules that ended at most this long ago (§4). */
export const RENEW_WINDOW_MS = 30 * DAY;
/** Expired rows the read models show by default (§2). */
export const EXPIRED_LIST_MS = 30 * DAY;
/** Expiring-soon reminders (§6). */
export const EXPIRING_NOTICE_DAYS = [14, 1] as const;
/** A custom start this far in the past is treated as "now" (clock skew between browser and server); earlier is refused. */
export const START_SKEW_MS = 5 * MINUTE;
/**
 * How far ahead a custom activation start may be. Entra documents no limit; 30 days catches a typo in the year
 * (README, "Where we differ from Entra").
 */
export const MAX_START_AHEAD_DAYS = 30;
export const MAX_START_AHEAD_MS = MAX_START_AHEAD_DAYS * DAY;
/** The Activate form asks for a confirmation when the custom start is at least this far ahead. */
export const CONFIRM_START_AHEAD_MS = DAY;

export const DEFAULT_ROLE_SETTINGS = {
  activationMaxMinutes: 8 * 60,
  activationRequireMfa: false,
  activationRequireJustification: true,
  activationRequireTicket: false,
  approvalRequired: false,
  allowPermanentEligible: true,
  eligibleMaxDays: 365,
  allowPermanentActive: true,
  activeMaxDays: 180,
  activeRequireMfa: false,
  activeRequireJustification: true,
} as const;

export const ms = { MINUTE, HOUR, DAY };

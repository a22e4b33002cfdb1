/**
 * Domain events that notify people (§7). Use cases call `emitNotification(tx, now, event)` inside their
 * own transaction; lib/pim/notifications/emit.ts resolves recipients from the role's notification
 * settings (the 3 × 3 matrix) and writes rows to the `notifications` outbox in that same transaction.
 */
export type NotificationEvent =
  | { type: "eligibleAssigned"; scheduleId: string; requestId: string | null }
  | { type: "activeAssigned"; scheduleId: string; requestId: string | null }
  | { type: "activationPendingApproval"; requestId: string }
  | { type: "requestApproved"; requestId: string; approverId: string }
  | { type: "requestDenied"; requestId: string; approverId: string }
  | { type: "requestTimedOut"; requestId: string }
  | { type: "requestCanceled"; requestId: string }
  | { type: "roleActivated"; scheduleId: string; requestId: string | null }
  /** The holder deactivated their activation (no notice to people; systems learn of it by webhook). */
  | { type: "roleDeactivated"; scheduleId: string; requestId: string }
  | { type: "assignmentRemoved"; kind: "eligibility" | "assignment"; scheduleId: string; requestId: string | null }
  | { type: "expiringSoon"; kind: "eligibility" | "assignment"; scheduleId: string; days: 14 | 1 }
  /** A security alert (today: the audit chain verification found breaks); people are told by the alert itself. */
  | {
      type: "alertRaised";
      alert: string;
      severity: "High" | "Medium" | "Low";
      description: string;
      details: Record<string, unknown>;
    }
  | { type: "expired"; kind: "eligibility" | "assignment"; scheduleId: string };

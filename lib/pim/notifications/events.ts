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
  | { type: "expired"; kind: "eligibility" | "assignment"; scheduleId: string }
  | GovernanceEvent;

/**
 * Governance notices (issue 14): security alerts and access reviews. Rendered by ./governance-notices.ts. An alert
 * is also the webhooks' `alert.raised` event: the six PIM alerts (lib/pim/governance) and a broken audit chain
 * (`auditChainBroken`, whose notices lib/pim/audit-chain/duties.ts writes itself).
 */
export type GovernanceEvent =
  | {
      type: "alertRaised";
      alertKey: string;
      severity: "High" | "Medium" | "Low";
      description: string;
      affectedCount: number;
      raisedAt: string;
      details?: Record<string, unknown>;
    }
  | { type: "reviewStarted"; instanceId: string }
  | { type: "reviewReminder"; instanceId: string }
  | { type: "reviewCompleted"; instanceId: string };

export const isGovernanceEvent = (e: { type: string }): e is GovernanceEvent =>
  e.type === "alertRaised" || e.type === "reviewStarted" || e.type === "reviewReminder" || e.type === "reviewCompleted";

import { Badge, type BadgeTone } from "@/components/ui/badge";

/** Words and tone for request statuses (Graph's spellings in, people's words out). */
const requestStatus: Record<string, { text: string; tone: BadgeTone }> = {
  PendingApproval: { text: "Pending approval", tone: "warning" },
  PendingProvisioning: { text: "Pending", tone: "warning" },
  Granted: { text: "Approved (scheduled)", tone: "info" },
  ScheduleCreated: { text: "Scheduled", tone: "info" },
  Provisioned: { text: "Approved", tone: "success" },
  Denied: { text: "Denied", tone: "danger" },
  Canceled: { text: "Canceled", tone: "neutral" },
  Revoked: { text: "Revoked", tone: "neutral" },
  Failed: { text: "Failed", tone: "danger" },
  TimedOut: { text: "Expired (no decision)", tone: "neutral" },
};

/** Words and tone for schedule (assignment/activation) statuses. */
const scheduleStatus: Record<string, { text: string; tone: BadgeTone }> = {
  Provisioned: { text: "Active", tone: "success" },
  Granted: { text: "Scheduled", tone: "info" },
  Expired: { text: "Expired", tone: "neutral" },
  Revoked: { text: "Ended", tone: "neutral" },
  Canceled: { text: "Canceled", tone: "neutral" },
};

/** The text a status badge shows (for tests and exports). */
export function statusText(status: string, kind: "request" | "schedule" = "request"): string {
  return (kind === "request" ? requestStatus : scheduleStatus)[status]?.text ?? status;
}

/** A request's or a schedule's status as a badge; the Graph value is kept in data-status for tests. */
export function StatusBadge({ status, kind = "request" }: { status: string; kind?: "request" | "schedule" }) {
  const s = (kind === "request" ? requestStatus : scheduleStatus)[status] ?? { text: status, tone: "neutral" as const };
  return (
    <span data-status={status}>
      <Badge tone={s.tone}>{s.text}</Badge>
    </span>
  );
}

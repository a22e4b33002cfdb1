import { Badge } from "@/components/ui/badge";
import type { AlertStatus } from "@/lib/pim/queries/alerts";

export function SeverityBadge({ severity }: { severity: "High" | "Medium" | "Low" }) {
  return <Badge tone={severity === "High" ? "danger" : severity === "Medium" ? "warning" : "info"}>{severity}</Badge>;
}

const statusWords: Record<AlertStatus, string> = {
  Active: "Active",
  Dismissed: "Dismissed",
  Resolved: "No issues",
  Off: "Turned off",
  NotEvaluated: "Not evaluated yet",
};

export function AlertStatusBadge({ status }: { status: AlertStatus }) {
  return (
    <Badge tone={status === "Active" ? "warning" : status === "Resolved" ? "success" : "neutral"}>
      {statusWords[status]}
    </Badge>
  );
}

import type { ActivityQuery, ActivityRow } from "@/lib/pim/queries/activity-log";
import { dateRange, type ActivityFilters, type AuditRowView } from "./filters";

export function toActivityQuery(f: ActivityFilters): ActivityQuery {
  const { since, until } = dateRange(f);
  return {
    view: f.view,
    since,
    until,
    actor: f.actor,
    target: f.target,
    roleDefinitionId: f.role,
    action: f.action,
    result: f.result,
  };
}

export function toRowView(r: ActivityRow, scopeLabel: (id: string | null) => string): AuditRowView {
  return {
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    actorName: r.actorName,
    activity: r.activity,
    operation: r.operation,
    targetName: r.targetName,
    roleName: r.roleName,
    scopeLabel: scopeLabel(r.directoryScopeId),
    justification: r.justification,
    ticket: r.ticketNumber ? `${r.ticketSystem ? `${r.ticketSystem} ` : ""}${r.ticketNumber}` : null,
    result: r.result,
    resultReason: r.resultReason,
    requestId: r.requestId,
  };
}

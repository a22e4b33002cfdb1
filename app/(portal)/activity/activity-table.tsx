"use client";

import { Badge } from "@/components/ui/badge";
import { DataTable, dataTableColumns } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import type { AuditRowView } from "./filters";

const dash = <span className="text-neutral-600">-</span>;
const h = dataTableColumns<AuditRowView>();
const columns = h.columns([
  h.accessor("createdAt", {
    header: "Time",
    meta: { className: "whitespace-nowrap" },
    cell: ({ getValue }) => <LocalTime value={getValue()} />,
  }),
  h.accessor((r) => r.actorName ?? "", { id: "actor", header: "Actor", cell: ({ getValue }) => getValue() || dash }),
  h.accessor("activity", { header: "Activity" }),
  h.accessor((r) => r.targetName ?? "", { id: "target", header: "Target", cell: ({ getValue }) => getValue() || dash }),
  h.accessor((r) => r.roleName ?? "", { id: "role", header: "Role", cell: ({ getValue }) => getValue() || dash }),
  h.accessor("scopeLabel", { header: "Scope" }),
  h.accessor((r) => r.justification ?? "", {
    id: "justification",
    header: "Justification",
    enableSorting: false,
    meta: { className: "max-w-xs break-words" },
    cell: ({ row: { original: r } }) => (
      <span>
        {r.justification ?? dash}
        {r.ticket && <span className="block text-xs text-neutral-700">Ticket {r.ticket}</span>}
      </span>
    ),
  }),
  h.accessor("result", {
    header: "Result",
    cell: ({ row: { original: r } }) => (
      <span className="flex flex-col items-start gap-0.5">
        <Badge tone={r.result === "success" ? "success" : "danger"}>
          {r.result === "success" ? "Success" : "Failure"}
        </Badge>
        {r.resultReason && <span className="max-w-48 text-xs text-neutral-700">{r.resultReason}</span>}
      </span>
    ),
  }),
]);

/** The audit rows of one page, newest first (the server's order; sorting a column re-sorts this page only). */
export function ActivityTable({
  rows,
  caption,
  filtered,
  view,
}: {
  rows: AuditRowView[];
  caption: string;
  filtered: boolean;
  view: "resource" | "mine";
}) {
  return (
    <DataTable
      caption={caption}
      data={rows}
      columns={columns}
      getRowId={(r) => String(r.id)}
      rowTestId={(r) => `audit-${r.id}`}
      empty={
        filtered ? (
          <EmptyState title="No activity matches these filters">Widen the date range or clear a filter.</EmptyState>
        ) : (
          <EmptyState title="No activity yet">
            {view === "mine"
              ? "Your activations, requests and approvals, and the changes administrators make to your roles, appear here."
              : "Every assignment, activation, approval and settings change in the directory appears here."}
          </EmptyState>
        )
      }
    />
  );
}

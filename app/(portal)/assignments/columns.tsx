"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { dataTableColumns } from "@/components/ui/data-table";
import { LocalTime } from "@/components/ui/local-time";
import type { RowAction } from "./row-action-panel";
import { principalTypeWords, type AssignmentRowView, type AssignmentTab } from "./types";

const sr = (s: string) => <span className="sr-only"> {s}</span>;

/**
 * The blade's columns: Name, Principal name, Type, Scope, Membership, (State on the Active tab), Start time,
 * End time, Action. Only PIM admins get actions; activations and group-inherited rows are not managed here.
 */
export function assignmentColumns(
  tab: AssignmentTab,
  canManage: boolean,
  onAct: (action: RowAction | "cancel", row: AssignmentRowView) => void,
) {
  const h = dataTableColumns<AssignmentRowView>();
  return h.columns([
    h.accessor("principalName", {
      header: "Name",
      meta: { className: "whitespace-nowrap" },
      cell: ({ getValue }) => <span className="font-medium text-neutral-900">{getValue()}</span>,
    }),
    // Long principal names are cut as in the portal; the full name stays in the text (screen readers, search) and the tooltip.
    h.accessor("principalDetail", {
      header: "Principal name",
      cell: ({ getValue }) => (
        <span className="block max-w-64 truncate" title={getValue()}>
          {getValue()}
        </span>
      ),
    }),
    h.accessor((r) => principalTypeWords[r.principalType], { id: "type", header: "Type" }),
    h.accessor("scopeLabel", { header: "Scope" }),
    h.accessor("memberType", { header: "Membership" }),
    ...(tab === "active"
      ? [
          h.accessor((r) => (r.scheduled ? "Scheduled" : (r.assignmentType ?? "Assigned")), {
            id: "state",
            header: "State",
            cell: ({ row: { original: r } }) =>
              r.scheduled ? (
                <span className="flex flex-col items-start gap-0.5">
                  <Badge tone="info">Scheduled</Badge>
                  <span className="text-xs text-neutral-700">{r.assignmentType ?? "Assigned"}</span>
                </span>
              ) : (
                (r.assignmentType ?? "Assigned")
              ),
          }),
        ]
      : []),
    h.accessor("startDateTime", {
      header: "Start time",
      sortFn: "alphanumeric",
      cell: ({ getValue }) => <LocalTime value={getValue()} />,
    }),
    h.accessor((r) => r.endDateTime ?? "~", {
      id: "end",
      header: "End time",
      sortFn: "alphanumeric",
      cell: ({ row }) => (
        <LocalTime
          value={row.original.endDateTime}
          relative={tab === "expired" ? undefined : { future: "ends", past: "ended" }}
        />
      ),
    }),
    h.display({
      id: "action",
      header: "Action",
      meta: { className: "whitespace-nowrap" },
      cell: ({ row: { original: r } }) => (
        <RowActions row={r} tab={tab} canManage={canManage} onAct={(a) => onAct(a, r)} />
      ),
    }),
  ]);
}

function RowActions({
  row,
  tab,
  canManage,
  onAct,
}: {
  row: AssignmentRowView;
  tab: AssignmentTab;
  canManage: boolean;
  onAct: (a: RowAction | "cancel") => void;
}) {
  if (!canManage) return <span className="text-neutral-700">-</span>;
  // Inherited rows are managed on the group's own assignment; activations belong to their holder.
  if (row.memberType === "Group") return <span className="text-neutral-700">Inherited</span>;
  const who = `${row.roleName} for ${row.principalName}`;
  // A scheduled activation has not started: admins may withdraw it (Entra: Remove); a started one is the member's.
  if (row.assignmentType === "Activated" && row.scheduled && tab === "active") {
    return (
      <Button variant="link" onClick={() => onAct("cancel")}>
        Cancel{sr(`scheduled activation of ${who}`)}
      </Button>
    );
  }
  if (row.assignmentType === "Activated") return <span className="text-neutral-700">Activated by the member</span>;
  if (tab === "expired") {
    return (
      <Button variant="link" onClick={() => onAct("renew")}>
        Renew{sr(who)}
      </Button>
    );
  }
  return (
    <span className="flex gap-3">
      <Button variant="link" onClick={() => onAct("update")}>
        Update{sr(who)}
      </Button>
      <Button variant="link" onClick={() => onAct("remove")}>
        Remove{sr(who)}
      </Button>
      {row.endDateTime !== null && (
        <Button variant="link" onClick={() => onAct("extend")}>
          Extend{sr(who)}
        </Button>
      )}
    </span>
  );
}

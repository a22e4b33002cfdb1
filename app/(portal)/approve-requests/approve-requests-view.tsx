"use client";

import Link from "@/components/ui/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { Check, RefreshCw, X } from "lucide-react";
import { CommandBar, CommandButton } from "@/components/ui/command-bar";
import { DataTable, dataTableColumns } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { actionWords, type RequestRow } from "../pending-requests/types";
import { DecisionPanel } from "./decision-panel";

/** `otherApprovers`: how many people besides me may decide it; `approversHref` lists them by name. */
export type ApprovableRow = RequestRow & { otherApprovers: number; approversHref: string };

/** Requests awaiting my decision: select one or many, then Approve or Deny with a justification. */
export function ApproveRequestsView({ rows, focusId = null }: { rows: ApprovableRow[]; focusId?: string | null }) {
  const router = useRouter();
  const focused = focusId ? rows.find((r) => r.id === focusId) : undefined;
  const [selected, setSelected] = useState<string[]>(focused ? [focused.id] : []);
  const [deciding, setDeciding] = useState<{ decision: "Approve" | "Deny"; rows: ApprovableRow[] } | null>(null);
  const [refreshing, startRefresh] = useTransition();
  const chosen = rows.filter((r) => selected.includes(r.id));

  const columns = useMemo(() => {
    const h = dataTableColumns<ApprovableRow>();
    return h.columns([
      h.accessor("principalName", {
        header: "Requestor",
        cell: ({ row: { original: r } }) => (
          <span>
            <span className="font-semibold">{r.principalName}</span>
            {r.principalUpn && <span className="block text-xs text-neutral-700">{r.principalUpn}</span>}
          </span>
        ),
      }),
      h.accessor("roleName", {
        header: "Role",
        cell: ({ row: { original: r } }) => (
          <span>
            {r.roleName}
            <span className="block text-xs text-neutral-700">{actionWords[r.action] ?? r.action}</span>
          </span>
        ),
      }),
      h.accessor("scopeName", { header: "Scope" }),
      h.accessor("created", { header: "Requested", cell: ({ getValue }) => <LocalTime value={getValue()} /> }),
      h.accessor("start", {
        header: "Start time",
        cell: ({ getValue }) => <LocalTime value={getValue()} empty="On approval" />,
      }),
      h.accessor("durationText", {
        header: "Duration",
        cell: ({ row: { original: r } }) => r.durationText ?? <LocalTime value={r.end} />,
      }),
      h.accessor("justification", {
        header: "Justification",
        enableSorting: false,
        meta: { className: "max-w-xs break-words" },
        cell: ({ row: { original: r } }) => (
          <span>
            {r.justification ?? "-"}
            {r.ticketNumber && (
              <span className="block text-xs text-neutral-700">
                Ticket {r.ticketNumber} ({r.ticketSystem})
              </span>
            )}
          </span>
        ),
      }),
      h.accessor((r) => r.otherApprovers, {
        id: "approvers",
        header: "Other approvers",
        enableSorting: false,
        cell: ({ row: { original: r } }) => (
          <span className="text-xs">
            {r.stageCount > 1 && (
              <span className="block font-semibold">
                Stage {r.stage + 1} of {r.stageCount}
              </span>
            )}
            {r.otherApprovers > 0 ? (
              <Link href={r.approversHref} scroll={false} className="text-[#0078d4] hover:underline">
                {r.otherApprovers} other approver{r.otherApprovers === 1 ? "" : "s"}
              </Link>
            ) : (
              "Only you"
            )}
          </span>
        ),
      }),
    ]);
  }, []);

  const open = (decision: "Approve" | "Deny") => setDeciding({ decision, rows: chosen });

  return (
    <>
      <CommandBar label="Approval commands">
        <CommandButton onClick={() => open("Approve")} disabled={chosen.length === 0}>
          <Check aria-hidden /> Approve{chosen.length > 0 ? ` (${chosen.length})` : ""}
        </CommandButton>
        <CommandButton onClick={() => open("Deny")} disabled={chosen.length === 0}>
          <X aria-hidden /> Deny{chosen.length > 0 ? ` (${chosen.length})` : ""}
        </CommandButton>
        <CommandButton onClick={() => startRefresh(() => router.refresh())} pending={refreshing}>
          {!refreshing && <RefreshCw aria-hidden />} Refresh
        </CommandButton>
      </CommandBar>
      {focusId && (
        <Notice tone={focused ? "info" : "warning"}>
          {focused
            ? `Opened from a notification: the request of ${focused.principalName} for ${focused.roleName} is selected. Approve or Deny it.`
            : "The request in your notification is not waiting for your decision any more: it was decided, canceled or expired, or you may no longer decide it."}
        </Notice>
      )}
      <p className="mb-2 text-sm text-neutral-700" aria-live="polite">
        {chosen.length === 0 ? "Select requests, then Approve or Deny." : `${chosen.length} selected.`}
      </p>
      <DataTable
        caption="Requests awaiting your decision"
        data={rows}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId={(r) => `approvable-${r.id}`}
        selection={{
          selected,
          onChange: setSelected,
          rowLabel: (r) => `Select the request of ${r.principalName} for ${r.roleName}`,
        }}
        empty={
          <EmptyState title="No requests to approve">
            When someone asks to activate a role you approve (or, for roles without named approvers, while you hold
            Privileged Role Administrator or Global Administrator), the request appears here. Your own requests never
            do.
          </EmptyState>
        }
      />
      {deciding && (
        <DecisionPanel
          decision={deciding.decision}
          rows={deciding.rows}
          onClose={(done) => {
            setDeciding(null);
            if (done) {
              setSelected([]);
              router.refresh();
            }
          }}
        />
      )}
    </>
  );
}

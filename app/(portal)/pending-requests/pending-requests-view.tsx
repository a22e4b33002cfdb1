"use client";

import Link from "@/components/ui/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { RefreshCw } from "lucide-react";
import { StatusBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CommandBar, CommandButton } from "@/components/ui/command-bar";
import { DataTable, dataTableColumns } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { cancelRequestAction } from "./actions";
import { actionWords, type RequestRow } from "./types";

const filterLink = "rounded-sm px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-[#0078d4]";

/** Granted activations read "Scheduled" until they start, then "Approved" (the stored status stays Granted). */
function RequestStatus({ row: r }: { row: RequestRow }) {
  if (r.status !== "Granted") return <StatusBadge status={r.status} />;
  return (
    <span data-status="Granted">
      <Badge tone={r.scheduled ? "info" : "success"}>{r.scheduled ? "Scheduled" : "Approved"}</Badge>
    </span>
  );
}

const canCancel = (r: RequestRow) => r.status === "PendingApproval" || r.scheduled;

/** My requests with status, stage, who decided, times, justification; Cancel while pending or scheduled. */
export function PendingRequestsView({ rows, pendingOnly }: { rows: RequestRow[]; pendingOnly: boolean }) {
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [canceling, setCanceling] = useState<RequestRow | null>(null);

  const columns = useMemo(() => {
    const h = dataTableColumns<RequestRow>();
    return h.columns([
      h.accessor("roleName", {
        header: "Role",
        cell: ({ getValue }) => <span className="font-semibold">{getValue()}</span>,
      }),
      h.accessor("scopeName", { header: "Scope" }),
      h.accessor((r) => actionWords[r.action] ?? r.action, { id: "request", header: "Request" }),
      h.accessor("status", {
        header: "Status",
        cell: ({ row: { original: r } }) => (
          <span className="flex flex-col items-start gap-0.5">
            <RequestStatus row={r} />
            {r.stageCount > 1 && r.status === "PendingApproval" && (
              <span className="text-xs font-semibold">
                Waiting at stage {r.stage + 1} of {r.stageCount}
              </span>
            )}
            {r.scheduled && r.start && (
              <span className="text-xs text-neutral-700">
                <LocalTime value={r.start} relative={{ future: "starts", past: "started" }} />
              </span>
            )}
            {r.decisions?.map((d) => (
              <span key={`${d.by}-${d.at}`} className="max-w-56 text-xs text-neutral-700">
                {r.stageCount > 1 ? `Stage ${d.stage + 1}: ` : ""}
                {d.decision === "Deny" ? "Denied" : "Approved"} by {d.by}: “{d.justification}”
              </span>
            ))}
          </span>
        ),
      }),
      h.accessor("created", { header: "Requested", cell: ({ getValue }) => <LocalTime value={getValue()} /> }),
      h.accessor("start", { header: "Start time", cell: ({ getValue }) => <LocalTime value={getValue()} empty="-" /> }),
      h.accessor("end", {
        header: "End time",
        cell: ({ getValue }) => <LocalTime value={getValue()} empty="Permanent" />,
      }),
      h.accessor("justification", {
        header: "Justification",
        enableSorting: false,
        meta: { className: "max-w-xs break-words" },
        cell: ({ row: { original: r } }) => (
          <span>
            {r.justification ?? <span className="text-neutral-600">-</span>}
            {r.ticketNumber && (
              <span className="block text-xs text-neutral-700">
                Ticket {r.ticketNumber} ({r.ticketSystem})
              </span>
            )}
          </span>
        ),
      }),
      h.display({
        id: "action",
        header: "Action",
        cell: ({ row: { original: r } }) =>
          canCancel(r) ? (
            <Button variant="link" onClick={() => setCanceling(r)}>
              Cancel
              <span className="sr-only">
                {r.scheduled ? " scheduled activation of" : " request for"} {r.roleName}
              </span>
            </Button>
          ) : null,
      }),
    ]);
  }, []);

  return (
    <>
      <CommandBar label="Request commands">
        <CommandButton onClick={() => startRefresh(() => router.refresh())} pending={refreshing}>
          {!refreshing && <RefreshCw aria-hidden />} Refresh
        </CommandButton>
      </CommandBar>
      <nav aria-label="Which requests" className="mb-2 flex gap-1">
        <Link
          href="/pending-requests"
          aria-current={!pendingOnly ? "page" : undefined}
          className={`${filterLink} ${!pendingOnly ? "bg-[#edebe9] font-semibold" : "text-[#0078d4] hover:underline"}`}
        >
          All my requests
        </Link>
        <Link
          href="/pending-requests?show=pending"
          aria-current={pendingOnly ? "page" : undefined}
          className={`${filterLink} ${pendingOnly ? "bg-[#edebe9] font-semibold" : "text-[#0078d4] hover:underline"}`}
        >
          Pending only
        </Link>
      </nav>
      <DataTable
        caption="My requests"
        data={rows}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId={(r) => `request-${r.id}`}
        empty={
          <EmptyState title={pendingOnly ? "No pending requests" : "You have made no requests"}>
            Requests you make on{" "}
            <Link href="/my-roles" className="text-[#0078d4] underline">
              My roles
            </Link>{" "}
            (activations that need approval, extensions, renewals) appear here with their status.
          </EmptyState>
        }
      />
      {canceling && <CancelDialog row={canceling} onClose={() => setCanceling(null)} />}
    </>
  );
}

function CancelDialog({ row, onClose }: { row: RequestRow; onClose: () => void }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [failure, setFailure] = useState<string | null>(null);
  const confirm = () =>
    start(async () => {
      const res = await cancelRequestAction({ requestId: row.id });
      if (!res.ok) {
        setFailure(describeFailure(res));
        return;
      }
      toast.success(
        row.scheduled
          ? `The scheduled activation of ${row.roleName} is canceled.`
          : `Your request for ${row.roleName} is canceled.`,
      );
      onClose();
      router.refresh();
    });
  return (
    <SidePanel
      open
      variant="dialog"
      title={row.scheduled ? "Cancel scheduled activation?" : "Cancel request?"}
      onClose={onClose}
      busy={pending}
      testId="cancel-dialog"
      footer={
        <>
          <Button variant="danger" onClick={confirm} pending={pending} pendingLabel="Canceling…" data-autofocus>
            {row.scheduled ? "Cancel activation" : "Cancel request"}
          </Button>
          <Button onClick={onClose} disabled={pending}>
            Keep it
          </Button>
        </>
      }
    >
      {failure && <Notice tone="error">{failure}</Notice>}
      {row.scheduled && row.start ? (
        <p className="text-sm">
          Your activation of {row.roleName} ({row.scopeName}) scheduled from <LocalTime value={row.start} /> is
          canceled; it never starts. You can activate the role again at any time while eligible.
        </p>
      ) : (
        <p className="text-sm">
          Your request to {(actionWords[row.action] ?? row.action).toLowerCase()} {row.roleName} ({row.scopeName}) is
          withdrawn; approvers no longer see it.
        </p>
      )}
    </SidePanel>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Plus, RefreshCw } from "lucide-react";
import Link from "@/components/ui/link";
import { Badge } from "@/components/ui/badge";
import { CommandBar, CommandButton } from "@/components/ui/command-bar";
import { DataTable, dataTableColumns } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { kindWords, recurrenceWords, reviewerWords, statusWords } from "./labels";
import type { ScopeOption } from "@/lib/pim/queries/search-principals";
import { NewReviewPanel, type ReviewDefaults } from "./new-review-panel";

export type ReviewRow = {
  id: string;
  displayName: string;
  roleNames: string[];
  assignmentKind: string;
  recurrence: string;
  reviewerType: string;
  stages: number;
  status: string;
  progress: string;
  endDateTime: string | null;
  createdByName: string | null;
};

export function ReviewStatusBadge({ status }: { status: string }) {
  const tone =
    status === "InProgress"
      ? "info"
      : status === "Completed"
        ? "warning"
        : status === "Applied"
          ? "success"
          : "neutral";
  return <Badge tone={tone}>{statusWords[status] ?? status}</Badge>;
}

const h = dataTableColumns<ReviewRow>();
const columns = h.columns([
  h.accessor("displayName", {
    header: "Name",
    cell: ({ row: { original: r } }) => (
      <Link className="font-semibold text-[#0078d4] hover:underline" href={`/access-reviews/${r.id}`}>
        {r.displayName}
      </Link>
    ),
  }),
  h.accessor((r) => r.roleNames.join(", "), { id: "roles", header: "Roles" }),
  h.accessor((r) => kindWords[r.assignmentKind] ?? r.assignmentKind, { id: "kind", header: "Assignment type" }),
  h.accessor(
    (r) => `${reviewerWords[r.reviewerType] ?? r.reviewerType}${r.stages > 1 ? ` (${r.stages} stages)` : ""}`,
    {
      id: "reviewers",
      header: "Reviewers",
    },
  ),
  h.accessor((r) => recurrenceWords[r.recurrence] ?? r.recurrence, { id: "recurrence", header: "Frequency" }),
  h.accessor("status", { header: "Status", cell: ({ getValue }) => <ReviewStatusBadge status={getValue()} /> }),
  h.accessor("progress", { header: "Reviewed" }),
  h.accessor("endDateTime", {
    header: "Ends",
    meta: { className: "whitespace-nowrap" },
    cell: ({ getValue }) => <LocalTime value={getValue()} empty="-" />,
  }),
]);

/** The Access reviews blade: + New access review (admins), Refresh, and the reviews. */
export function ReviewsView({
  rows,
  admin,
  roles,
  scopes,
  now,
  defaults,
}: {
  rows: ReviewRow[];
  admin: boolean;
  roles: { id: string; name: string }[];
  /** Directory and the administrative units: a review may cover one scope. */
  scopes: ScopeOption[];
  now: string;
  defaults: ReviewDefaults;
}) {
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [open, setOpen] = useState(false);
  return (
    <>
      <CommandBar label="Access reviews commands">
        {admin && (
          <CommandButton onClick={() => setOpen(true)}>
            <Plus aria-hidden /> New access review
          </CommandButton>
        )}
        <CommandButton onClick={() => startRefresh(() => router.refresh())} pending={refreshing}>
          {!refreshing && <RefreshCw aria-hidden />} Refresh
        </CommandButton>
      </CommandBar>
      {!admin && (
        <Notice>
          You can view access reviews. Creating and managing them needs an active Global Administrator or Privileged
          Role Administrator role.
        </Notice>
      )}
      <DataTable
        caption="Access reviews"
        data={rows}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId={(r) => `review-${r.id}`}
        empty={
          <EmptyState title="No access reviews yet">
            {admin
              ? "Create one with + New access review."
              : "Access reviews appear here once an administrator creates them."}
          </EmptyState>
        }
      />
      {admin && open && (
        <NewReviewPanel
          roles={roles}
          scopes={scopes}
          now={now}
          defaults={defaults}
          onClose={() => setOpen(false)}
          onCreated={(id) => {
            setOpen(false);
            router.push(`/access-reviews/${id}`);
          }}
        />
      )}
    </>
  );
}

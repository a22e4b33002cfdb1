"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { Download, Plus, RefreshCw, Search, Settings } from "lucide-react";
import { buttonClass } from "@/components/ui/button";
import { CommandBar, CommandButton, CommandLink } from "@/components/ui/command-bar";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { inputClass } from "@/components/ui/field";
import { queryString } from "@/components/ui/keyset";
import { Notice } from "@/components/ui/notice";
import { Loading, TableSkeleton } from "@/components/ui/skeleton";
import { TableFooter } from "@/components/ui/table-footer";
import { Tabs } from "@/components/ui/tabs";
import { toast } from "@/components/ui/toaster";
import type { AssignmentPolicy } from "@/lib/pim/queries/assignment-policies";
import type { ScopeOption } from "@/lib/pim/queries/search-principals";
import { AddAssignmentsPanel } from "./add-assignments-panel";
import { countText } from "@/components/ui/table-footer";
import { assignmentColumns } from "./columns";
import { RowActionPanel, type RowAction } from "./row-action-panel";
import { CancelScheduledDialog } from "@/components/cancel-scheduled-dialog";
import { cancelRequestAction } from "../pending-requests/actions";
import { parseTab, tabs, type AssignmentRowView, type AssignmentTab } from "./types";

type Props = {
  tab: AssignmentTab;
  q: string;
  rows: AssignmentRowView[];
  /** Capped ("1,000+"): the read model never counts the whole live set. */
  total: { n: number; exact: boolean };
  from: number;
  nextCursor: string | null;
  prevCursor: string | null;
  canManage: boolean;
  policies: AssignmentPolicy[];
  scopes: ScopeOption[];
  /** One role's view (Roles → a role → Assignments): its rows only, and Settings opens that role's settings. */
  role?: { id: string; displayName: string };
};

const PAGE = 25;

/**
 * The Assignments blade: command bar, tabs (each tab is its own server query, so switching navigates),
 * search, rows grouped by role, footer with keyset pages; Add and the row actions open side panels.
 */
export function AssignmentsView(p: Props) {
  const router = useRouter();
  const base = p.role ? `/roles/${p.role.id}/assignments` : "/assignments";
  const href = (tab: AssignmentTab, params: Record<string, string | number | null> = {}) =>
    `${base}${queryString({ tab: tab === "eligible" ? null : tab, ...params })}`;
  const [adding, setAdding] = useState(false);
  const [acting, setActing] = useState<{ action: RowAction; row: AssignmentRowView } | null>(null);
  const [canceling, setCanceling] = useState<AssignmentRowView | null>(null);
  const [navigating, startNavigation] = useTransition();
  const [wanted, setWanted] = useState<AssignmentTab>(p.tab);
  const shownTab = navigating ? wanted : p.tab;
  const columns = useMemo(
    () =>
      assignmentColumns(p.tab, p.canManage, (action, row) =>
        action === "cancel" ? setCanceling(row) : setActing({ action, row }),
      ),
    [p.tab, p.canManage],
  );

  const done = (message: string, close = true) => {
    if (close) {
      setAdding(false);
      setActing(null);
    }
    toast.success(message);
    router.refresh();
  };
  const go = (id: string) => {
    const next = parseTab(id);
    setWanted(next);
    startNavigation(() => router.push(href(next, { q: p.q || null }), { scroll: false }));
  };

  const table = (
    <>
      <form role="search" action={base} className="mb-3 flex max-w-md items-center gap-2">
        {p.tab !== "eligible" && <input type="hidden" name="tab" value={p.tab} />}
        <label htmlFor="assignments-search" className="sr-only">
          Search by member name or principal name
        </label>
        <div className="relative flex-1">
          <Search aria-hidden className="pointer-events-none absolute top-2 left-2 size-4 text-neutral-600" />
          <input
            id="assignments-search"
            name="q"
            type="search"
            defaultValue={p.q}
            placeholder="Search by member name or principal name"
            className={`${inputClass} pl-8`}
          />
        </div>
      </form>
      <DataTable
        caption={`${tabs.find((t) => t.key === p.tab)?.label ?? "Assignments"}, grouped by role`}
        data={p.rows}
        columns={columns}
        getRowId={(r) => r.id}
        groupBy={(r) => r.roleName}
        rowTestId={(r) => `assignment-${r.id}`}
        empty={<EmptyState title={emptyTitle(p.tab, p.q)}>{emptyHint(p.tab, p.q, p.canManage)}</EmptyState>}
      />
      <TableFooter
        from={p.from}
        count={p.rows.length}
        total={p.total}
        prevHref={
          p.prevCursor ? href(p.tab, { q: p.q || null, cursor: p.prevCursor, from: Math.max(1, p.from - PAGE) }) : null
        }
        nextHref={
          p.nextCursor ? href(p.tab, { q: p.q || null, cursor: p.nextCursor, from: p.from + p.rows.length }) : null
        }
      />
    </>
  );

  return (
    <div>
      <CommandBar label="Assignments commands">
        {p.canManage && (
          <CommandButton onClick={() => setAdding(true)}>
            <Plus aria-hidden /> Add assignments
          </CommandButton>
        )}
        <CommandLink href={p.role ? `/roles/${p.role.id}/settings` : "/roles"}>
          <Settings aria-hidden /> Settings
        </CommandLink>
        <CommandButton
          onClick={() => {
            setWanted(p.tab);
            startNavigation(() => router.refresh());
          }}
        >
          <RefreshCw aria-hidden /> Refresh
        </CommandButton>
        <a
          href={`/assignments/export${queryString({ tab: p.tab, q: p.q, role: p.role?.id ?? null })}`}
          download
          className={buttonClass("command")}
        >
          <Download aria-hidden /> Export
        </a>
      </CommandBar>

      {!p.canManage && (
        <Notice>
          You have read-only access to assignments. Privileged Role Administrators and Global Administrators manage
          them.
        </Notice>
      )}

      <Tabs
        label="Assignment types"
        value={shownTab}
        onValueChange={go}
        items={tabs.map((t) => ({
          id: t.key,
          label: t.label,
          count: t.key === p.tab ? countText(p.total) : undefined,
          content:
            t.key === shownTab && t.key === p.tab ? (
              table
            ) : (
              <Loading label={`Loading ${t.label.toLowerCase()}`}>
                <TableSkeleton columns={8} rows={4} />
              </Loading>
            ),
        }))}
      />

      {p.canManage && adding && (
        <AddAssignmentsPanel onClose={() => setAdding(false)} onDone={done} policies={p.policies} scopes={p.scopes} />
      )}
      {p.canManage && canceling && (
        <CancelScheduledDialog
          whose={`${canceling.principalName}'s`}
          roleName={canceling.roleName}
          scopeName={canceling.scopeLabel}
          start={canceling.startDateTime}
          cancel={() => cancelRequestAction({ scheduleId: canceling.id })}
          onClose={() => setCanceling(null)}
        />
      )}
      {p.canManage && acting && (
        <RowActionPanel
          action={acting.action}
          row={acting.row}
          policy={p.policies.find((x) => x.roleDefinitionId === acting.row.roleId)}
          onClose={() => setActing(null)}
          onDone={done}
        />
      )}
    </div>
  );
}

function emptyTitle(tab: AssignmentTab, q: string): string {
  if (q) return `No ${tab} assignments match "${q}".`;
  return tab === "expired" ? "No assignments ended in the last 30 days." : `No ${tab} assignments.`;
}

function emptyHint(tab: AssignmentTab, q: string, canManage: boolean): string {
  if (q) return "Search by a member's display name or principal name, or clear the search.";
  if (tab === "expired")
    return "Assignments that ran out appear here for 30 days; removed ones are in the audit log (Activity).";
  return canManage
    ? 'Use "Add assignments" to make someone eligible for or active in a role.'
    : "Privileged Role Administrators add assignments.";
}

"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ChevronDown, ChevronRight, Download, Plus, RefreshCw, Search, Settings } from "lucide-react";
import { BladeHeader, CommandBar, CommandButton, CommandLink, commandClass, ResultsFooter, qs } from "@/components/admin/blade";
import { inputClass, Notice } from "@/components/admin/fields";
import { LocalTime } from "@/components/admin/local-time";
import type { AssignmentPolicy } from "@/lib/pim/queries/assignment-policies";
import type { ScopeOption } from "@/lib/pim/queries/search-principals";
import { AddAssignmentsPanel } from "./add-assignments-panel";
import { RowActionPanel, type RowAction } from "./row-action-panel";
import { principalTypeWords, tabs, type AssignmentRowView, type AssignmentTab } from "./types";

type Props = {
  tenantName: string;
  tab: AssignmentTab;
  q: string;
  rows: AssignmentRowView[];
  total: number;
  from: number;
  nextCursor: string | null;
  prevCursor: string | null;
  canManage: boolean;
  policies: AssignmentPolicy[];
  scopes: ScopeOption[];
};

const PAGE = 25;

function groupByRole(rows: AssignmentRowView[]) {
  const groups: { roleId: string; roleName: string; rows: AssignmentRowView[] }[] = [];
  for (const r of rows) {
    const last = groups[groups.length - 1];
    if (last && last.roleId === r.roleId) last.rows.push(r);
    else groups.push({ roleId: r.roleId, roleName: r.roleName, rows: [r] });
  }
  return groups;
}

const linkButton = "text-[#0078d4] hover:underline focus-visible:outline-2 focus-visible:outline-[#0078d4] rounded-sm";

/** The Assignments blade: tabs, command bar, search, rows grouped by role, footer. */
export function AssignmentsView(p: Props) {
  const router = useRouter();
  const [adding, setAdding] = useState(false);
  const [acting, setActing] = useState<{ action: RowAction; row: AssignmentRowView } | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const groups = groupByRole(p.rows);
  const exportHref = `/assignments/export${qs({ tab: p.tab, q: p.q })}`;

  const done = (message: string) => {
    setAdding(false);
    setActing(null);
    setNotice(message);
    router.refresh();
  };

  return (
    <div>
      <BladeHeader title={`${p.tenantName} | Assignments`} subtitle="Privileged Identity Management | Microsoft Entra roles" />
      <CommandBar label="Assignments commands">
        {p.canManage && (
          <CommandButton onClick={() => setAdding(true)}>
            <Plus aria-hidden /> Add assignments
          </CommandButton>
        )}
        <CommandLink href="/roles">
          <Settings aria-hidden /> Settings
        </CommandLink>
        <CommandButton onClick={() => router.refresh()}>
          <RefreshCw aria-hidden /> Refresh
        </CommandButton>
        <a href={exportHref} download className={commandClass}>
          <Download aria-hidden /> Export
        </a>
      </CommandBar>

      {!p.canManage && (
        <Notice>You have read-only access to assignments. Privileged Role Administrators and Global Administrators manage them.</Notice>
      )}
      {notice && <Notice tone="success">{notice}</Notice>}

      <nav aria-label="Assignment types" className="mb-3 flex gap-4 border-b border-neutral-200">
        {tabs.map((t) => (
          <Link
            key={t.key}
            href={`/assignments${qs({ tab: t.key === "eligible" ? null : t.key, q: p.q })}`}
            aria-current={p.tab === t.key ? "page" : undefined}
            className={`-mb-px border-b-2 px-1 pb-2 text-sm ${p.tab === t.key ? "border-[#0078d4] font-semibold text-neutral-900" : "border-transparent text-neutral-700 hover:text-neutral-900"}`}
          >
            {t.label}
          </Link>
        ))}
      </nav>

      <form role="search" action="/assignments" className="mb-3 flex max-w-md items-center gap-2">
        {p.tab !== "eligible" && <input type="hidden" name="tab" value={p.tab} />}
        <label htmlFor="assignments-search" className="sr-only">
          Search by member name or principal name
        </label>
        <div className="relative flex-1">
          <Search aria-hidden className="pointer-events-none absolute top-2 left-2 size-4 text-neutral-600" />
          <input id="assignments-search" name="q" type="search" defaultValue={p.q} placeholder="Search by member name or principal name" className={`${inputClass} pl-8`} />
        </div>
      </form>

      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">{tabs.find((t) => t.key === p.tab)?.label}, grouped by role</caption>
          <thead>
            <tr className="border-b border-neutral-300 text-neutral-800">
              {["Name", "Principal name", "Type", "Scope", "Membership", "Start time", "End time", "Action"].map((h) => (
                <th key={h} scope="col" className="px-2 py-2 font-semibold">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          {groups.length === 0 ? (
            <tbody>
              <tr>
                <td colSpan={8} className="px-2 py-6 text-center text-neutral-700">
                  {p.q
                    ? `No ${p.tab} assignments match "${p.q}".`
                    : p.tab === "expired"
                      ? "No assignments expired in the last 30 days."
                      : p.canManage
                        ? `No ${p.tab} assignments. Use "Add assignments" to add one.`
                        : `No ${p.tab} assignments.`}
                </td>
              </tr>
            </tbody>
          ) : (
            groups.map((g) => {
              const isCollapsed = collapsed.has(g.roleId);
              return (
                <tbody key={g.roleId}>
                  <tr className="border-b border-neutral-200 bg-neutral-50">
                    <th scope="colgroup" colSpan={8} className="px-2 py-1.5 text-left font-semibold text-neutral-900">
                      <button
                        type="button"
                        aria-expanded={!isCollapsed}
                        onClick={() =>
                          setCollapsed((s) => {
                            const n = new Set(s);
                            if (n.has(g.roleId)) n.delete(g.roleId);
                            else n.add(g.roleId);
                            return n;
                          })
                        }
                        className="inline-flex items-center gap-1 rounded-sm focus-visible:outline-2 focus-visible:outline-[#0078d4]"
                      >
                        {isCollapsed ? <ChevronRight aria-hidden className="size-4" /> : <ChevronDown aria-hidden className="size-4" />}
                        {g.roleName}
                      </button>
                    </th>
                  </tr>
                  {!isCollapsed &&
                    g.rows.map((r) => (
                      <tr key={r.id} className="border-b border-neutral-200 hover:bg-neutral-50">
                        <td className="px-2 py-2 font-medium text-neutral-900">{r.principalName}</td>
                        <td className="px-2 py-2">{r.principalDetail}</td>
                        <td className="px-2 py-2">{principalTypeWords[r.principalType]}</td>
                        <td className="px-2 py-2">{r.scopeLabel}</td>
                        <td className="px-2 py-2">{r.memberType}</td>
                        <td className="px-2 py-2">
                          <LocalTime iso={r.startDateTime} />
                        </td>
                        <td className="px-2 py-2">
                          <LocalTime iso={r.endDateTime} empty="Permanent" withRelative={p.tab !== "expired"} />
                        </td>
                        <td className="px-2 py-2 whitespace-nowrap">
                          <RowActions row={r} tab={p.tab} canManage={p.canManage} onAct={(action) => setActing({ action, row: r })} />
                        </td>
                      </tr>
                    ))}
                </tbody>
              );
            })
          )}
        </table>
      </div>
      <ResultsFooter
        from={p.from}
        count={p.rows.length}
        total={p.total}
        prevHref={p.prevCursor ? `/assignments${qs({ tab: p.tab === "eligible" ? null : p.tab, q: p.q, cursor: p.prevCursor, from: Math.max(1, p.from - PAGE) })}` : null}
        nextHref={p.nextCursor ? `/assignments${qs({ tab: p.tab === "eligible" ? null : p.tab, q: p.q, cursor: p.nextCursor, from: p.from + p.rows.length })}` : null}
      />

      {p.canManage && (
        <AddAssignmentsPanel open={adding} onClose={() => setAdding(false)} onDone={done} policies={p.policies} scopes={p.scopes} />
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

function RowActions({ row, tab, canManage, onAct }: { row: AssignmentRowView; tab: AssignmentTab; canManage: boolean; onAct: (a: RowAction) => void }) {
  if (!canManage) return <span className="text-neutral-600">-</span>;
  // Inherited rows are managed on the group's own assignment.
  if (row.memberType === "Group") return <span className="text-neutral-600">Inherited</span>;
  const label = (a: string) => `${a} ${row.roleName} for ${row.principalName}`;
  if (tab === "expired") {
    return (
      <button type="button" className={linkButton} aria-label={label("Renew")} onClick={() => onAct("renew")}>
        Renew
      </button>
    );
  }
  return (
    <span className="flex gap-3">
      {row.assignmentType !== "Activated" && (
        <button type="button" className={linkButton} aria-label={label("Update")} onClick={() => onAct("update")}>
          Update
        </button>
      )}
      <button type="button" className={linkButton} aria-label={label("Remove")} onClick={() => onAct("remove")}>
        Remove
      </button>
      {row.assignmentType !== "Activated" && (
        <button type="button" className={linkButton} aria-label={label("Extend")} onClick={() => onAct("extend")}>
          Extend
        </button>
      )}
    </span>
  );
}

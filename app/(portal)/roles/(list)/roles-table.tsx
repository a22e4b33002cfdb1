"use client";

import Link from "@/components/ui/link";
import { Search } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { DataTable, dataTableColumns } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { inputClass } from "@/components/ui/field";
import type { RoleWithCounts } from "@/lib/pim/queries/list-roles-with-counts";

const h = dataTableColumns<RoleWithCounts>();
const privileged = (r: RoleWithCounts) =>
  r.isPrivileged && (
    <Badge tone="danger" className="ml-2 align-middle">
      Privileged
    </Badge>
  );
/** The role's name; for PIM readers a link to the role's own Assignments blade, as in Entra. */
const nameColumn = (linked: boolean) =>
  h.accessor("displayName", {
    header: "Role",
    cell: ({ row: { original: r } }) =>
      linked ? (
        <span className="font-semibold">
          <Link
            href={`/roles/${r.id}/assignments`}
            className="text-[#0078d4] hover:underline focus-visible:outline-2 focus-visible:outline-[#0078d4]"
          >
            {r.displayName}
          </Link>
          {privileged(r)}
        </span>
      ) : (
        <span className="font-semibold text-neutral-900">
          {r.displayName}
          {privileged(r)}
        </span>
      ),
  });
const rest = [
  h.accessor("description", {
    header: "Description",
    enableSorting: false,
    meta: { className: "max-w-md text-neutral-700" },
  }),
  h.accessor("eligibleCount", {
    header: "Eligible",
    meta: { className: "text-right tabular-nums", headerClassName: "text-right" },
    cell: ({ row: { original: r } }) => r.eligibleCount.toLocaleString("en-US"),
  }),
  h.accessor("activeCount", {
    header: "Active",
    meta: { className: "text-right tabular-nums", headerClassName: "text-right" },
    cell: ({ row: { original: r } }) => r.activeCount.toLocaleString("en-US"),
  }),
  h.accessor((r) => (r.isBuiltIn ? "Built-in" : "Custom"), { id: "type", header: "Type" }),
];

function settingsColumn(canManage: boolean) {
  return h.display({
    id: "settings",
    header: "Settings",
    cell: ({ row: { original: r } }) => (
      <Link
        href={`/roles/${r.id}/settings`}
        className="text-[#0078d4] hover:underline focus-visible:outline-2 focus-visible:outline-[#0078d4]"
      >
        {canManage ? "Edit settings" : "View settings"}
        <span className="sr-only"> of {r.displayName}</span>
      </Link>
    ),
  });
}
const withView = h.columns([nameColumn(true), ...rest, settingsColumn(false)]);
const withEdit = h.columns([nameColumn(true), ...rest, settingsColumn(true)]);
const plain = h.columns([nameColumn(false), ...rest]);

/** The role search (a GET form) and list with counts of eligible and active members now, and a link to each role's settings. */
export function RolesTable({
  roles,
  q,
  canRead,
  canManage,
}: {
  roles: RoleWithCounts[];
  q: string;
  canRead: boolean;
  canManage: boolean;
}) {
  return (
    <>
      <form role="search" action="/roles" className="mb-3 flex max-w-md items-center gap-2">
        <label htmlFor="roles-search" className="sr-only">
          Search by role name
        </label>
        <div className="relative flex-1">
          <Search aria-hidden className="pointer-events-none absolute top-2 left-2 size-4 text-neutral-600" />
          <input
            id="roles-search"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="Search by role name"
            className={`${inputClass} pl-8`}
          />
        </div>
      </form>
      <DataTable
        caption="Microsoft Entra roles with eligible and active member counts"
        data={roles}
        columns={canManage ? withEdit : canRead ? withView : plain}
        getRowId={(r) => r.id}
        rowTestId={(r) => `role-${r.displayName}`}
        empty={
          <EmptyState title={q ? `No role matches "${q}".` : "No roles."}>
            {q
              ? "Search by a role's display name, or clear the search."
              : "Built-in roles are loaded when the portal starts."}
          </EmptyState>
        }
      />
    </>
  );
}

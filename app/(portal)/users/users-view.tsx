"use client";

import Link from "@/components/ui/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { Plus, RefreshCw, Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CommandBar, CommandButton } from "@/components/ui/command-bar";
import { DataTable, dataTableColumns, type DataTableColumn } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { TextInput } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { NewUserPanel } from "./new-user-panel";
import { ResetMfaDialog } from "./reset-mfa-dialog";
import { SetEnabledDialog } from "./set-enabled-dialog";
import type { UserRow } from "./types";

type Props = {
  rows: UserRow[];
  q: string;
  tenantName: string;
  canCreate: boolean;
  canResetMfa: boolean;
};

const h = dataTableColumns<UserRow>();
const baseColumns: DataTableColumn<UserRow>[] = h.columns([
  h.accessor("displayName", {
    header: "Display name",
    cell: ({ getValue }) => <span className="font-semibold">{getValue()}</span>,
  }),
  h.accessor("userPrincipalName", { header: "User principal name", meta: { className: "whitespace-nowrap" } }),
  h.accessor((r) => r.jobTitle ?? "", {
    id: "jobTitle",
    header: "Job title",
    cell: ({ getValue }) => getValue() || <span className="text-neutral-600">-</span>,
  }),
  h.accessor((r) => (r.accountEnabled ? "Yes" : "No"), { id: "accountEnabled", header: "Account enabled" }),
  h.accessor("lastSignInAt", {
    header: "Last sign-in",
    meta: { className: "whitespace-nowrap" },
    cell: ({ getValue }) => <LocalTime value={getValue()} empty="Never" />,
  }),
]);

/** The directory list with "+ New user" (only while allowed), "Reset MFA" for PIM admins and "Disable"/"Enable" on the rows the viewer may change. */
export function UsersView({ rows, q, tenantName, canCreate, canResetMfa }: Props) {
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [panelOpen, setPanelOpen] = useState(false);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [toggling, setToggling] = useState<UserRow | null>(null);

  const anyToggle = rows.some((r) => r.canSetEnabled);
  const columns = useMemo<DataTableColumn<UserRow>[]>(
    () =>
      canResetMfa || anyToggle
        ? [
            ...baseColumns,
            h.display({
              id: "action",
              header: "Action",
              meta: { className: "whitespace-nowrap" },
              cell: ({ row: { original: u } }) => (
                <span className="inline-flex gap-3">
                  {canResetMfa && (
                    <Button variant="link" onClick={() => setResetting(u)}>
                      Reset MFA<span className="sr-only"> of {u.displayName}</span>
                    </Button>
                  )}
                  {u.canSetEnabled && (
                    <Button variant="link" onClick={() => setToggling(u)}>
                      {u.accountEnabled ? "Disable" : "Enable"}
                      <span className="sr-only"> {u.displayName}</span>
                    </Button>
                  )}
                </span>
              ),
            }),
          ]
        : baseColumns,
    [canResetMfa, anyToggle],
  );

  return (
    <>
      <CommandBar label="Users commands">
        {canCreate && (
          <CommandButton onClick={() => setPanelOpen(true)}>
            <Plus aria-hidden /> New user
          </CommandButton>
        )}
        <CommandButton onClick={() => startRefresh(() => router.refresh())} pending={refreshing}>
          {!refreshing && <RefreshCw aria-hidden />} Refresh
        </CommandButton>
      </CommandBar>

      {!canCreate && (
        <Notice>
          You can view the directory. Creating users needs an active <strong>User Administrator</strong> or{" "}
          <strong>Global Administrator</strong> role: activate it in{" "}
          <Link className="text-[#0078d4] underline" href="/my-roles">
            My roles
          </Link>
          , then come back.
        </Notice>
      )}

      <form role="search" action="/users" className="mb-3 flex max-w-md items-center gap-2">
        <label htmlFor="users-search" className="sr-only">
          Search by name, user principal name or mail
        </label>
        <div className="relative flex-1">
          <Search aria-hidden className="pointer-events-none absolute top-2 left-2 size-4 text-neutral-600" />
          <TextInput
            id="users-search"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="Search by name, user principal name or mail"
            className="pl-8"
          />
        </div>
        <Button type="submit">Search</Button>
      </form>

      <DataTable
        caption="Users in the directory"
        data={rows}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId={(r) => `user-${r.userPrincipalName.toLowerCase()}`}
        empty={
          <EmptyState title={q ? `No users match “${q}”` : "No users yet"}>
            {q
              ? "Try part of the name or of the user principal name."
              : canCreate
                ? "Create the first one with + New user."
                : "Users appear here once an administrator creates them."}
          </EmptyState>
        }
      />

      {canCreate && (
        <NewUserPanel
          open={panelOpen}
          tenantName={tenantName}
          onClose={() => setPanelOpen(false)}
          onCreated={() => {
            setPanelOpen(false);
            router.refresh();
          }}
        />
      )}
      {resetting && <ResetMfaDialog user={resetting} onClose={() => setResetting(null)} />}
      {toggling && <SetEnabledDialog user={toggling} onClose={() => setToggling(null)} />}
    </>
  );
}

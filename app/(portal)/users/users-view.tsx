"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Plus, RefreshCw, Search } from "lucide-react";
import { BladeHeader, CommandBar, CommandButton, ResultsFooter, qs } from "@/components/admin/blade";
import { inputClass, Notice } from "@/components/admin/fields";
import { LocalTime } from "@/components/admin/local-time";
import { NewUserPanel } from "./new-user-panel";

export type UserRow = {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  accountEnabled: boolean;
  lastSignInAt: string | null;
};

type Props = {
  rows: UserRow[];
  total: number;
  from: number;
  q: string;
  nextCursor: string | null;
  prevCursor: string | null;
  canCreate: boolean;
};

const PAGE = 25;

export function UsersView({ rows, total, from, q, nextCursor, prevCursor, canCreate }: Props) {
  const router = useRouter();
  const [panelOpen, setPanelOpen] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  return (
    <div>
      <BladeHeader title="Users" subtitle="Perparims Cloud Solutions | Microsoft Entra ID" />
      <CommandBar label="Users commands">
        {canCreate && (
          <CommandButton onClick={() => setPanelOpen(true)}>
            <Plus aria-hidden /> New user
          </CommandButton>
        )}
        <CommandButton onClick={() => router.refresh()}>
          <RefreshCw aria-hidden /> Refresh
        </CommandButton>
      </CommandBar>

      {!canCreate && (
        <Notice>
          You can view the directory. Creating users needs an active <strong>User Administrator</strong> or{" "}
          <strong>Global Administrator</strong> role: activate it in <a className="text-[#0078d4] underline" href="/my-roles">My roles</a>, then
          come back.
        </Notice>
      )}
      {created && <Notice tone="success">Created user {created}.</Notice>}

      <form role="search" action="/users" className="mb-3 flex max-w-md items-center gap-2">
        <label htmlFor="users-search" className="sr-only">
          Search by name, user principal name or mail
        </label>
        <div className="relative flex-1">
          <Search aria-hidden className="pointer-events-none absolute top-2 left-2 size-4 text-neutral-600" />
          <input
            id="users-search"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="Search by name, user principal name or mail"
            className={`${inputClass} pl-8`}
          />
        </div>
      </form>

      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Users in the directory</caption>
          <thead>
            <tr className="border-b border-neutral-300 text-neutral-800">
              <th scope="col" className="px-2 py-2 font-semibold">Display name</th>
              <th scope="col" className="px-2 py-2 font-semibold">User principal name</th>
              <th scope="col" className="px-2 py-2 font-semibold">Mail</th>
              <th scope="col" className="px-2 py-2 font-semibold">Job title</th>
              <th scope="col" className="px-2 py-2 font-semibold">Account enabled</th>
              <th scope="col" className="px-2 py-2 font-semibold">Last sign-in</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-2 py-6 text-center text-neutral-700">
                  {q ? `No users match "${q}". Try part of the name or the user principal name.` : "No users yet."}
                </td>
              </tr>
            ) : (
              rows.map((u) => (
                <tr key={u.id} className="border-b border-neutral-200 hover:bg-neutral-50">
                  <td className="px-2 py-2 font-medium text-neutral-900">{u.displayName}</td>
                  <td className="px-2 py-2">{u.userPrincipalName}</td>
                  <td className="px-2 py-2">{u.mail ?? "-"}</td>
                  <td className="px-2 py-2">{u.jobTitle ?? "-"}</td>
                  <td className="px-2 py-2">{u.accountEnabled ? "Yes" : "No"}</td>
                  <td className="px-2 py-2">
                    <LocalTime iso={u.lastSignInAt} empty="Never" />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <ResultsFooter
        from={from}
        count={rows.length}
        total={total}
        prevHref={prevCursor ? `/users${qs({ q, cursor: prevCursor, from: Math.max(1, from - PAGE) })}` : null}
        nextHref={nextCursor ? `/users${qs({ q, cursor: nextCursor, from: from + rows.length })}` : null}
      />

      {canCreate && (
        <NewUserPanel
          open={panelOpen}
          onClose={() => setPanelOpen(false)}
          onCreated={(name) => {
            setPanelOpen(false);
            setCreated(name);
            router.refresh();
          }}
        />
      )}
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { Search } from "lucide-react";
import { BladeHeader } from "@/components/admin/blade";
import { inputClass, Notice } from "@/components/admin/fields";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimAdmin, isPimReader } from "@/lib/pim/authz";
import { listRolesWithCounts } from "@/lib/pim/queries/list-roles-with-counts";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";

export const metadata: Metadata = { title: "Roles" };
export const dynamic = "force-dynamic";

/** Roles: every role definition with how many are eligible and active now, and a link to its settings. */
export default async function RolesPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const q = ((await searchParams).q ?? "").slice(0, 200);
  const [canRead, canManage, roles, tenantName] = await Promise.all([
    isPimReader(ctx, actor),
    isPimAdmin(ctx, actor),
    listRolesWithCounts(ctx, { search: q }),
    getTenantName(ctx),
  ]);
  return (
    <div>
      <BladeHeader title={`${tenantName} | Roles`} subtitle="Privileged Identity Management | Microsoft Entra roles" />
      {!canRead && <Notice>Role settings are visible to Privileged Role Administrators, Global Administrators and security readers.</Notice>}
      <form role="search" action="/roles" className="mb-3 flex max-w-md items-center gap-2">
        <label htmlFor="roles-search" className="sr-only">
          Search by role name
        </label>
        <div className="relative flex-1">
          <Search aria-hidden className="pointer-events-none absolute top-2 left-2 size-4 text-neutral-600" />
          <input id="roles-search" name="q" type="search" defaultValue={q} placeholder="Search by role name" className={`${inputClass} pl-8`} />
        </div>
      </form>
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Microsoft Entra roles with eligible and active member counts</caption>
          <thead>
            <tr className="border-b border-neutral-300 text-neutral-800">
              <th scope="col" className="px-2 py-2 font-semibold">Role</th>
              <th scope="col" className="px-2 py-2 font-semibold">Description</th>
              <th scope="col" className="px-2 py-2 text-right font-semibold">Eligible</th>
              <th scope="col" className="px-2 py-2 text-right font-semibold">Active</th>
              <th scope="col" className="px-2 py-2 font-semibold">Type</th>
              {canRead && (
                <th scope="col" className="px-2 py-2 font-semibold">
                  Settings
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {roles.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-2 py-6 text-center text-neutral-700">
                  No role matches &quot;{q}&quot;.
                </td>
              </tr>
            ) : (
              roles.map((r) => (
                <tr key={r.id} className="border-b border-neutral-200 align-top hover:bg-neutral-50">
                  <th scope="row" className="px-2 py-2 text-left font-medium text-neutral-900">
                    {r.displayName}
                    {r.isPrivileged && <span className="ml-2 rounded-sm bg-[#fde7e9] px-1.5 py-0.5 text-xs text-red-900">Privileged</span>}
                  </th>
                  <td className="max-w-md px-2 py-2 text-neutral-700">{r.description}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{r.eligibleCount}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{r.activeCount}</td>
                  <td className="px-2 py-2">{r.isBuiltIn ? "Built-in" : "Custom"}</td>
                  {canRead && (
                    <td className="px-2 py-2">
                      <Link href={`/roles/${r.id}/settings`} className="text-[#0078d4] hover:underline" aria-label={`${canManage ? "Edit" : "View"} settings of ${r.displayName}`}>
                        {canManage ? "Edit settings" : "View settings"}
                      </Link>
                    </td>
                  )}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <p className="mt-3 text-sm text-neutral-700" aria-live="polite">
        Showing 1 - {roles.length} of {roles.length} results.
      </p>
    </div>
  );
}

import type { Metadata } from "next";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { TableFooter } from "@/components/ui/table-footer";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { listRolesWithCounts } from "@/lib/pim/queries/list-roles-with-counts";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { RolesTable } from "./roles-table";

export const metadata: Metadata = { title: "Roles" };
export const dynamic = "force-dynamic";

/** Roles: every role definition with how many are eligible and active now, and a link to its settings. */
export default async function RolesPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const q = ((await searchParams).q ?? "").trim().slice(0, 200);
  const [{ roles, viewer }, tenantName] = await Promise.all([
    listRolesWithCounts(ctx, actor, { search: q }),
    getTenantName(ctx),
  ]);
  const { reader: canRead, admin: canManage } = viewer;
  return (
    <div>
      <PageHeader title={`${tenantName} | Roles`} />
      {!canRead && (
        <Notice>
          Role settings are visible to Privileged Role Administrators, Global Administrators and security readers.
        </Notice>
      )}
      <RolesTable roles={roles} q={q} canRead={canRead} canManage={canManage} />
      <TableFooter from={1} count={roles.length} total={roles.length} />
    </div>
  );
}

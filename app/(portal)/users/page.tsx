import type { Metadata } from "next";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { queryString } from "@/components/ui/keyset";
import { TableFooter } from "@/components/ui/table-footer";
import { requireUser, actorFromUser } from "@/lib/auth/session";
import { getCtx } from "@/lib/server-db";
import { hasPermissionNow } from "@/lib/pim/authz";
import { USER_CREATE_PERMISSION } from "@/lib/pim/directory/builtin-roles";
import { listUsers } from "@/lib/pim/queries/list-users";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { UsersView } from "./users-view";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

const PAGE = 25;
type Search = { q?: string; cursor?: string; from?: string };

/**
 * The directory's users. "+ New user" appears only while the viewer holds, right now, a role that may
 * create users (User Administrator or Global Administrator) — the seed's demo of privilege in action.
 * "Reset MFA" appears only for an active Global Administrator or Privileged Role Administrator (the
 * use case's rule). "Disable" / "Enable" appear on the rows the viewer may change now (User Administrator
 * or Global Administrator; GA or PRA for a privileged person; not oneself). The actions check the same on
 * the server; hiding the buttons is not the check.
 */
export default async function UsersPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const q = (sp.q ?? "").trim().slice(0, 200);
  const from = Math.max(1, Number.parseInt(sp.from ?? "1", 10) || 1);
  const [page, canCreate, tenantName] = await Promise.all([
    listUsers(ctx, actor, { search: q, cursor: sp.cursor ?? null, limit: PAGE }),
    hasPermissionNow(ctx, actor, { permission: USER_CREATE_PERMISSION }),
    getTenantName(ctx),
  ]);
  const href = (cursor: string, start: number) => `/users${queryString({ q, cursor, from: start })}`;
  return (
    <div>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={`${tenantName} | Users`} subtitle="Microsoft Entra ID | All users" />
      <UsersView
        rows={page.rows.map((r) => ({
          ...r,
          lastSignInAt: r.lastSignInAt?.toISOString() ?? null,
        }))}
        q={q}
        tenantName={tenantName}
        canCreate={canCreate}
        canResetMfa={page.viewer.admin}
      />
      <TableFooter
        from={page.rows.length === 0 ? 0 : from}
        count={page.rows.length}
        total={page.total}
        prevHref={page.prevCursor ? href(page.prevCursor, Math.max(1, from - PAGE)) : null}
        nextHref={page.nextCursor ? href(page.nextCursor, from + page.rows.length) : null}
      />
    </div>
  );
}

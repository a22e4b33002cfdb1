import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ChevronLeft } from "lucide-react";
import { NotAllowed } from "@/components/chrome/not-allowed";
import Link from "@/components/ui/link";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { groupDefinitionsAmong } from "@/lib/pim/queries/groups-under-pim";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { AssignmentsView } from "../../../assignments/assignments-view";
import { listAssignmentRows } from "../../../assignments/assignment-rows";
import { parseTab } from "../../../assignments/types";

export const metadata: Metadata = { title: "Role assignments" };
export const dynamic = "force-dynamic";

type Search = { tab?: string; q?: string; cursor?: string; from?: string };

/**
 * One role's Assignments blade (Roles → the role), as in Entra: the same tabs, search and command bar as
 * Assignments, only this role's rows, and Settings opens this role's settings. Readers view, PIM admins
 * manage; everyone else gets the "not allowed here" page.
 */
export default async function RoleAssignmentsPage({
  params,
  searchParams,
}: {
  params: Promise<{ roleId: string }>;
  searchParams: Promise<Search>;
}) {
  const user = await requireUser();
  const { roleId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(roleId)) notFound();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const sp = await searchParams;
  const tab = parseTab(sp.tab);
  const q = (sp.q ?? "").trim().slice(0, 200);
  const from = Math.max(1, Number.parseInt(sp.from ?? "1", 10) || 1);
  const [page, tenantName] = await Promise.all([
    listAssignmentRows(ctx, actor, {
      tab,
      search: q,
      cursor: sp.cursor ?? null,
      limit: 25,
      roleDefinitionId: roleId,
    }).catch((err: unknown) => {
      if (isPimError(err) && err.code === "Forbidden") return null;
      throw err;
    }),
    getTenantName(ctx),
  ]);
  if (!page)
    return (
      <NotAllowed
        title={`${tenantName} | Assignments`}
        what="a role's assignments"
        path={await accessPathFor(ctx, actor, "reader")}
        readersNote="Security readers and Global Readers view them; Privileged Role Administrators and Global Administrators also change them."
      />
    );
  if (!page.role) notFound();
  // A group's member/owner access definition (PIM for Groups) leads back to Groups.
  const isGroupAccess = (await groupDefinitionsAmong(ctx, [roleId])).size > 0;
  return (
    <>
      <ServerClockSync now={ctx.now().toISOString()} />
      <Link
        href={isGroupAccess ? "/groups" : "/roles"}
        className="mb-1 inline-flex items-center gap-0.5 text-sm text-[#0078d4] hover:underline focus-visible:outline-2 focus-visible:outline-[#0078d4]"
      >
        <ChevronLeft aria-hidden className="size-4" /> {isGroupAccess ? "Groups" : "Roles"}
      </Link>
      <PageHeader
        title={`${page.role.displayName} | Assignments`}
        subtitle={`${tenantName} | Privileged Identity Management`}
      />
      <AssignmentsView
        tab={tab}
        q={q}
        rows={page.rows}
        total={page.total}
        from={from}
        nextCursor={page.nextCursor}
        prevCursor={page.prevCursor}
        canManage={page.canManage}
        policies={page.policies}
        scopes={page.scopes}
        role={page.role}
      />
    </>
  );
}

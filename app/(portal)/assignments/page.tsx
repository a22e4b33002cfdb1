import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimAdmin, isPimReader } from "@/lib/pim/authz";
import { listAssignmentPolicies } from "@/lib/pim/queries/assignment-policies";
import { listScopes } from "@/lib/pim/queries/search-principals";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { AssignmentsView } from "./assignments-view";
import { listAssignmentRows } from "./assignment-rows";
import { parseTab } from "./types";

export const metadata: Metadata = { title: "Assignments" };
export const dynamic = "force-dynamic";

type Search = { tab?: string; q?: string; cursor?: string; from?: string };

/**
 * The Assignments blade. PRA/GA manage; Security Reader, Global Reader and Security Administrator view.
 * Everyone else goes to My roles (the read model refuses them anyway).
 */
export default async function AssignmentsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const [canRead, canManage] = await Promise.all([isPimReader(ctx, actor), isPimAdmin(ctx, actor)]);
  if (!canRead) redirect("/my-roles");
  const sp = await searchParams;
  const tab = parseTab(sp.tab);
  const q = (sp.q ?? "").trim().slice(0, 200);
  const from = Math.max(1, Number.parseInt(sp.from ?? "1", 10) || 1);
  const [page, policies, scopes, tenantName] = await Promise.all([
    listAssignmentRows(ctx, actor, { tab, search: q, cursor: sp.cursor ?? null, limit: 25 }),
    listAssignmentPolicies(ctx),
    listScopes(ctx),
    getTenantName(ctx),
  ]);
  return (
    <>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={`${tenantName} | Assignments`} />
      <AssignmentsView
        tab={tab}
        q={q}
        rows={page.rows}
        total={page.total}
        from={from}
        nextCursor={page.nextCursor}
        prevCursor={page.prevCursor}
        canManage={canManage}
        policies={policies}
        scopes={scopes}
      />
    </>
  );
}

import type { Metadata } from "next";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
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
 * The read model refuses everyone else (Forbidden): they see the "not allowed here" page in place.
 */
export default async function AssignmentsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const sp = await searchParams;
  const tab = parseTab(sp.tab);
  const q = (sp.q ?? "").trim().slice(0, 200);
  const from = Math.max(1, Number.parseInt(sp.from ?? "1", 10) || 1);
  const [page, tenantName] = await Promise.all([
    listAssignmentRows(ctx, actor, { tab, search: q, cursor: sp.cursor ?? null, limit: 25 }).catch((err: unknown) => {
      if (isPimError(err) && err.code === "Forbidden") return null;
      throw err;
    }),
    getTenantName(ctx),
  ]);
  if (!page)
    return (
      <NotAllowed
        title={`${tenantName} | Assignments`}
        what="the assignments of the directory"
        path={await accessPathFor(ctx, actor, "reader")}
        readersNote="Security readers and Global Readers view them; Privileged Role Administrators and Global Administrators also change them."
      />
    );
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
        canManage={page.canManage}
        policies={page.policies}
        scopes={page.scopes}
      />
    </>
  );
}

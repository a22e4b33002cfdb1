import type { Metadata } from "next";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { keysetPager, queryString } from "@/components/ui/keyset";
import { TableFooter } from "@/components/ui/table-footer";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { listMyRequests } from "@/lib/pim/queries/requests";
import { listRequestDecisions } from "@/lib/pim/queries/request-decisions";
import { countMyRequests } from "@/lib/pim/queries/requests";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { requestCursor } from "@/lib/validation/request-cursor";
import { PendingRequestsView } from "./pending-requests-view";
import { toRequestRow } from "./to-row";

export const metadata: Metadata = { title: "Pending requests" };
export const dynamic = "force-dynamic";

const PAGE = 25;
type Search = { page?: string; show?: string };

/** My requests: every self-service request I made, newest first; Cancel while pending. */
export default async function PendingRequestsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const pendingOnly = sp.show === "pending";
  const pager = keysetPager(sp.page, requestCursor, PAGE);
  const [tenantName, list, total] = await Promise.all([
    getTenantName(ctx),
    listMyRequests(ctx, actor, { limit: PAGE, cursor: pager.cursor, pendingOnly }),
    countMyRequests(ctx, actor, { pendingOnly }),
  ]);
  const decisions = await listRequestDecisions(ctx, actor, { requestIds: list.rows.map((r) => r.id) });
  const rows = list.rows.map((r) => ({
    ...toRequestRow(r, ctx.now()),
    decisions: (decisions[r.id] ?? []).map((d) => ({
      stage: d.stage,
      by: d.approverName,
      decision: d.decision,
      justification: d.justification,
      at: d.decidedAt.toISOString(),
    })),
  }));
  const href = (page: string | null | undefined) =>
    `/pending-requests${queryString({ show: pendingOnly ? "pending" : null, page })}`;
  const next = pager.nextParam(list.nextCursor);
  return (
    <div>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={`${tenantName} | Pending requests`} />
      <PendingRequestsView rows={rows} pendingOnly={pendingOnly} />
      <TableFooter
        from={pager.from}
        count={rows.length}
        total={total}
        prevHref={pager.prevParam === undefined ? null : href(pager.prevParam)}
        nextHref={next ? href(next) : null}
      />
    </div>
  );
}

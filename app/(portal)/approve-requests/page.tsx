import type { Metadata } from "next";
import { z } from "zod";
import { keysetPager, queryString } from "@/components/ui/keyset";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { TableFooter } from "@/components/ui/table-footer";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { listApprovableRequests } from "@/lib/pim";
import { listRequestApprovers } from "@/lib/pim/queries/request-approvers";
import { countApprovableRequests } from "@/lib/pim/queries/self-service-counts";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { requestCursor } from "@/lib/validation/request-cursor";
import { toRequestRow } from "../pending-requests/to-row";
import { ApproveRequestsView, type ApprovableRow } from "./approve-requests-view";

export const metadata: Metadata = { title: "Approve requests" };
export const dynamic = "force-dynamic";

const PAGE = 25;

/** Requests I may decide now (never my own), with who else may decide them. */
export default async function ApproveRequestsPage({
  searchParams,
}: {
  searchParams: Promise<{ page?: string; request?: string }>;
}) {
  const user = await requireUser();
  const sp = await searchParams;
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const pager = keysetPager(sp.page, requestCursor, PAGE);
  const [tenantName, list, total] = await Promise.all([
    getTenantName(ctx),
    listApprovableRequests(ctx, actor, { limit: PAGE, cursor: pager.cursor }),
    countApprovableRequests(ctx, actor),
  ]);
  const approvers = await listRequestApprovers(
    ctx,
    list.rows.map((r) => r.id),
  );
  const rows: ApprovableRow[] = list.rows.map((r) => ({
    ...toRequestRow(r),
    otherApprovers: (approvers[r.id] ?? []).filter((a) => a.userId !== user.id).map((a) => a.name),
  }));
  const href = (page: string | null | undefined) => `/approve-requests${queryString({ page })}`;
  // ?request=<id>: opened from an approval notice or email; that request is selected (or we say why it is not here).
  const focus = z.uuid().safeParse(sp.request);
  const focusId = focus.success ? focus.data : null;
  const next = pager.nextParam(list.nextCursor);
  return (
    <div>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={`${tenantName} | Approve requests`} />
      <ApproveRequestsView rows={rows} focusId={focusId} />
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

import type { Metadata } from "next";
import { z } from "zod";
import { keysetPager, queryString } from "@/components/ui/keyset";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { TableFooter } from "@/components/ui/table-footer";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import {
  countApprovableRequests,
  countOtherApprovers,
  listApprovableRequests,
  listOtherApprovers,
} from "@/lib/pim/queries/requests";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { requestCursor } from "@/lib/validation/request-cursor";
import { toRequestRow } from "../pending-requests/to-row";
import { ApproveRequestsView, type ApprovableRow } from "./approve-requests-view";
import { ApproversList } from "./approvers-list";

export const metadata: Metadata = { title: "Approve requests" };
export const dynamic = "force-dynamic";

const PAGE = 25;

/**
 * Requests I may decide now (never my own), with how many others may decide them; `?approvers=<id>` lists
 * those people by name for one request (hundreds of names per row would make the page grow with the admins).
 */
export default async function ApproveRequestsPage({
  searchParams,
}: {
  searchParams: Promise<{ page?: string; request?: string; approvers?: string }>;
}) {
  const user = await requireUser();
  const sp = await searchParams;
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const pager = keysetPager(sp.page, requestCursor, PAGE);
  const shown = z.uuid().safeParse(sp.approvers);
  const [tenantName, list, total, named] = await Promise.all([
    getTenantName(ctx),
    listApprovableRequests(ctx, actor, { limit: PAGE, cursor: pager.cursor }),
    countApprovableRequests(ctx, actor),
    shown.success
      ? listOtherApprovers(ctx, actor, { requestId: shown.data }).catch((err: unknown) => {
          if (isPimError(err) && err.code === "Forbidden") return null;
          throw err;
        })
      : null,
  ]);
  const others = await countOtherApprovers(
    ctx,
    actor,
    list.rows.map((r) => r.id),
  );
  const href = (page: string | null | undefined, approvers?: string) =>
    `/approve-requests${queryString({ page, approvers })}`;
  const rows: ApprovableRow[] = list.rows.map((r) => ({
    ...toRequestRow(r, ctx.now()),
    otherApprovers: others[r.id] ?? 0,
    approversHref: href(sp.page, r.id),
  }));
  const shownRow = shown.success ? rows.find((r) => r.id === shown.data) : undefined;
  // ?request=<id>: opened from an approval notice or email; that request is selected (or we say why it is not here).
  const focus = z.uuid().safeParse(sp.request);
  const focusId = focus.success ? focus.data : null;
  const next = pager.nextParam(list.nextCursor);
  return (
    <div>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={`${tenantName} | Approve requests`} />
      <ApproveRequestsView rows={rows} focusId={focusId} />
      {shown.success && named ? (
        <ApproversList
          title={
            shownRow
              ? `Other approvers of ${shownRow.principalName}'s request for ${shownRow.roleName}`
              : "Other approvers of the request"
          }
          approvers={named.approvers.map((a) => a.name)}
          more={named.more}
          closeHref={href(sp.page)}
        />
      ) : null}
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

import type { Metadata } from "next";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { keysetPager, queryString } from "@/components/ui/keyset";
import { TableFooter } from "@/components/ui/table-footer";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { loadAccessReviewsPage, reviewListCursor } from "@/lib/pim/queries/access-reviews";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { ReviewsView } from "./reviews-view";

export const metadata: Metadata = { title: "Access reviews" };
export const dynamic = "force-dynamic";
const PAGE = 25;

/** Access reviews of Microsoft Entra roles: the list (newest first, keyset paged) and "+ New". */
export default async function AccessReviewsPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const pager = keysetPager((await searchParams).page, reviewListCursor, PAGE);
  const [r, tenantName] = await Promise.all([
    loadAccessReviewsPage(ctx, actor, { cursor: pager.cursor, limit: PAGE }).catch((err: unknown) => {
      if (isPimError(err) && err.code === "Forbidden") return null;
      throw err;
    }),
    getTenantName(ctx),
  ]);
  if (!r)
    return (
      <NotAllowed
        title={`${tenantName} | Access reviews`}
        what="the access reviews"
        path={await accessPathFor(ctx, actor, "reader")}
      />
    );
  const next = pager.nextParam(r.nextCursor);
  return (
    <>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={`${tenantName} | Access reviews`} />
      <ReviewsView
        admin={r.viewer.admin}
        roles={r.form.roles}
        scopes={r.form.scopes}
        defaults={r.form.defaults}
        now={ctx.now().toISOString()}
        rows={r.rows.map((d) => ({
          id: d.id,
          displayName: d.displayName,
          roleNames: d.roleNames,
          assignmentKind: d.assignmentKind,
          recurrence: d.recurrence,
          reviewerType: d.stages[0]?.reviewerType ?? "selected",
          stages: d.stages.length,
          status: d.latest?.status ?? "NotStarted",
          progress: d.latest ? `${d.latest.decidedCount} of ${d.latest.itemCount}` : "-",
          endDateTime: d.latest?.endDateTime.toISOString() ?? null,
          createdByName: d.createdByName,
        }))}
      />
      <TableFooter
        from={r.rows.length === 0 ? 0 : pager.from}
        count={r.rows.length}
        total={{ n: (r.rows.length === 0 ? 0 : pager.from - 1) + r.rows.length, exact: !next }}
        prevHref={pager.prevParam === undefined ? null : `/access-reviews${queryString({ page: pager.prevParam })}`}
        nextHref={next ? `/access-reviews${queryString({ page: next })}` : null}
      />
    </>
  );
}

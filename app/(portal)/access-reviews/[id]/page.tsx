import type { Metadata } from "next";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { keysetPager, queryString } from "@/components/ui/keyset";
import { TableFooter } from "@/components/ui/table-footer";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { getAccessReview, itemCursor, listReviewItems } from "@/lib/pim/queries/access-reviews";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { ReviewDetail } from "./review-detail";
import { listScopes } from "@/lib/pim/queries/search-principals";

export const metadata: Metadata = { title: "Access review" };
export const dynamic = "force-dynamic";
const PAGE = 50;

/** One access review: settings, its instances, progress and results (who decided what, when, why). */
export default async function AccessReviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ instance?: string; page?: string }>;
}) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const { id } = await params;
  const sp = await searchParams;
  const tenantName = await getTenantName(ctx);
  const r = await getAccessReview(ctx, actor, id, sp.instance).catch((err: unknown) => {
    if (isPimError(err) && err.code === "Forbidden") return null;
    throw err;
  });
  if (!r)
    return (
      <NotAllowed
        title={`${tenantName} | Access reviews`}
        what="the access reviews"
        path={await accessPathFor(ctx, actor, "reader")}
      />
    );
  const pager = keysetPager(sp.page, itemCursor, PAGE);
  const [items, scopes] = await Promise.all([
    r.instance
      ? listReviewItems(ctx, actor, { instanceId: r.instance.id, cursor: pager.cursor, limit: PAGE })
      : { rows: [], nextCursor: null },
    r.definition.directoryScopeId ? listScopes(ctx) : [],
  ]);
  const scope = r.definition.directoryScopeId
    ? (scopes.find((s) => s.directoryScopeId === r.definition.directoryScopeId)?.label ?? r.definition.directoryScopeId)
    : "All scopes";
  const next = pager.nextParam(items.nextCursor);
  const base = `/access-reviews/${id}`;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return (
    <>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={r.definition.displayName} subtitle="Privileged Identity Management | Access reviews" />
      <ReviewDetail
        admin={r.viewer.admin}
        definition={{
          id: r.definition.id,
          displayName: r.definition.displayName,
          description: r.definition.description,
          roleNames: r.definition.roleNames,
          assignmentKind: r.definition.assignmentKind,
          principalTypes: r.definition.principalTypes,
          scope,
          stages: r.definition.stages.map((s) => ({
            reviewerType: s.reviewerType,
            durationDays: s.durationDays,
            reviewers: s.reviewers.length,
          })),
          recurrence: r.definition.recurrence,
          autoApply: r.definition.autoApply,
          defaultDecision: r.definition.defaultDecision,
          justificationRequired: r.definition.justificationRequired,
          recommendationsEnabled: r.definition.recommendationsEnabled,
          createdByName: r.definition.createdByName,
          stoppedAt: iso(r.definition.stoppedAt),
        }}
        instances={r.instances.map((i) => ({
          id: i.id,
          sequence: i.sequence,
          status: i.status,
          start: i.startDateTime.toISOString(),
        }))}
        instance={
          r.instance && {
            id: r.instance.id,
            status: r.instance.status,
            start: r.instance.startDateTime.toISOString(),
            end: r.instance.endDateTime.toISOString(),
            currentStage: r.instance.currentStage,
            itemCount: r.instance.itemCount,
            decidedCount: r.instance.decidedCount,
            appliedAt: iso(r.instance.appliedAt),
          }
        }
        outcomes={r.outcomes}
        items={items.rows.map((i) => ({
          id: i.id,
          principalName: i.principalName,
          principalUpn: i.principalUpn,
          roleName: i.roleName,
          scheduleKind: i.scheduleKind,
          recommendation: i.recommendation,
          recommendationReason: i.recommendationReason,
          reviewers: i.reviewers,
          outcome: i.outcome,
          outcomeSource: i.outcomeSource,
          applyResult: i.applyResult,
          decisions: i.decisions.map((d) => ({ ...d, decidedAt: d.decidedAt.toISOString() })),
        }))}
      />
      {r.instance && (
        <TableFooter
          from={items.rows.length === 0 ? 0 : pager.from}
          count={items.rows.length}
          total={r.instance.itemCount}
          prevHref={
            pager.prevParam === undefined
              ? null
              : `${base}${queryString({ instance: r.instance.id, page: pager.prevParam })}`
          }
          nextHref={next ? `${base}${queryString({ instance: r.instance.id, page: next })}` : null}
        />
      )}
    </>
  );
}

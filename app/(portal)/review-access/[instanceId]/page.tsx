import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { keysetPager, queryString } from "@/components/ui/keyset";
import { TableFooter } from "@/components/ui/table-footer";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { getMyReview, itemCursor } from "@/lib/pim/queries/access-reviews";
import { getCtx } from "@/lib/server-db";
import { ReviewItems } from "./review-items";

export const metadata: Metadata = { title: "Review access" };
export const dynamic = "force-dynamic";
const PAGE = 50;

/** One review as its reviewer sees it: the members to decide on, with recommendation, last activation and sign-in. */
export default async function ReviewInstancePage({
  params,
  searchParams,
}: {
  params: Promise<{ instanceId: string }>;
  searchParams: Promise<{ page?: string }>;
}) {
  const user = await requireUser();
  const ctx = await getCtx();
  const { instanceId } = await params;
  const pager = keysetPager((await searchParams).page, itemCursor, PAGE);
  const r = await getMyReview(ctx, actorFromUser(user), { instanceId, cursor: pager.cursor, limit: PAGE }).catch(
    (err: unknown) => {
      if (isPimError(err) && err.code === "NotFound") return null;
      throw err;
    },
  );
  if (!r) notFound();
  const next = pager.nextParam(r.nextCursor);
  const base = `/review-access/${instanceId}`;
  return (
    <>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={r.review.displayName} subtitle="Privileged Identity Management | Review access" />
      <ReviewItems
        review={{
          instanceId: r.review.instanceId,
          description: r.review.description,
          currentStage: r.review.currentStage,
          stageCount: r.review.stageCount,
          justificationRequired: r.review.justificationRequired,
          due: (r.review.stageEndDateTime ?? r.review.endDateTime).toISOString(),
          pending: r.review.pending,
          toReview: r.review.toReview,
          recommendable: r.review.recommendable,
        }}
        rows={r.rows.map((i) => {
          const mine = i.decisions.find((d) => d.stage === r.review.currentStage);
          return {
            id: i.id,
            principalName: i.principalName,
            principalUpn: i.principalUpn,
            roleName: i.roleName,
            scheduleKind: i.scheduleKind,
            recommendation: i.recommendation,
            recommendationReason: i.recommendationReason,
            lastActivationAt: i.lastActivationAt?.toISOString() ?? null,
            lastSignInAt: i.lastSignInAt?.toISOString() ?? null,
            decision: mine
              ? { decision: mine.decision, justification: mine.justification, reviewerName: mine.reviewerName }
              : null,
            earlier: i.decisions
              .filter((d) => d.stage < r.review.currentStage)
              .map((d) => ({
                stage: d.stage,
                decision: d.decision,
                reviewerName: d.reviewerName,
                justification: d.justification,
              })),
          };
        })}
      />
      <TableFooter
        from={r.rows.length === 0 ? 0 : pager.from}
        count={r.rows.length}
        total={r.review.toReview}
        prevHref={pager.prevParam === undefined ? null : `${base}${queryString({ page: pager.prevParam })}`}
        nextHref={next ? `${base}${queryString({ page: next })}` : null}
      />
    </>
  );
}

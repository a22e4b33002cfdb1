import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime, ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { listMyReviews } from "@/lib/pim/queries/access-reviews";
import { getCtx } from "@/lib/server-db";

export const metadata: Metadata = { title: "Review access" };
export const dynamic = "force-dynamic";

/** Review access: the access reviews in progress where the signed-in person reviews someone now. */
export default async function ReviewAccessPage() {
  const user = await requireUser();
  const ctx = await getCtx();
  const reviews = await listMyReviews(ctx, actorFromUser(user));
  return (
    <>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title="Review access" subtitle="Privileged Identity Management | Microsoft Entra roles" />
      {reviews.length === 0 ? (
        <EmptyState title="Nothing to review">
          When an administrator asks you to review who holds a role, the review appears here (and you get an email).
        </EmptyState>
      ) : (
        <table className="w-full max-w-5xl border-collapse text-sm">
          <caption className="sr-only">Access reviews waiting for you</caption>
          <thead>
            <tr className="border-b border-neutral-300 text-left">
              <th scope="col" className="py-2 pr-4">
                Review
              </th>
              <th scope="col" className="py-2 pr-4">
                To review
              </th>
              <th scope="col" className="py-2 pr-4">
                Still to decide
              </th>
              <th scope="col" className="py-2 pr-4">
                Due
              </th>
            </tr>
          </thead>
          <tbody>
            {reviews.map((r) => (
              <tr key={r.instanceId} className="border-b border-neutral-200" data-testid={`my-review-${r.instanceId}`}>
                <td className="py-2 pr-4">
                  <Link
                    className="font-semibold text-[#0078d4] hover:underline"
                    href={`/review-access/${r.instanceId}`}
                  >
                    {r.displayName}
                  </Link>
                  {r.stageCount > 1 && (
                    <span className="block text-xs text-neutral-700">
                      Stage {r.currentStage + 1} of {r.stageCount}
                    </span>
                  )}
                </td>
                <td className="py-2 pr-4">{r.toReview}</td>
                <td className="py-2 pr-4">{r.pending}</td>
                <td className="py-2 pr-4 whitespace-nowrap">
                  <LocalTime
                    value={(r.stageEndDateTime ?? r.endDateTime).toISOString()}
                    relative={{ future: "due", past: "was due" }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { csvHeaders, csvStream, type CsvValue } from "@/lib/export/csv";
import { httpStatusFor, isPimError } from "@/lib/pim/errors";
import {
  getAccessReview,
  listReviewItems,
  type ItemCursor,
  type ReviewItemView,
} from "@/lib/pim/queries/access-reviews";
import { getCtx } from "@/lib/server-db";

export const dynamic = "force-dynamic";

const HEADER = [
  "name",
  "principal name",
  "role",
  "assignment",
  "recommendation",
  "recommendation reason",
  "last sign-in",
  "last activation",
  "stage",
  "decision",
  "reviewer",
  "reason",
  "decided at",
  "result",
  "result source",
  "applied",
];

/**
 * "Download results": one CSV row per decision (per item and stage; an undecided item has one row), streamed
 * in keyset pages. The read models authorize (PIM readers; 403 before the first byte).
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const user = await requireActionUser();
    const ctx = await getCtx();
    const actor = actorFromUser(user);
    const { id } = await params;
    const review = await getAccessReview(ctx, actor, id, new URL(req.url).searchParams.get("instance"));
    const inst = review.instance;
    async function* rows(): AsyncGenerator<CsvValue[]> {
      if (!inst) return;
      let cursor: ItemCursor | null = null;
      for (;;) {
        const page: { rows: ReviewItemView[]; nextCursor: ItemCursor | null } = await listReviewItems(ctx, actor, {
          instanceId: inst.id,
          cursor,
          limit: 500,
        });
        for (const i of page.rows) {
          const common: CsvValue[] = [
            i.principalName,
            i.principalUpn,
            i.roleName,
            i.scheduleKind === "eligibility" ? "Eligible" : "Active",
            i.recommendation,
            i.recommendationReason,
            i.lastSignInAt,
            i.lastActivationAt,
          ];
          const tail: CsvValue[] = [i.outcome, i.outcomeSource, i.applyResult];
          if (i.decisions.length === 0) yield [...common, null, null, null, null, null, ...tail];
          for (const d of i.decisions)
            yield [...common, d.stage + 1, d.decision, d.reviewerName, d.justification, d.decidedAt, ...tail];
        }
        if (!page.nextCursor) return;
        cursor = page.nextCursor;
      }
    }
    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(csvStream(HEADER, rows()), { headers: csvHeaders(`access-review-${stamp}.csv`) });
  } catch (err) {
    if (isPimError(err))
      return Response.json({ error: { code: err.code, message: err.message } }, { status: httpStatusFor(err) });
    console.error("access review export failed", err);
    return Response.json({ error: { code: "Internal", message: "The export failed." } }, { status: 500 });
  }
}

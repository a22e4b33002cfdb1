import { eq, sql } from "drizzle-orm";
import { jobState } from "@/db/schema";
import type { Ctx } from "../context";
import { rowsOf } from "../sql-rows";
import { storeAlertEvaluations } from "./evaluate";
import { loadPimSettings } from "./pim-settings";
import { advanceReviews, type ReviewJobCounts } from "./review-lifecycle";

const ALERTS_LOCK = 727_014;

export type GovernanceJobResult = {
  alerts: { evaluated: boolean; raised: string[] };
  reviews: ReviewJobCounts;
};

/**
 * The governance part of the scheduled job (cron route, in-process scheduler, `npm run worker`): evaluates
 * the security alerts when the last evaluation is older than the interval (one caller at a time: a
 * transaction-level try-lock, so concurrent callers skip instead of waiting), then moves access reviews
 * along (start, stages, reminders, completion, auto-apply, the next recurring instance).
 */
export async function runGovernanceJobs(ctx: Ctx): Promise<GovernanceJobResult> {
  const now = ctx.now();
  const alerts = await ctx.db.transaction(async (tx) => {
    const got = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${ALERTS_LOCK}) as ok`));
    if (!got[0]?.ok) return { evaluated: false, raised: [] as string[] };
    const [last] = await tx.select().from(jobState).where(eq(jobState.name, "alerts"));
    // At most every `alertEvaluationMinutes` (PIM Settings, default 15); Refresh evaluates at once.
    const interval = (await loadPimSettings(tx)).alertEvaluationMinutes * 60_000;
    if (last?.lastRunAt && now.getTime() - last.lastRunAt.getTime() < interval)
      return { evaluated: false, raised: [] as string[] };
    const r = await storeAlertEvaluations(tx, now);
    const result = { raised: r.raised };
    await tx
      .insert(jobState)
      .values({ name: "alerts", lastRunAt: now, lastResult: result })
      .onConflictDoUpdate({ target: jobState.name, set: { lastRunAt: now, lastResult: result } });
    return { evaluated: true, raised: r.raised as string[] };
  });
  const reviews = await advanceReviews(ctx);
  return { alerts, reviews };
}

import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import type { Ctx } from "@/lib/pim/context";
import { describeError } from "./deliver";
import { runJobs, type JobsOptions } from "./jobs";

/** Constant-time comparison of the Authorization header with "Bearer <secret>" (hashing equalizes lengths). */
export function bearerMatches(header: string | null, secret: string): boolean {
  const a = new Uint8Array(
    createHash("sha256")
      .update(header ?? "")
      .digest(),
  );
  const b = new Uint8Array(createHash("sha256").update(`Bearer ${secret}`).digest());
  return timingSafeEqual(a, b);
}

const error = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status });

/**
 * The cron endpoint (GET for Vercel Cron, POST for curl/crontab). Fails closed: without CRON_SECRET
 * it answers 503 and does nothing; with a missing or wrong bearer token, 401 and nothing.
 * The jobs run at the request's time (`getCtx().now`: the wall clock; in a test build, the request's test clock).
 */
export async function handleCron(
  req: Request,
  getCtx: () => Promise<Ctx>,
  options: JobsOptions = {},
): Promise<Response> {
  const secret = env().CRON_SECRET;
  if (!secret) return error(503, "CronNotConfigured", "CRON_SECRET is not set; the cron route is disabled.");
  if (!bearerMatches(req.headers.get("authorization"), secret)) {
    return error(401, "Unauthorized", "Send Authorization: Bearer <CRON_SECRET>.");
  }
  const ctx = await getCtx();
  const now = ctx.now();
  try {
    const result = await runJobs({ db: ctx.db, now: () => now }, options);
    return Response.json({ ok: true, ...result });
  } catch (err) {
    console.error(`[pim cron] jobs failed: ${describeError(err)}`);
    return error(500, "JobFailed", "The expiry job failed; see the server log.");
  }
}

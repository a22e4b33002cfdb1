import { jobState } from "@/db/schema";
import { env } from "@/lib/env";
import type { Ctx } from "@/lib/pim/context";
import { expireDue } from "@/lib/pim/use-cases/expire-due";
import { deliverDue, type DeliveryResult, type MailTransport } from "./deliver";
import { smtpTransport } from "./transport";
import { publicBaseUrl } from "@/lib/pim/notifications/links";

export type ExpireCounts = Awaited<ReturnType<typeof expireDue>>;
export type JobsResult = {
  now: string;
  expire: ExpireCounts;
  delivery: DeliveryResult;
  emailConfigured: boolean;
  tookMs: number;
};

export type JobsOptions = {
  /** Override the SMTP transport (tests); default: SMTP_URL or none. */
  transport?: MailTransport | null;
  batchSize?: number;
};

/**
 * One run of the background jobs, shared by the cron route, the in-process scheduler and `npm run worker`:
 * record what expired (statuses, audit, notices; the engine's expireDue, in bounded batches with
 * SKIP LOCKED so several callers split the work), then a delivery pass over the email outbox.
 * Safe to call concurrently and repeatedly: a second call finds nothing left to do.
 */
export async function runJobs(ctx: Ctx, options: JobsOptions = {}): Promise<JobsResult> {
  const started = Date.now();
  const now = ctx.now();
  const fixed: Ctx = { db: ctx.db, now: () => now };
  const expire = await expireDue(fixed, { batchSize: options.batchSize ?? 500 });
  const transport = options.transport === undefined ? smtpTransport() : options.transport;
  const delivery = await deliverDue(ctx.db, now, {
    transport,
    from: env().MAIL_FROM,
    messageIdDomain: new URL(publicBaseUrl()).hostname,
  });
  const result: JobsResult = {
    now: now.toISOString(),
    expire,
    delivery,
    emailConfigured: Boolean(transport),
    tookMs: Date.now() - started,
  };
  await ctx.db
    .insert(jobState)
    .values({ name: "expire", lastRunAt: now, lastResult: { expire, delivery } })
    .onConflictDoUpdate({ target: jobState.name, set: { lastRunAt: now, lastResult: { expire, delivery } } });
  return result;
}

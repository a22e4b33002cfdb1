import { jobState } from "@/db/schema";
import { env } from "@/lib/env";
import type { Ctx } from "@/lib/pim/context";
import { expireDue } from "@/lib/pim/use-cases/expire-due";
import { runGovernanceJobs, type GovernanceJobResult } from "@/lib/pim/governance/jobs";
import { loadPimSettings, senderWithName } from "@/lib/pim/governance/pim-settings";
import { deliverDue, type DeliveryResult, type MailTransport } from "./deliver";
import { smtpTransport } from "./transport";
import { publicBaseUrl } from "@/lib/notify/public-url";
import { runAuditDuties, type AuditDutiesResult } from "@/lib/pim/audit-chain/duties";
import { auditChainConfig } from "@/lib/audit-config";
import { describeError } from "./deliver";
import { decryptSecret } from "@/lib/auth/secret-box";
import { deliverWebhooks, type WebhookDeliveryResult } from "./webhooks";
import { purgeRateLimitWindows } from "@/lib/api/rate-limit";
import { purgeOldNotices, type NoticeRetentionResult } from "@/lib/pim/notifications/retention";

export type ExpireCounts = Awaited<ReturnType<typeof expireDue>>;
export type JobsResult = {
  now: string;
  expire: ExpireCounts;
  delivery: DeliveryResult;
  /** Webhook deliveries (lib/notify/webhooks.ts). */
  webhooks: WebhookDeliveryResult | { error: string };
  /** Alerts evaluated, access reviews moved along (lib/pim/governance/jobs.ts). */
  governance: GovernanceJobResult | { error: string };
  /** Audit checkpoint and scheduled verification (lib/pim/audit-chain/duties.ts). */
  audit: AuditDutiesResult | { error: string };
  /** Notices, delivered emails and outbox events past NOTICE_RETENTION_DAYS, deleted (retention.ts). */
  retention: NoticeRetentionResult | { error: string };
  emailConfigured: boolean;
  tookMs: number;
};

export type JobsOptions = {
  /** Override the SMTP transport (tests); default: SMTP_URL or none. */
  transport?: MailTransport | null;
  batchSize?: number;
  /** Override the HTTP client of webhook deliveries (tests). */
  webhookFetch?: typeof fetch;
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
  // Before delivery, so a new High alert's and a review's notices go out in this same pass.
  const governance = await runGovernanceJobs(fixed).catch((err: unknown) => ({ error: describeError(err) }));
  const transport = options.transport === undefined ? smtpTransport() : options.transport;
  // Before delivery, so a break alert or a checkpoint email goes out in this same pass.
  const audit = await runAuditDuties(ctx.db, now, auditChainConfig(Boolean(transport))).catch((err: unknown) => ({
    error: describeError(err),
  }));
  const sender = await loadPimSettings(ctx.db).catch(() => null);
  const delivery = await deliverDue(ctx.db, now, {
    transport,
    from: sender ? senderWithName(env().MAIL_FROM, sender.notificationSenderName ?? "") : env().MAIL_FROM,
    replyTo: sender?.notificationReplyTo || undefined,
    messageIdDomain: new URL(publicBaseUrl()).hostname,
  });
  // After the fan-out above (deliverDue runs it first), so this pass sends the events it just queued.
  const webhooks = await deliverWebhooks(ctx.db, now, {
    decrypt: (box) => decryptSecret(box),
    baseUrl: publicBaseUrl(),
    ...(options.webhookFetch ? { fetch: options.webhookFetch } : {}),
  }).catch((err: unknown) => ({ error: describeError(err) }));
  // Rate-limit windows that ended (lib/api/rate-limit.ts); a failure here must not fail the pass.
  await purgeRateLimitWindows(ctx.db, now).catch(() => undefined);
  // Last: what this pass delivered is young; a failure here must not fail the pass either.
  const retention = await purgeOldNotices(ctx.db, now, { retentionDays: env().NOTICE_RETENTION_DAYS }).catch(
    (err: unknown) => ({ error: describeError(err) }),
  );
  const result: JobsResult = {
    now: now.toISOString(),
    expire,
    delivery,
    webhooks,
    governance,
    audit,
    retention,
    emailConfigured: Boolean(transport),
    tookMs: Date.now() - started,
  };
  await ctx.db
    .insert(jobState)
    .values({ name: "expire", lastRunAt: now, lastResult: { expire, delivery } })
    .onConflictDoUpdate({ target: jobState.name, set: { lastRunAt: now, lastResult: { expire, delivery } } });
  return result;
}

import { and, desc, eq, lt, or } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";

export type WebhookEndpointRow = {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledAt: Date | null;
  disabledReason: string | null;
  consecutiveFailures: number;
  createdAt: Date;
};

const endpointCols = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  eventTypes: webhookEndpoints.eventTypes,
  enabled: webhookEndpoints.enabled,
  disabledAt: webhookEndpoints.disabledAt,
  disabledReason: webhookEndpoints.disabledReason,
  consecutiveFailures: webhookEndpoints.consecutiveFailures,
  createdAt: webhookEndpoints.createdAt,
};

/** The Webhooks page (GA or PRA now): every endpoint (a small table), newest first. */
export async function listWebhookEndpoints(ctx: Ctx, actor: Actor): Promise<WebhookEndpointRow[]> {
  await assertPimAdmin(ctx.db, actor, ctx.now(), "manage webhooks");
  return ctx.db.select(endpointCols).from(webhookEndpoints).orderBy(desc(webhookEndpoints.createdAt)).limit(100);
}

export type WebhookDeliveryRow = {
  id: string;
  messageId: string;
  eventType: string;
  status: "pending" | "sending" | "delivered" | "failed";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  createdAt: Date;
};

/**
 * An endpoint's delivery log (GA or PRA now): newest first, `limit` rows, keyset on (created_at, id) from the
 * `before` cursor (index webhook_deliveries_log_idx). Two statements whatever the log's length.
 */
export async function webhookDeliveryLog(
  ctx: Ctx,
  actor: Actor,
  q: { endpointId: string; before?: { createdAt: Date; id: string } | null; limit?: number },
): Promise<{
  endpoint: WebhookEndpointRow | null;
  rows: WebhookDeliveryRow[];
  next: { createdAt: Date; id: string } | null;
}> {
  await assertPimAdmin(ctx.db, actor, ctx.now(), "manage webhooks");
  const limit = Math.min(q.limit ?? 50, 200);
  const [endpoint] = await ctx.db
    .select(endpointCols)
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, q.endpointId));
  if (!endpoint) return { endpoint: null, rows: [], next: null };
  const d = webhookDeliveries;
  const rows = await ctx.db
    .select({
      id: d.id,
      messageId: d.messageId,
      eventType: d.eventType,
      status: d.status,
      attempts: d.attempts,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      nextAttemptAt: d.nextAttemptAt,
      deliveredAt: d.deliveredAt,
      createdAt: d.createdAt,
    })
    .from(d)
    .where(
      and(
        eq(d.endpointId, q.endpointId),
        q.before
          ? or(lt(d.createdAt, q.before.createdAt), and(eq(d.createdAt, q.before.createdAt), lt(d.id, q.before.id)))
          : undefined,
      ),
    )
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { endpoint, rows: page, next: more && last ? { createdAt: last.createdAt, id: last.id } : null };
}

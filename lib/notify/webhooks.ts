/**
 * Webhook delivery (the worker's second outbox): due deliveries are claimed FOR UPDATE SKIP LOCKED with a
 * lease, POSTed with Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature:
 * v1,<base64 HMAC-SHA256(secret, "id.timestamp.body")>`), and every attempt is logged with its response code.
 * A 2xx marks the delivery delivered (never sent again unless an admin redelivers); anything else retries
 * with exponential backoff up to `maxAttempts`, then `failed` (redeliverable). An endpoint whose attempts fail
 * `disableAfter` times in a row is disabled and the PIM admins are told; its deliveries wait, nothing is lost.
 * Completion is fenced by (status = 'sending', attempts = the claimed attempt), as the email outbox does.
 */
import { createHmac } from "node:crypto";
import { and, asc, eq, inArray, lt, lte, sql } from "drizzle-orm";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { Db } from "@/db/types";
import { insertNotices } from "@/lib/pim/notifications/emit";
import { pimAdmins } from "@/lib/pim/notifications/recipients";
import { describeError, retryDelayMs } from "./deliver";

export type WebhookDeliveryOptions = {
  /** Decrypts an endpoint's stored secret (lib/auth/secret-box.ts in the app; tests may pass their own). */
  decrypt: (box: string) => string;
  fetch?: typeof fetch;
  /** The time written in `webhook-timestamp`: the real moment of sending (receivers check it against theirs). */
  signingClock?: () => Date;
  batchSize?: number;
  maxPerPass?: number;
  leaseMs?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Failed attempts in a row (any of the endpoint's deliveries) after which the endpoint is disabled. */
  disableAfter?: number;
  concurrency?: number;
  /** The portal's public address, for the link in the admins' notice. */
  baseUrl?: string;
};

export type WebhookDeliveryResult = {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
  reclaimed: number;
  endpointsDisabled: number;
};

export const WEBHOOK_DEFAULTS = {
  batchSize: 25,
  maxPerPass: 500,
  leaseMs: 5 * 60_000,
  timeoutMs: 10_000,
  maxAttempts: 12,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  disableAfter: 20,
  concurrency: 4,
} as const;

/** Standard Webhooks signature: `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)), key = base64 after `whsec_`. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = new Uint8Array(Buffer.from(secret.replace(/^whsec_/, ""), "base64"));
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

type Claimed = {
  id: string;
  endpointId: string;
  messageId: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
};

async function claim(db: Db, now: Date, limit: number, leaseMs: number): Promise<Claimed[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(
        and(
          eq(webhookDeliveries.status, "pending"),
          lte(webhookDeliveries.nextAttemptAt, now),
          eq(webhookEndpoints.enabled, true),
        ),
      )
      .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
      .limit(limit)
      .for("update", { of: webhookDeliveries, skipLocked: true });
    if (due.length === 0) return [];
    const rows = await tx
      .update(webhookDeliveries)
      .set({
        status: "sending",
        lockedUntil: new Date(now.getTime() + leaseMs),
        attempts: sql`${webhookDeliveries.attempts} + 1`,
      })
      .where(
        and(
          inArray(
            webhookDeliveries.id,
            due.map((d) => d.id),
          ),
          eq(webhookDeliveries.status, "pending"),
        ),
      )
      .returning({
        id: webhookDeliveries.id,
        endpointId: webhookDeliveries.endpointId,
        messageId: webhookDeliveries.messageId,
        body: webhookDeliveries.body,
        attempts: webhookDeliveries.attempts,
      });
    const eps = await tx
      .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, secret: webhookEndpoints.secretEncrypted })
      .from(webhookEndpoints)
      .where(
        inArray(
          webhookEndpoints.id,
          rows.map((r) => r.endpointId),
        ),
      );
    const byId = new Map(eps.map((e) => [e.id, e]));
    return rows.map((r) => ({ ...r, url: byId.get(r.endpointId)!.url, secret: byId.get(r.endpointId)!.secret }));
  });
}

/** One POST; the response code, or the error when there was no answer. Redirects are not followed. */
async function post(
  o: { fetch: typeof fetch; timeoutMs: number },
  d: Claimed,
  secret: string,
  at: Date,
): Promise<{ status: number | null; error: string | null }> {
  const ts = Math.floor(at.getTime() / 1000);
  try {
    const res = await o.fetch(d.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(o.timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "PIM-Portal-Webhooks/1",
        "webhook-id": d.messageId,
        "webhook-timestamp": String(ts),
        "webhook-signature": signWebhook(secret, d.messageId, ts, d.body),
      },
      body: d.body,
    });
    await res.body?.cancel().catch(() => undefined);
    return { status: res.status, error: res.ok ? null : `HTTP ${res.status}` };
  } catch (err) {
    const e = err as { name?: string; cause?: unknown };
    const why =
      e?.name === "TimeoutError" ? `No answer within ${o.timeoutMs / 1000} s` : describeError(e?.cause ?? err);
    return { status: null, error: why };
  }
}

/** Tells the PIM admins (in the portal, and by email when they have one) that an endpoint was disabled. */
async function tellAdmins(tx: Db, now: Date, ep: { id: string; url: string }, reason: string, baseUrl: string) {
  const admins = await pimAdmins(tx, now);
  const link = `/webhooks/${ep.id}`;
  const subject = "PIM: webhook endpoint disabled";
  const text = `The webhook endpoint ${ep.url} was disabled: ${reason}\nIts events are kept and will be delivered once it is enabled again.\n${baseUrl.replace(/\/+$/, "")}${link}`;
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  await insertNotices(
    tx,
    admins.map((p) => ({
      createdAt: now,
      eventType: "webhookDisabled",
      recipientUserId: p.userId,
      recipientEmail: p.email,
      subject,
      bodyText: text,
      bodyHtml: `<p>${esc(text).replace(/\n/g, "<br>")}</p>`,
      link,
      status: p.email ? ("pending" as const) : ("skipped" as const),
      nextAttemptAt: now,
      dedupeKey: `webhookDisabled:${ep.id}:${now.toISOString()}:${p.userId}`,
    })),
  );
}

/** One delivery pass (runJobs and the fan-out relay call it). Safe with several workers at once. */
export async function deliverWebhooks(
  db: Db,
  now: Date,
  options: WebhookDeliveryOptions,
): Promise<WebhookDeliveryResult> {
  const o = { ...WEBHOOK_DEFAULTS, fetch: globalThis.fetch, signingClock: () => new Date(), baseUrl: "", ...options };
  const result: WebhookDeliveryResult = {
    claimed: 0,
    delivered: 0,
    retried: 0,
    failed: 0,
    reclaimed: 0,
    endpointsDisabled: 0,
  };
  const reclaimed = await db
    .update(webhookDeliveries)
    .set({ status: "pending", lockedUntil: null })
    .where(and(eq(webhookDeliveries.status, "sending"), lt(webhookDeliveries.lockedUntil, now)))
    .returning({ id: webhookDeliveries.id });
  result.reclaimed = reclaimed.length;

  const secrets = new Map<string, string>();
  const disabledNow = new Set<string>();
  while (result.claimed < o.maxPerPass) {
    const claimed = await claim(db, now, Math.min(o.batchSize, o.maxPerPass - result.claimed), o.leaseMs);
    if (claimed.length === 0) break;
    result.claimed += claimed.length;
    const queue = [...claimed];
    const worker = async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        const fence = and(
          eq(webhookDeliveries.id, d.id),
          eq(webhookDeliveries.status, "sending"),
          eq(webhookDeliveries.attempts, d.attempts),
        );
        if (disabledNow.has(d.endpointId)) {
          // the endpoint was disabled during this pass: hand the delivery back untouched
          await db
            .update(webhookDeliveries)
            .set({ status: "pending", lockedUntil: null, attempts: sql`${webhookDeliveries.attempts} - 1` })
            .where(fence);
          result.claimed--;
          continue;
        }
        let secret = secrets.get(d.endpointId);
        if (secret === undefined) secrets.set(d.endpointId, (secret = o.decrypt(d.secret)));
        const started = Date.now();
        const r = await post(o, d, secret, o.signingClock());
        const ok = r.status !== null && r.status >= 200 && r.status < 300;
        const final = !ok && d.attempts >= o.maxAttempts;
        await db.transaction(async (tx) => {
          await tx.insert(webhookAttempts).values({
            deliveryId: d.id,
            at: now,
            statusCode: r.status,
            error: r.error,
            durationMs: Math.max(0, Date.now() - started),
          });
          await tx
            .update(webhookDeliveries)
            .set(
              ok
                ? {
                    status: "delivered",
                    deliveredAt: now,
                    lockedUntil: null,
                    lastStatusCode: r.status,
                    lastError: null,
                  }
                : {
                    status: final ? "failed" : "pending",
                    lockedUntil: null,
                    lastStatusCode: r.status,
                    lastError: r.error,
                    nextAttemptAt: new Date(now.getTime() + retryDelayMs(d.attempts, o.baseDelayMs, o.maxDelayMs)),
                  },
            )
            .where(fence);
          if (ok) {
            await tx
              .update(webhookEndpoints)
              .set({ consecutiveFailures: 0 })
              .where(eq(webhookEndpoints.id, d.endpointId));
            return;
          }
          const [ep] = await tx
            .update(webhookEndpoints)
            .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
            .where(eq(webhookEndpoints.id, d.endpointId))
            .returning({
              n: webhookEndpoints.consecutiveFailures,
              enabled: webhookEndpoints.enabled,
              url: webhookEndpoints.url,
            });
          if (ep && ep.enabled && ep.n >= o.disableAfter) {
            const reason = `${ep.n} delivery attempts in a row failed (last: ${r.error ?? "no answer"}).`;
            await tx
              .update(webhookEndpoints)
              .set({ enabled: false, disabledAt: now, disabledReason: reason, updatedAt: now })
              .where(and(eq(webhookEndpoints.id, d.endpointId), eq(webhookEndpoints.enabled, true)));
            disabledNow.add(d.endpointId);
            result.endpointsDisabled++;
            await tellAdmins(tx, now, { id: d.endpointId, url: ep.url }, reason, o.baseUrl);
          }
        });
        if (ok) result.delivered++;
        else if (final) result.failed++;
        else result.retried++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.concurrency, claimed.length) }, worker));
  }
  return result;
}

import { and, asc, eq, isNotNull, lt, lte, sql } from "drizzle-orm";
import { notifications } from "@/db/schema";
import type { Db } from "@/db/types";
import { fanOutEvents, type FanOutResult } from "@/lib/pim/notifications/fan-out";
import { noticeColumns } from "@/lib/pim/notifications/notice-body";
import { publicBaseUrl } from "./public-url";

/** What delivery needs from a mail transport (nodemailer's transporter fits; tests may pass a fake). */
export type MailTransport = {
  sendMail(message: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html: string;
    messageId: string;
    headers: Record<string, string>;
  }): Promise<unknown>;
};

export type DeliveryOptions = {
  /** null when SMTP_URL is not set: nothing is claimed and emails stay `pending` (see docs/operations.md). */
  transport: MailTransport | null;
  from: string;
  /** Reply-To of the emails (PIM Settings); none when empty. */
  replyTo?: string;
  /** The portal's public address for links in notices (default: PUBLIC_URL / AUTH_URL, lib/notify/public-url.ts). */
  baseUrl?: string;
  /** Rows claimed per transaction. */
  batchSize?: number;
  /** Upper bound of rows one pass handles (the next pass continues). */
  maxPerPass?: number;
  /** How long a claim is held; a worker that dies mid-send loses its rows to the next pass after this. */
  leaseMs?: number;
  /** Attempts before a row is marked `failed`. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Emails queued longer ago than this are not sent any more (e.g. SMTP configured weeks later). */
  maxAgeMs?: number;
  concurrency?: number;
  /** Domain for Message-ID headers. */
  messageIdDomain?: string;
};

export type DeliveryResult = {
  /** The fan-out step: notification events turned into notices (in-portal and email rows). */
  fanOut: FanOutResult;
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  reclaimed: number;
  stale: number;
};

export const DELIVERY_DEFAULTS = {
  batchSize: 25,
  maxPerPass: 500,
  leaseMs: 10 * 60_000,
  maxAttempts: 8,
  baseDelayMs: 60_000,
  maxDelayMs: 60 * 60_000,
  maxAgeMs: 7 * 24 * 60 * 60_000,
  concurrency: 4,
} as const;

/** Exponential backoff after the n-th failed attempt (1-based): base × 2^(n-1), capped. */
export function retryDelayMs(
  attempts: number,
  baseMs: number = DELIVERY_DEFAULTS.baseDelayMs,
  maxMs: number = DELIVERY_DEFAULTS.maxDelayMs,
): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/** SMTP 5xx answers (e.g. 550 no such mailbox) will not get better by retrying. */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: unknown })?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/** Error text for the admins' list: short, one line, never a password from a URL. */
export function describeError(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw
    .replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, "//***:***@")
    .replace(/\s+/g, " ")
    .slice(0, 500);
}

/** A claimed notice, its body as the reader sees it (`noticeColumns`: a fan-out's notice keeps only its greeting). */
type Claimed = Omit<typeof notifications.$inferSelect, "bodyText" | "bodyHtml"> & {
  bodyText: string;
  bodyHtml: string;
};

/**
 * One delivery pass over the outbox.
 * - First the fan-out (`fanOutEvents`): every pending notification event becomes its recipients' notices,
 *   exactly once (claimed SKIP LOCKED, marked in the same transaction, unique dedupe keys). This runs with
 *   or without SMTP: the in-portal notices must appear either way.
 * - Rows in `sending` whose lease ran out (a worker died) go back to `pending`.
 * - Due rows (`pending`, next_attempt_at <= now, with an email) are claimed in batches with
 *   FOR UPDATE SKIP LOCKED and marked `sending` with a lease, so two workers never claim one row.
 * - Success → `sent`; failure → `pending` again after an exponential backoff; a permanent SMTP
 *   refusal or the last attempt → `failed` (listed for admins on the Notifications page).
 * Completion is fenced by (status = 'sending', attempts = the claimed attempt), so a late worker cannot
 * overwrite a row someone else reclaimed. Delivery is at-least-once only if a worker dies between the
 * SMTP server's "250 OK" and the database update; the Message-ID header lets receivers drop such a repeat.
 */
export async function deliverDue(db: Db, now: Date, options: DeliveryOptions): Promise<DeliveryResult> {
  const o = { ...DELIVERY_DEFAULTS, ...options };
  const fanOut = await fanOutEvents(db, now, { baseUrl: o.baseUrl ?? publicBaseUrl() });
  const result: DeliveryResult = { fanOut, claimed: 0, sent: 0, retried: 0, failed: 0, reclaimed: 0, stale: 0 };
  if (!o.transport) return result;
  const transport = o.transport;
  const domain = o.messageIdDomain ?? "pim-portal.local";

  const reclaimed = await db
    .update(notifications)
    .set({ status: "pending", lockedUntil: null })
    .where(and(eq(notifications.status, "sending"), lt(notifications.lockedUntil, now)))
    .returning({ id: notifications.id });
  result.reclaimed = reclaimed.length;

  const stale = await db
    .update(notifications)
    .set({ status: "skipped", lastError: "Not sent: older than the delivery window when mail became available" })
    .where(
      and(
        eq(notifications.status, "pending"),
        lte(notifications.nextAttemptAt, now),
        lt(notifications.createdAt, new Date(now.getTime() - o.maxAgeMs)),
      ),
    )
    .returning({ id: notifications.id });
  result.stale = stale.length;

  const started = Date.now();
  while (result.claimed < o.maxPerPass && Date.now() - started <= o.leaseMs / 2) {
    // The due rows are locked in a CTE, which PostgreSQL runs once. As `id IN (SELECT … FOR UPDATE SKIP
    // LOCKED)` it became a semi-join that re-ran the locking sub-select for every outer row: a second worker
    // claiming at the same moment as the first got no row at all (deliver.test.ts, two workers).
    const due = db.$with("due").as(
      db
        .select({ id: notifications.id })
        .from(notifications)
        .where(
          and(
            eq(notifications.status, "pending"),
            lte(notifications.nextAttemptAt, now),
            isNotNull(notifications.recipientEmail),
          ),
        )
        .orderBy(asc(notifications.nextAttemptAt))
        .limit(Math.min(o.batchSize, o.maxPerPass - result.claimed))
        .for("update", { skipLocked: true }),
    );
    const claimed: Claimed[] = await db
      .with(due)
      .update(notifications)
      .set({
        status: "sending",
        lockedUntil: new Date(now.getTime() + o.leaseMs),
        attempts: sql`${notifications.attempts} + 1`,
      })
      .from(due)
      .where(and(eq(notifications.id, due.id), eq(notifications.status, "pending")))
      .returning(noticeColumns);
    if (claimed.length === 0) break;
    result.claimed += claimed.length;

    const queue = [...claimed];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const fence = and(
          eq(notifications.id, row.id),
          eq(notifications.status, "sending"),
          eq(notifications.attempts, row.attempts),
        );
        // Never start a send whose lease may run out before it finishes: hand the row back instead.
        if (Date.now() - started > o.leaseMs / 2) {
          await db
            .update(notifications)
            .set({ status: "pending", lockedUntil: null, attempts: sql`${notifications.attempts} - 1` })
            .where(fence);
          result.claimed--;
          continue;
        }
        try {
          await transport.sendMail({
            from: options.from,
            to: row.recipientEmail ?? "",
            subject: row.subject,
            text: row.bodyText,
            html: row.bodyHtml,
            messageId: `<${row.id}@${domain}>`,
            headers: {
              "X-PIM-Notification-Id": row.id,
              "Auto-Submitted": "auto-generated",
              ...(options.replyTo ? { "Reply-To": options.replyTo } : {}),
            },
          });
          await db
            .update(notifications)
            .set({ status: "sent", sentAt: now, lockedUntil: null, lastError: null })
            .where(fence);
          result.sent++;
        } catch (err) {
          const final = isPermanent(err) || row.attempts >= o.maxAttempts;
          await db
            .update(notifications)
            .set(
              final
                ? { status: "failed", lockedUntil: null, lastError: describeError(err) }
                : {
                    status: "pending",
                    lockedUntil: null,
                    lastError: describeError(err),
                    nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts, o.baseDelayMs, o.maxDelayMs)),
                  },
            )
            .where(fence);
          if (final) result.failed++;
          else result.retried++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
    if (claimed.length < o.batchSize) break;
  }
  return result;
}

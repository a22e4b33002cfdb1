import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { notificationEvents } from "@/db/schema";
import type { Db } from "@/db/types";
import { insertEventNotices } from "./emit";
import type { NotificationEvent } from "./events";
import { queueWebhookDeliveries } from "./webhook-events";

export type FanOutOptions = {
  /** The portal's public address, for the links in the notices (the adapter reads it from its settings). */
  baseUrl: string;
  /** Events per transaction. */
  batchSize?: number;
  /** Upper bound of events one pass handles (the next pass continues). */
  maxPerPass?: number;
};

export type FanOutResult = {
  /** Events fanned out by this pass. */
  events: number;
  /** Notices this pass inserted (a notice already queued under its dedupe key is not counted). */
  notices: number;
  /** Events whose fan-out failed this pass (kept pending with a backoff). */
  failed: number;
};

export const FAN_OUT_DEFAULTS = { batchSize: 50, maxPerPass: 5000 } as const;

type Claimed = { id: number; createdAt: Date; event: Record<string, unknown> };

const due = (now: Date) =>
  and(
    isNull(notificationEvents.fannedOutAt),
    or(isNull(notificationEvents.nextAttemptAt), lte(notificationEvents.nextAttemptAt, now)),
  );

async function claim(tx: Db, now: Date, limit: number, onlyId?: number): Promise<Claimed[]> {
  return tx
    .select({ id: notificationEvents.id, createdAt: notificationEvents.createdAt, event: notificationEvents.event })
    .from(notificationEvents)
    .where(onlyId === undefined ? due(now) : and(due(now), eq(notificationEvents.id, onlyId)))
    .orderBy(asc(notificationEvents.id))
    .limit(limit)
    .for("update", { skipLocked: true });
}

/** Fans the claimed events out (notices and webhook deliveries) and marks them done, all in the caller's transaction. */
async function fanOut(tx: Db, now: Date, baseUrl: string, events: Claimed[]): Promise<number> {
  // The set-based insert's row estimates (a JSON parameter, arrays of ids) are far above the few hundred rows it
  // handles, which put its cost over jit_above_cost: compiling it took ~90 ms of a 40 ms statement (issue 10).
  // Nothing in a fan-out is big enough to gain from JIT.
  await tx.execute(sql`set local jit = off`);
  // One statement per event: the database resolves the recipients and writes the notices (no notice is built in Node).
  let inserted = 0;
  for (const e of events) inserted += await insertEventNotices(tx, e.createdAt, e.event as NotificationEvent, baseUrl);
  await queueWebhookDeliveries(
    tx,
    now,
    events.map((e) => ({ id: e.id, createdAt: e.createdAt, event: e.event as NotificationEvent })),
  );
  await tx
    .update(notificationEvents)
    .set({ fannedOutAt: now, lastError: null })
    .where(
      inArray(
        notificationEvents.id,
        events.map((e) => e.id),
      ),
    );
  return inserted;
}

/** The database's own words (Drizzle wraps them in "Failed query: …" with every parameter): one short line. */
function describe(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").slice(0, 500);
}

/**
 * One fan-out pass (the delivery worker's first step): pending notification events, oldest first, each
 * turned into its recipients' notices (recipients and texts as of the event's time).
 *
 * Exactly once, never lost: a batch of events is claimed `FOR UPDATE SKIP LOCKED`, its notices inserted
 * and the events marked fanned out in ONE transaction. Two workers never claim the same event; a worker
 * that dies mid-fan-out rolls back and leaves the event pending for the next pass; and every notice has a
 * unique dedupe key (event + recipient), so even a repeated fan-out could not queue a notice twice. A batch
 * that fails is retried event by event, so one bad event (kept pending with a backoff and its error)
 * never holds back the others.
 */
export async function fanOutEvents(db: Db, now: Date, options: FanOutOptions): Promise<FanOutResult> {
  const o = { ...FAN_OUT_DEFAULTS, ...options };
  const result: FanOutResult = { events: 0, notices: 0, failed: 0 };
  while (result.events + result.failed < o.maxPerPass) {
    const limit = Math.min(o.batchSize, o.maxPerPass - result.events - result.failed);
    let claimedIds: number[] = [];
    try {
      const done = await db.transaction(async (tx) => {
        const events = await claim(tx, now, limit);
        claimedIds = events.map((e) => e.id);
        if (events.length === 0) return null;
        return { count: events.length, notices: await fanOut(tx, now, o.baseUrl, events) };
      });
      if (!done) break;
      result.events += done.count;
      result.notices += done.notices;
      if (done.count < limit) break;
    } catch (batchErr) {
      // Nothing claimed: the database itself failed; the caller logs it and the next pass tries again.
      if (claimedIds.length === 0) throw batchErr;
      // One of the batch failed: the transaction rolled back; go event by event.
      for (const id of claimedIds) {
        try {
          const one = await db.transaction(async (tx) => {
            const events = await claim(tx, now, 1, id);
            return events.length === 0 ? null : fanOut(tx, now, o.baseUrl, events);
          });
          if (one !== null) {
            result.events++;
            result.notices += one;
          }
        } catch (err) {
          result.failed++;
          // Kept pending (never given up) with a backoff of 30 s × 2^(attempts-1), at most an hour.
          await db
            .update(notificationEvents)
            .set({
              attempts: sql`${notificationEvents.attempts} + 1`,
              nextAttemptAt: sql`${now.toISOString()}::timestamptz + (least(3600, 30 * power(2, ${notificationEvents.attempts}))::text || ' seconds')::interval`,
              lastError: describe(err),
            })
            .where(and(eq(notificationEvents.id, id), isNull(notificationEvents.fannedOutAt)));
        }
      }
    }
  }
  return result;
}

import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/types";
import { rowsOf } from "../sql-rows";

export type NoticeRetentionResult = {
  /** Notices deleted: delivered, skipped or failed, and older than the retention. */
  notices: number;
  /** Outbox events deleted: fanned out, and older than the retention. */
  events: number;
  /** Notice bodies deleted: no fan-out used them within the retention. */
  bodies: number;
  /** False when a batch was full: the next run goes on where this one stopped. */
  done: boolean;
};

export type NoticeRetentionOptions = {
  /** Notices, events and bodies younger than this many days are kept. */
  retentionDays: number;
  /** Rows deleted at most per table and run (each run is short; the next run takes the next batch). */
  batchSize?: number;
};

const DAY_MS = 86_400_000;

const deleted = (res: unknown): number => Number(rowsOf<{ n: number | string }>(res)[0]?.n ?? 0);

/**
 * Notice retention, a step of the background jobs: the bell's notices, the email outbox's rows and the events
 * they were fanned out from are kept `retentionDays`, then deleted, oldest first and in batches (indexes on
 * their created_at, migration 0024), so a run costs the same at any table size and nothing when nothing is due.
 * Rows still owed a delivery (pending, sending) and events not yet fanned out are never deleted. A notice's
 * body (notification_bodies, shared by an audience) goes once no fan-out has used it within the retention and
 * the notices past the retention are all gone: every notice naming it is then gone too, because a fan-out that
 * reuses a body moves its created_at on (notice-insert.ts) and a notice is never younger than its body's time.
 * The audit trail is not touched: it has its own retention. Safe when several instances run it at once (each
 * delete takes rows another has not taken; a row deleted twice counts once).
 */
export async function purgeOldNotices(
  db: Db,
  now: Date,
  options: NoticeRetentionOptions,
): Promise<NoticeRetentionResult> {
  const cutoff = new Date(now.getTime() - options.retentionDays * DAY_MS).toISOString();
  const batch = options.batchSize ?? 5_000;
  /** Deletes the oldest batch of `table`'s rows past the cutoff that `deletable` allows; how many went. */
  const deleteOldest = async (table: string, key: string, deletable: SQL) =>
    deleted(
      await db.execute(sql`
        with gone as (
          delete from ${sql.identifier(table)}
           where ${sql.identifier(key)} in (
             select t.${sql.identifier(key)} from ${sql.identifier(table)} t
              where t.created_at < ${cutoff}::timestamptz and ${deletable}
              order by t.created_at
              limit ${batch}
              for update skip locked)
          returning 1)
        select count(*)::int as n from gone`),
    );
  const notices = await deleteOldest("notifications", "id", sql`t.status not in ('pending', 'sending')`);
  const events = await deleteOldest("notification_events", "id", sql`t.fanned_out_at is not null`);
  // bodies only once every notice past the retention that may name one is gone (this run's batch was not full);
  // a notice still owed its email (kept past the retention) keeps its body
  const bodies =
    notices < batch
      ? await deleteOldest(
          "notification_bodies",
          "key",
          sql`not exists (select 1 from notifications n where n.status = 'pending' and n.body_key = t.key)
              and not exists (select 1 from notifications n where n.status = 'sending' and n.body_key = t.key)`,
        )
      : 0;
  return { notices, events, bodies, done: notices < batch && events < batch && bodies < batch };
}

/**
 * Rate limits that hold across instances: a fixed one-minute window per key (a token id; an OAuth client and
 * source address), counted in the database (`rate_limit_windows`, UNLOGGED), so two portal instances and the
 * decision server share one budget. Over the limit → 429 with `Retry-After` (seconds to the window's end).
 *
 * The hot path stays cheap through leases: an instance takes a slice of the window's budget in one atomic
 * statement (1 for limits up to 199 a minute, limit / 100 above) and spends it locally; only when its slice
 * is spent does it ask again. The database never hands out more than the limit in a window, so the sum over
 * all instances never exceeds it; the cost is that a slice one instance holds unspent is not available to
 * another until the next window (at most limit / 100 per instance). Once the database has said "nothing
 * left", the instance answers 429 for the rest of that window without asking again.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/types";
import { rowsOf } from "@/lib/pim/sql-rows";
import { GraphError } from "./errors";

const WINDOW_MS = 60_000;

type Lease = { window: number; remaining: number; exhausted: boolean };
/** Per database (tests run several in one process), per key: this instance's unspent slice of the window. */
let leases = new WeakMap<Db, Map<string, Lease>>();

/** How much of the window's budget one request for a slice takes. */
export function sliceOf(limitPerMinute: number): number {
  return Math.max(1, Math.floor(limitPerMinute / 100));
}

/** Takes up to `slice` of the key's budget in the window starting at `windowStart`; returns what it got. */
async function take(db: Db, key: string, windowStart: Date, slice: number, limit: number): Promise<number> {
  const ws = windowStart.toISOString();
  const res = await db.execute(sql`
    insert into rate_limit_windows as r (key, window_start, used, last_grant)
    values (${key}, ${ws}::timestamptz, least(${slice}::int, ${limit}::int), least(${slice}::int, ${limit}::int))
    on conflict (key) do update set
      window_start = excluded.window_start,
      last_grant = greatest(0, least(${slice}::int,
        ${limit}::int - case when r.window_start = excluded.window_start then r.used else 0 end)),
      used = case when r.window_start = excluded.window_start then r.used else 0 end
        + greatest(0, least(${slice}::int,
          ${limit}::int - case when r.window_start = excluded.window_start then r.used else 0 end))
    returning last_grant`);
  return Number(rowsOf<{ last_grant: number }>(res)[0]?.last_grant ?? 0);
}

/** Counts one request against `key`'s limit; throws 429 (TooManyRequests, Retry-After) over it. 0 = no limit. */
export async function checkRateLimit(
  db: Db,
  key: string,
  limitPerMinute: number,
  nowMs: number,
  what = "this token",
): Promise<void> {
  if (limitPerMinute <= 0) return;
  const window = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
  let mine = leases.get(db);
  if (!mine) {
    mine = new Map();
    leases.set(db, mine);
  }
  let lease = mine.get(key);
  if (!lease || lease.window !== window) {
    lease = { window, remaining: 0, exhausted: false };
    mine.set(key, lease);
    if (mine.size > 10_000) for (const [k, l] of mine) if (l.window !== window) mine.delete(k);
  }
  if (lease.remaining > 0) {
    lease.remaining--;
    return;
  }
  if (!lease.exhausted) {
    const got = await take(db, key, new Date(window), sliceOf(limitPerMinute), limitPerMinute);
    // Concurrent requests of this instance may each have taken a slice: keep what they did not spend.
    if (got > 0) {
      lease.remaining += got - 1;
      return;
    }
    lease.exhausted = true;
  }
  const retryAfter = Math.max(1, Math.ceil((window + WINDOW_MS - nowMs) / 1000));
  throw new GraphError(
    429,
    "TooManyRequests",
    `Too many requests for ${what} (limit ${limitPerMinute} per minute). Retry after ${retryAfter} seconds.`,
    { headers: { "Retry-After": String(retryAfter) } },
  );
}

/** Drops windows that ended (the minute job): keeps the table as small as the keys used lately. */
export async function purgeRateLimitWindows(db: Db, now: Date): Promise<void> {
  await db.execute(
    sql`delete from rate_limit_windows where window_start < ${new Date(now.getTime() - 2 * WINDOW_MS).toISOString()}::timestamptz`,
  );
}

/** Tests: forget this process's leases (the database's windows belong to the test's database). */
export function resetRateLimits(): void {
  leases = new WeakMap();
}

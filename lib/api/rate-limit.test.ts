import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "@/db/client";
import type { Db } from "@/db/types";
import { rowsOf } from "@/lib/pim/sql-rows";
import { sql } from "drizzle-orm";
import { createTestDb, usingPostgres } from "@/test/db";
import { GraphError } from "./errors";
import { checkRateLimit, purgeRateLimitWindows, resetRateLimits, sliceOf } from "./rate-limit";

/**
 * The limit holds across instances: two "instances" (on PostgreSQL two connection pools, each with its own
 * leases; on PGlite, which has one connection, two handles over it) share one budget per window.
 */
let h: DbHandle & { drop: () => Promise<void> };
let second: DbHandle | null = null;
let a: Db, b: Db;

beforeAll(async () => {
  h = await createTestDb();
  a = h.db;
  if (usingPostgres) {
    second = await openDb({ url: h.url!, max: 5 });
    b = second.db;
  } else {
    // One PGlite connection: a second handle object over it has leases of its own, as a second process would.
    b = Object.create(h.db) as Db;
  }
});
afterAll(async () => {
  await second?.close();
  await h.drop();
});

const T0 = Date.parse("2026-12-07T10:00:05Z");

/** Sends `n` requests in waves of 10 in parallel, alternating instances; counts what passed and the 429s. */
async function burst(key: string, limit: number, n: number, nowMs: number) {
  let allowed = 0;
  let refused = 0;
  const retryAfter: number[] = [];
  for (let i = 0; i < n; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, (_, j) =>
        checkRateLimit((i + j) % 2 ? a : b, key, limit, nowMs).then(
          () => allowed++,
          (err: unknown) => {
            expect(err).toBeInstanceOf(GraphError);
            const e = err as GraphError;
            expect(e.status).toBe(429);
            retryAfter.push(Number(e.headers["Retry-After"]));
            refused++;
          },
        ),
      ),
    );
  }
  return { allowed, refused, retryAfter };
}

describe("rate limits shared by instances", () => {
  it("a limit of 60 a minute lets exactly 60 through across two instances, then 429 with Retry-After until the next minute", async () => {
    resetRateLimits();
    const r = await burst("token-60", 60, 90, T0);
    expect(r).toMatchObject({ allowed: 60, refused: 30 });
    // 55 s left in the window that started at 10:00:00.
    expect(new Set(r.retryAfter)).toEqual(new Set([55]));
    const next = await burst("token-60", 60, 90, T0 + 60_000);
    expect(next).toMatchObject({ allowed: 60, refused: 30 });
  });

  it("with slices (limit 500, slice 5) the sum over both instances never exceeds the limit, and falls short by at most one slice each", async () => {
    resetRateLimits();
    expect(sliceOf(500)).toBe(5);
    const r = await burst("token-500", 500, 700, T0);
    expect(r.allowed).toBeLessThanOrEqual(500);
    expect(r.allowed).toBeGreaterThanOrEqual(500 - 2 * 5);
    expect(r.allowed + r.refused).toBe(700);
    // The database counted exactly what it handed out.
    const [row] = rowsOf<{ used: number }>(
      await a.execute(sql`select used from rate_limit_windows where key = 'token-500'`),
    );
    expect(row!.used).toBe(500);
  });

  it("keys are independent; a limit of 0 means none and writes nothing", async () => {
    resetRateLimits();
    await burst("token-x", 3, 3, T0);
    await expect(checkRateLimit(a, "token-x", 3, T0)).rejects.toMatchObject({ status: 429 });
    await expect(checkRateLimit(a, "token-y", 3, T0)).resolves.toBeUndefined();
    await checkRateLimit(a, "token-none", 0, T0);
    const rows = rowsOf<{ n: number }>(
      await a.execute(sql`select count(*)::int as n from rate_limit_windows where key = 'token-none'`),
    );
    expect(rows[0]!.n).toBe(0);
  });

  it("an instance restarted (its leases forgotten) cannot get more than the window has left", async () => {
    resetRateLimits();
    const first = await burst("token-restart", 10, 10, T0);
    expect(first.allowed).toBe(10);
    resetRateLimits();
    await expect(checkRateLimit(b, "token-restart", 10, T0 + 1_000)).rejects.toMatchObject({ status: 429 });
  });

  it("the minute job's purge drops windows that ended two minutes ago and keeps the current ones", async () => {
    resetRateLimits();
    await checkRateLimit(a, "old-key", 10, T0);
    await checkRateLimit(a, "new-key", 10, T0 + 5 * 60_000);
    await purgeRateLimitWindows(a, new Date(T0 + 5 * 60_000));
    const keys = rowsOf<{ key: string }>(
      await a.execute(sql`select key from rate_limit_windows where key in ('old-key', 'new-key') order by key`),
    ).map((r) => r.key);
    expect(keys).toEqual(["new-key"]);
  });
});

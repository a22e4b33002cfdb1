import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDb, type DbHandle } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import type { Ctx } from "@/lib/pim/context";

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * A fresh, migrated database for one test file: a new PostgreSQL database when TEST_DATABASE_URL
 * is set (dropped afterwards), otherwise an in-memory PGlite.
 */
export async function createTestDb(
  opts: { migrationsFolder?: string } = {},
): Promise<DbHandle & { drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const handle = await openDb({ pgliteDir: "memory://" });
    await migrateDb(handle, opts.migrationsFolder);
    return { ...handle, drop: handle.close };
  }
  const name = `pim_t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDb({ url: url.toString(), max: 20 });
  await migrateDb(handle, opts.migrationsFolder);
  return {
    ...handle,
    drop: async () => {
      await handle.close();
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** A controllable clock for use cases. */
export function testClock(start = new Date("2026-11-22T09:00:00Z")) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    set: (d: Date) => {
      t = d.getTime();
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

export const minutes = (n: number) => n * 60_000;
export const hours = (n: number) => n * 3_600_000;
export const days = (n: number) => n * 86_400_000;

export function testCtx(handle: DbHandle, clock = testClock()): Ctx & { clock: ReturnType<typeof testClock> } {
  return { db: handle.db, now: clock.now, clock };
}

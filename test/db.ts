import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { inject } from "vitest";
import postgres from "postgres";
import { openDb, type DbHandle } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import type { Ctx } from "@/lib/pim/context";

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** Every statement of every test database goes through here; `countStatements` listens in. */
let onStatement: ((sql: string) => void) | null = null;
const logger = { logQuery: (query: string) => onStatement?.(query) };

/**
 * Runs `fn` and returns what it returned with the SQL statements it sent (through Drizzle, on any test
 * database of this file). A page read model's statement count must not grow with the rows it shows.
 */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const previous = onStatement;
  onStatement = (q) => statements.push(q);
  try {
    return { result: await fn(), statements };
  } finally {
    onStatement = previous;
  }
}

/** The run's migrated PGlite data folder (test/global-setup.ts), read once per test file's process. */
let pgliteTemplate: Blob | undefined;
function pgliteTemplateDump(): Blob | undefined {
  const file = inject("pgliteTemplate");
  if (!file) return undefined;
  pgliteTemplate ??= new Blob([new Uint8Array(fs.readFileSync(file))]);
  return pgliteTemplate;
}

/**
 * A fresh, migrated database for one test file: a new PostgreSQL database when TEST_DATABASE_URL
 * is set (dropped afterwards), otherwise an in-memory PGlite. Both start as a copy of the run's template
 * (migrated once in test/global-setup.ts); with `migrationsFolder` the file migrates its own database.
 */
export async function createTestDb(
  opts: { migrationsFolder?: string } = {},
): Promise<DbHandle & { drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  const fromTemplate = !opts.migrationsFolder;
  if (!base) {
    const dump = fromTemplate ? pgliteTemplateDump() : undefined;
    const handle = await openDb({ pgliteDir: "memory://", logger, loadDataDir: dump });
    if (!dump) await migrateDb(handle, opts.migrationsFolder);
    return { ...handle, drop: handle.close };
  }
  const template = fromTemplate ? inject("pgTemplate") : null;
  const name = `pim_t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(template ? `create database ${name} template ${template}` : `create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDb({ url: url.toString(), max: 20, logger });
  if (!template) await migrateDb(handle, opts.migrationsFolder);
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

import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { Logger } from "drizzle-orm/logger";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";
import type { Db } from "./types";
import { acquirePgliteLock } from "./pglite-lock";
import { PreparedPglite } from "./pglite-prepared";

export type { Db };

/**
 * The extensions the migrations create (`CREATE EXTENSION pg_trgm`, migration 0011): PGlite only has those it
 * was started with, so every `PGlite.create` in the project passes these.
 */
export const PGLITE_EXTENSIONS = { pg_trgm };

export type DbHandle = {
  db: Db;
  driver: "pglite" | "postgres";
  /** The server URL (postgres driver only). */
  url?: string;
  close: () => Promise<void>;
};

export type OpenOptions = {
  /** postgres:// URL; when absent the embedded PGlite folder is used. */
  url?: string;
  /** PGlite data folder ("memory://" for an in-memory database). */
  pgliteDir?: string;
  max?: number;
  /** With "memory://": start from this dumped data folder (`PGlite.dumpDataDir`) instead of an empty one. */
  loadDataDir?: Blob;
  /** Sees every statement Drizzle sends (tests count statements per page load with it). */
  logger?: Logger;
  /** More settings of each PostgreSQL connection (the postgres driver only), e.g. the decision server's planner costs. */
  settings?: Record<string, string>;
};

/**
 * Drizzle on PGlite through named prepared statements (`PreparedPglite`): each statement text is parsed and
 * planned once per database, as postgres.js does on a server.
 */
function drizzleOnPglite(client: PGlite, logger: Logger | undefined): Db {
  // Drizzle's PGlite driver calls only `query` and `transaction`, which PreparedPglite has with PGlite's types
  return drizzlePglite(PreparedPglite.of(client) as unknown as PGlite, { schema, logger }) as unknown as Db;
}

/** Opens a database with the driver the configuration asks for. Same schema, same queries on both. */
export async function openDb(opts: OpenOptions): Promise<DbHandle> {
  if (opts.url) {
    // jit off: the portal's statements are short index reads; PostgreSQL's JIT starts above a cost estimate, and
    // an over-estimated plan (statistics cannot see that few rows are both in force and ended) paid ~20 ms of
    // compilation for 1 ms of work (Roles at M, issue 10).
    const client = postgres(opts.url, {
      max: opts.max ?? 10,
      onnotice: () => {},
      prepare: true,
      connection: { jit: "off", ...opts.settings },
    });
    const db = drizzlePostgres(client, { schema, logger: opts.logger }) as unknown as Db;
    return { db, driver: "postgres", url: opts.url, close: () => client.end({ timeout: 5 }) };
  }
  const dir = opts.pgliteDir ?? ".data/pglite";
  if (dir.startsWith("memory://")) {
    const client = await PGlite.create({
      extensions: PGLITE_EXTENSIONS,
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
    const db = drizzleOnPglite(client, opts.logger);
    return { db, driver: "pglite", close: () => client.close() };
  }
  const abs = path.resolve(/*turbopackIgnore: true*/ dir);
  const release = acquirePgliteLock(abs);
  try {
    const client = await PGlite.create(abs, { extensions: PGLITE_EXTENSIONS });
    const db = drizzleOnPglite(client, opts.logger);
    return {
      db,
      driver: "pglite",
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

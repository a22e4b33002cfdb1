import { openDb, type DbHandle } from "@/db/client";
import { env } from "@/lib/env";
import type { Ctx } from "@/lib/pim/context";
import { requestClock } from "@/lib/clock";

/**
 * The app's one database handle per process (Next may load this module more than once, so the
 * handle lives on globalThis). Migrations are applied by the start scripts before the server
 * takes traffic, never here: with PGlite only one process may open the folder.
 */
const g = globalThis as unknown as { __pimDb?: Promise<DbHandle> };

export function getDbHandle(): Promise<DbHandle> {
  g.__pimDb ??= openDb({ url: env().DATABASE_URL, pgliteDir: env().PGLITE_DIR }).catch((err) => {
    g.__pimDb = undefined;
    throw err;
  });
  return g.__pimDb;
}

/** The use-case context for request handlers: the database and the request's clock (see lib/clock.ts). */
export async function getCtx(): Promise<Ctx> {
  const { db } = await getDbHandle();
  return { db, now: await requestClock() };
}

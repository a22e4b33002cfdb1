import { cache } from "react";
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

/**
 * One slot per key for the current server render. React's `cache` keeps it for one render only (layout, page
 * and their Suspense parts share it); outside a render (server actions, route handlers, scripts) it keeps
 * nothing, so every call gets a fresh slot and a read made before an action's write is never reused after it.
 */
const renderSlot = cache((key: string): { value?: Promise<unknown> } => {
  void key;
  return {};
});

function renderMemo<T>(key: string, load: () => Promise<T>): Promise<T> {
  const slot = renderSlot(key);
  slot.value ??= load();
  return slot.value as Promise<T>;
}

/**
 * The use-case context for request handlers: the database, the request's clock (see lib/clock.ts) and the
 * per-render memo (`Ctx.memo`) that lets layout and page share the tenant's name and the actor's rights.
 */
export async function getCtx(): Promise<Ctx> {
  const { db } = await getDbHandle();
  return { db, now: await requestClock(), memo: renderMemo };
}

import type { Db } from "@/db/types";

/** What every use case receives: the database and the clock (tests control time). */
export type Ctx = {
  db: Db;
  now: () => Date;
  /**
   * Optional memo for reads repeated within one page render (the tenant's name, the actor's PIM rights), given
   * by the app for server rendering only: layout and page ask once between them. Absent in use cases, jobs,
   * server actions and route handlers, so nothing read before a write is reused after it.
   */
  memo?: <T>(key: string, load: () => Promise<T>) => Promise<T>;
};

/** `load()`, shared with every other caller of the same `key` during the render when `ctx.memo` is given. */
export const remembered = <T>(ctx: Ctx, key: string, load: () => Promise<T>): Promise<T> =>
  ctx.memo ? ctx.memo(key, load) : load();

/**
 * Who is acting. `mfaAt` is when the actor's session (or token) last passed an MFA challenge;
 * the core decides whether that is recent enough for a rule.
 */
export type Actor = {
  id: string;
  type: "User" | "ServicePrincipal";
  displayName: string;
  mfaAt?: Date | null;
  clientIp?: string | null;
  userAgent?: string | null;
};

/** System actor for jobs (expiry sweep, bootstrap). Not a principal: never passes an authorization check. */
export const systemActor: Actor = {
  id: "00000000-0000-0000-0000-000000000000",
  type: "ServicePrincipal",
  displayName: "PIM Portal (system)",
};

export const isSystemActor = (a: Actor) => a.id === systemActor.id;

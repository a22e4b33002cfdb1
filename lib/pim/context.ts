import type { Db } from "@/db/types";

/** What every use case receives: the database and the clock (tests control time). */
export type Ctx = {
  db: Db;
  now: () => Date;
};

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

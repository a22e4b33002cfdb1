import type { Actor } from "../context";
import { MFA_RECENT_MS } from "./constants";

/**
 * Did the actor's session (or token) pass MFA within `MFA_RECENT_MS` before `now`? The one rule for the
 * MfaRule check in the use cases and for the pages that decide whether to offer the step-up first.
 * A time up to a minute ahead of `now` counts (clocks of two instances may differ slightly).
 */
export function mfaIsRecent(actor: Pick<Actor, "mfaAt">, now: Date): boolean {
  const t = actor.mfaAt?.getTime();
  return t !== undefined && t <= now.getTime() + 60_000 && now.getTime() - t <= MFA_RECENT_MS;
}

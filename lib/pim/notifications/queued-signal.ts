/**
 * An in-process hint that a notification event was queued (called inside the emitting transaction, so
 * before its commit). The server's fan-out relay listens to run a pass soon instead of at the next
 * minute; nothing depends on it for correctness: the delivery worker finds every pending event anyway.
 */
type Listener = () => void;
// On globalThis, not module scope: Next.js loads instrumentation.ts (where the relay listens) and the route and
// action bundles (where use cases signal) as separate module graphs in one process.
const g = globalThis as unknown as { __pimNotificationQueued?: Set<Listener> };
const listeners = (g.__pimNotificationQueued ??= new Set<Listener>());

/** Registers a listener; returns its removal. */
export function onNotificationQueued(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function signalNotificationQueued(): void {
  for (const fn of listeners) {
    try {
      fn();
    } catch {
      // a hint only: a failing listener must never fail the use case
    }
  }
}

/**
 * Per-token rate limit: a fixed one-minute window per token id, in this process's memory (a deployment
 * with several instances gets the limit per instance). Over the limit → 429 with `Retry-After` (seconds).
 */
import { GraphError } from "./errors";

type Window = { start: number; count: number };
const windows = new Map<string, Window>();
const WINDOW_MS = 60_000;

export function checkRateLimit(key: string, limitPerMinute: number, nowMs: number): void {
  if (limitPerMinute <= 0) return;
  let w = windows.get(key);
  if (!w || nowMs - w.start >= WINDOW_MS) {
    w = { start: nowMs, count: 0 };
    windows.set(key, w);
    if (windows.size > 50_000) sweep(nowMs);
  }
  w.count++;
  if (w.count > limitPerMinute) {
    const retryAfter = Math.max(1, Math.ceil((w.start + WINDOW_MS - nowMs) / 1000));
    throw new GraphError(
      429,
      "TooManyRequests",
      `Too many requests for this token (limit ${limitPerMinute} per minute). Retry after ${retryAfter} seconds.`,
      {
        headers: { "Retry-After": String(retryAfter) },
      },
    );
  }
}

function sweep(nowMs: number) {
  for (const [k, w] of windows) if (nowMs - w.start >= WINDOW_MS) windows.delete(k);
}

/** Tests: forget every window. */
export function resetRateLimits(): void {
  windows.clear();
}

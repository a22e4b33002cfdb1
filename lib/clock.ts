import { env } from "@/lib/env";

/**
 * The server's clock. In production it is the wall clock. With PIM_TEST_CLOCK=1 (end-to-end tests only)
 * an offset can be added through /api/test/clock so journeys like "deactivate after 5 minutes" or
 * "the activation expires" run without sleeping. The offset lives in this process only.
 */
const g = globalThis as unknown as { __pimClockOffsetMs?: number };

export function serverNow(): Date {
  const offset = env().PIM_TEST_CLOCK ? (g.__pimClockOffsetMs ?? 0) : 0;
  return new Date(Date.now() + offset);
}

export function advanceTestClock(ms: number): number {
  if (!env().PIM_TEST_CLOCK) throw new Error("The test clock is disabled");
  g.__pimClockOffsetMs = (g.__pimClockOffsetMs ?? 0) + ms;
  return g.__pimClockOffsetMs;
}

import { describeError } from "./deliver";

export type Scheduler = { stop: () => Promise<void>; tick: () => Promise<void>; running: () => boolean };

/**
 * Runs `job` every `intervalMs` (first run after `firstDelayMs`). A tick that finds the previous one
 * still running is skipped, so runs never overlap in one process; several processes are safe because
 * the jobs themselves lock rows (SKIP LOCKED). Errors are logged as one line (no stack, no secrets)
 * and the next tick tries again.
 */
export function startScheduler(opts: {
  name: string;
  job: () => Promise<unknown>;
  intervalMs?: number;
  firstDelayMs?: number;
  log?: (line: string) => void;
}): Scheduler {
  const log = opts.log ?? ((line: string) => console.error(line));
  let current: Promise<void> | null = null;
  let stopped = false;
  const tick = async () => {
    if (current || stopped) return;
    current = (async () => {
      try {
        await opts.job();
      } catch (err) {
        log(`[${opts.name}] run failed: ${describeError(err)}`);
      }
    })();
    try {
      await current;
    } finally {
      current = null;
    }
  };
  const interval = setInterval(() => void tick(), opts.intervalMs ?? 60_000);
  const first = setTimeout(() => void tick(), opts.firstDelayMs ?? 5_000);
  interval.unref?.();
  first.unref?.();
  return {
    tick,
    running: () => current !== null,
    stop: async () => {
      stopped = true;
      clearInterval(interval);
      clearTimeout(first);
      await current;
    },
  };
}

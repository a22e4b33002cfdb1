import type { Ctx } from "@/lib/pim/context";
import { fanOutEvents } from "@/lib/pim/notifications/fan-out";
import { publicBaseUrl } from "./public-url";
import { onNotificationQueued } from "@/lib/pim/notifications/queued-signal";
import { describeError } from "./deliver";

export type FanOutRelay = { stop: () => Promise<void>; pass: () => Promise<void> };

/**
 * Fans notification events out moments after they are queued, so in-portal notices appear at once
 * rather than at the next minute job. The hint arrives inside the emitting transaction (before its
 * commit), so a pass runs shortly after each hint and once more a little later; an event a pass misses is
 * fanned out by the next pass or by the delivery worker (scheduler, `npm run worker`, cron route), which
 * always fans out first. Passes never overlap in one process; several processes are safe (SKIP LOCKED).
 */
export function startFanOutRelay(
  getCtx: () => Promise<Ctx>,
  opts: {
    delaysMs?: number[];
    firstDelayMs?: number;
    log?: (line: string) => void;
    /** Runs after a pass that fanned events out (the app sends their webhooks at once). */
    afterFanOut?: (ctx: Ctx) => Promise<unknown>;
  } = {},
): FanOutRelay {
  const delays = opts.delaysMs ?? [25, 500];
  const log = opts.log ?? ((line: string) => console.error(line));
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const pass = async (): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const ctx = await getCtx();
          const r = await fanOutEvents(ctx.db, ctx.now(), { baseUrl: publicBaseUrl() });
          if (r.events > 0 && opts.afterFanOut) await opts.afterFanOut(ctx);
        } catch (err) {
          log(`[pim fan-out] pass failed: ${describeError(err)}`);
        }
      } while (again && !stopped);
    })();
    try {
      await running;
    } finally {
      running = null;
    }
  };
  const schedule = (ms: number) => {
    if (stopped || timers.has(ms)) return;
    const t = setTimeout(() => {
      timers.delete(ms);
      void pass();
    }, ms);
    t.unref?.();
    timers.set(ms, t);
  };
  const off = onNotificationQueued(() => delays.forEach(schedule));
  schedule(opts.firstDelayMs ?? 1_000); // events queued before this process started
  return {
    pass,
    stop: async () => {
      stopped = true;
      off();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      await running;
    },
  };
}

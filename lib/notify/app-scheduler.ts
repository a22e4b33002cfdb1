import { env } from "@/lib/env";
import { decryptSecret } from "@/lib/auth/secret-box";
import { publicBaseUrl } from "./public-url";
import { deliverWebhooks } from "./webhooks";
import { getCtx } from "@/lib/server-db";
import { runJobs } from "./jobs";
import { startFanOutRelay, type FanOutRelay } from "./relay";
import { startScheduler, type Scheduler } from "./scheduler";

const g = globalThis as unknown as { __pimScheduler?: Scheduler; __pimFanOutRelay?: FanOutRelay };

/**
 * The server's fan-out relay (from instrumentation.ts, whatever PIM_SCHEDULER says): notification events
 * become in-portal notices moments after they are queued. Once per process.
 */
export function startAppFanOutRelay(): FanOutRelay {
  g.__pimFanOutRelay ??= startFanOutRelay(getCtx, {
    // webhooks go out moments after the change, not at the next minute job
    afterFanOut: (ctx) =>
      deliverWebhooks(ctx.db, ctx.now(), { decrypt: (box) => decryptSecret(box), baseUrl: publicBaseUrl() }),
  });
  return g.__pimFanOutRelay;
}

/**
 * The server's own minute job (from instrumentation.ts): a single-machine deployment needs no outside
 * scheduler. PIM_SCHEDULER=off turns it off (e.g. when `npm run worker` or Vercel Cron does the work).
 */
export function startAppScheduler(): Scheduler | null {
  if (env().PIM_SCHEDULER === "off") return null;
  g.__pimScheduler ??= startScheduler({
    name: "pim scheduler",
    job: async () => {
      const r = await runJobs(await getCtx());
      const e = r.expire as unknown as Record<string, unknown>;
      const did =
        Object.values(e).some((v) => typeof v === "number" && v > 0) ||
        r.delivery.claimed > 0 ||
        r.delivery.fanOut.events > 0;
      if (did) console.log(`[pim scheduler] ${JSON.stringify({ expire: r.expire, delivery: r.delivery })}`);
    },
  });
  return g.__pimScheduler;
}

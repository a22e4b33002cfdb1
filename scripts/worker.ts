/**
 * `npm run worker`: the background jobs (expiry + email delivery) as a separate process, for deployments
 * with several app instances or with PIM_SCHEDULER=off. Same job as the cron route and the in-process
 * scheduler, every 60 s; safe to run several workers (rows are locked with SKIP LOCKED).
 *   npm run worker            run until SIGINT/SIGTERM
 *   npm run worker -- --once  one run, print the counts as JSON, exit
 *   --now=<ISO>               with PIM_TEST_CLOCK=1 only (tests): run as of that moment
 *   --batch-size=<n>          rows per expiry transaction (default 500)
 * With the embedded PGlite database the worker cannot run beside the server (one process per folder).
 */
import fs from "node:fs";
import { openDb, type DbHandle } from "@/db/client";
import { env } from "@/lib/env";
import { describeError } from "@/lib/notify/deliver";
import { runJobs } from "@/lib/notify/jobs";
import { startScheduler } from "@/lib/notify/scheduler";

// Like Next.js: .env.local then .env, never overriding the real environment (Node >= 20.12).
const loadEnvFile = (process as unknown as { loadEnvFile?: (path: string) => void }).loadEnvFile;
for (const f of [".env.local", ".env"]) if (fs.existsSync(f)) loadEnvFile?.(f);

async function open(): Promise<DbHandle> {
  const e = env();
  try {
    return await openDb({ url: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR, max: 4 });
  } catch (err) {
    if (!e.DATABASE_URL && /in use by process/.test(String(err))) {
      console.error(
        "The worker cannot run beside the portal on the embedded PGlite database (only one process may open it).\n" +
          "With PGlite the portal already runs these jobs itself every minute (PIM_SCHEDULER=on).\n" +
          "Use `npm run worker` with DATABASE_URL (PostgreSQL) for larger deployments.",
      );
      process.exit(2);
    }
    throw err;
  }
}

async function main() {
  const once = process.argv.includes("--once");
  const asked = process.argv.find((a) => a.startsWith("--now="))?.slice("--now=".length);
  const fixed = asked && env().PIM_TEST_CLOCK ? new Date(asked) : null;
  if (fixed && Number.isNaN(fixed.getTime())) throw new Error("--now must be an ISO 8601 date-time");
  const batchSize = Number(
    process.argv.find((a) => a.startsWith("--batch-size="))?.slice("--batch-size=".length) ?? 500,
  );
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error("--batch-size must be a positive integer");
  const handle = await open();
  const ctx = { db: handle.db, now: () => fixed ?? new Date() };
  if (once) {
    try {
      console.log(JSON.stringify(await runJobs(ctx, { batchSize })));
    } finally {
      await handle.close();
    }
    return;
  }
  console.log(`PIM worker started (${handle.driver}); running expiry and email delivery every 60 s.`);
  const scheduler = startScheduler({
    name: "pim worker",
    firstDelayMs: 0,
    job: async () => {
      const r = await runJobs(ctx, { batchSize });
      console.log(JSON.stringify({ at: r.now, expire: r.expire, delivery: r.delivery, tookMs: r.tookMs }));
    },
  });
  const keepAlive = setInterval(() => {}, 1 << 30);
  const stop = async (signal: string) => {
    console.log(`PIM worker stopping (${signal}).`);
    clearInterval(keepAlive);
    await scheduler.stop();
    await handle.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(`PIM worker failed: ${describeError(err)}`);
  process.exit(1);
});

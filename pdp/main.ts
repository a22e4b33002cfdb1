/**
 * `npm run pdp`: the decision server on PDP_HOST:PDP_PORT (default 127.0.0.1:3900) over DATABASE_URL
 * (PostgreSQL; PGlite is one process only, so the PDP cannot share it with the portal).
 * Migrations are the portal's job; the PDP only reads.
 */
import { openDb } from "@/db/client";
import { env } from "@/lib/env";
import { createDecisionServer } from "./decision-server";

async function main() {
  const e = env();
  if (!e.DATABASE_URL) throw new Error("The decision server needs DATABASE_URL (PostgreSQL), the portal's database.");
  // Every statement of the decision server is a handful of index probes on pages PostgreSQL holds in memory; at
  // the default random_page_cost (4, a spinning disk's) the planner reads the 251 service principals of size L
  // by a sequential scan twice per check instead of probing their primary key (pgbench at L: 14.7–16.6k → 20.4–
  // 22.4k checks/s with 1.1, the value usual for SSDs and cached data; BENCHMARKS.md, issue 10).
  const handle = await openDb({
    url: e.DATABASE_URL,
    max: e.PDP_POOL_SIZE,
    settings: { random_page_cost: String(e.PDP_RANDOM_PAGE_COST) },
  });
  const server = createDecisionServer({ db: handle.db, rateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE });
  server.listen(e.PDP_PORT, e.PDP_HOST, () =>
    console.log(`decision server on http://${e.PDP_HOST}:${e.PDP_PORT}/api/v1/access/check`),
  );
  const stop = () => server.close(() => void handle.close().then(() => process.exit(0)));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

/**
 * Prepares the e2e server's database before `next start` (never beside it: PGlite allows one process per
 * folder): migrate, load the demo directory, then the e2e extras. Run by scripts/e2e-server.mjs and
 * e2e/helpers/app-server.ts as `tsx e2e/seed/cli.ts`.
 */
import { openDb } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { seedDemo } from "@/db/seed";
import { env } from "@/lib/env";
import { seedE2eExtras } from "./index";

async function main() {
  const e = env();
  const handle = await openDb({ url: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR, max: 2 });
  try {
    await migrateDb(handle);
    await seedDemo(handle.db);
    await seedE2eExtras(handle.db);
    console.log(`e2e database ready: ${e.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `PGlite at ${e.PGLITE_DIR}`}`);
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

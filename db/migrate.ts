import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { DbHandle } from "./client";
import { reanchorLegacyAudit } from "@/lib/pim/audit-chain/reanchor";

export const MIGRATIONS_FOLDER = path.resolve(process.cwd(), "db/migrations");
const MIGRATION_LOCK = 727_001;

/**
 * Applies the committed drizzle-kit migrations. Idempotent: applied ones are recorded in
 * drizzle.__drizzle_migrations and skipped. On PostgreSQL a session advisory lock (on one dedicated
 * connection) makes instances starting at once take turns instead of racing.
 */
export async function migrateDb(handle: DbHandle, folder = MIGRATIONS_FOLDER): Promise<void> {
  if (handle.driver === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase<Record<string, unknown>>, { migrationsFolder: folder });
    await afterMigrations(handle);
    return;
  }
  if (!handle.url) throw new Error("migrateDb: postgres handle without url");
  const client = postgres(handle.url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: folder });
    await afterMigrations(handle);
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Data steps that need code, run after the SQL migrations (idempotent): re-anchor legacy audit rows. */
async function afterMigrations(handle: DbHandle): Promise<void> {
  const exists = await handle.db.execute(sql`select to_regclass('audit_legacy_segments') is not null as ok`);
  const row = (Array.isArray(exists) ? exists[0] : (exists as { rows: unknown[] }).rows[0]) as { ok: boolean };
  if (row.ok) await reanchorLegacyAudit(handle.db, new Date());
}

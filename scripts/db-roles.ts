/**
 * `npm run db:roles`: separation of duties on PostgreSQL (README "Database roles").
 *   DATABASE_OWNER_URL  the owner role: runs migrations, owns every table (needs CREATEROLE to create the app role)
 *   DATABASE_URL        the app's role: created here when missing (with the URL's password), then granted
 *                       SELECT+INSERT on audit tables and SELECT/INSERT/UPDATE/DELETE on the rest, nothing more.
 * Then proves it: as the app role, ALTER TABLE audit_events DISABLE TRIGGER, UPDATE, DELETE, TRUNCATE must fail.
 */
import postgres from "postgres";
import { openDb } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { applyAppRoleGrants, ensureAppRole, roleOfUrl } from "@/db/roles";
import { env } from "@/lib/env";

async function main() {
  const e = env();
  if (!e.DATABASE_OWNER_URL || !e.DATABASE_URL) {
    console.error("Set DATABASE_OWNER_URL (owner role) and DATABASE_URL (app role) to the same database.");
    process.exit(2);
  }
  const owner = roleOfUrl(e.DATABASE_OWNER_URL);
  const app = roleOfUrl(e.DATABASE_URL);
  if (owner.user === app.user) {
    console.error(`DATABASE_URL and DATABASE_OWNER_URL both use role ${app.user}: the app role must be another role.`);
    process.exit(2);
  }
  console.log(`App role ${app.user}: ${await ensureAppRole(e.DATABASE_OWNER_URL, app.user, app.password)}.`);
  const handle = await openDb({ url: e.DATABASE_OWNER_URL, max: 2 });
  try {
    await migrateDb(handle);
  } finally {
    await handle.close();
  }
  await applyAppRoleGrants(e.DATABASE_OWNER_URL, app.user);
  console.log(`Migrations applied as ${owner.user}; grants applied to ${app.user}.`);
  const sql = postgres(e.DATABASE_URL, { max: 1, onnotice: () => {} });
  let failed = 0;
  try {
    for (const stmt of [
      "alter table audit_events disable trigger user",
      "update audit_events set activity = activity",
      "delete from audit_events",
      "truncate audit_events",
      "drop table audit_events",
    ]) {
      const code = await sql
        .begin((tx) => tx.unsafe(stmt))
        .then(
          () => "allowed",
          (err: { code?: string }) => err.code ?? "error",
        );
      const ok = code === "42501";
      if (!ok) failed++;
      console.log(`  as ${app.user}: ${stmt} → ${ok ? "refused (42501)" : `NOT REFUSED (${code})`}`);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  if (failed) process.exit(1);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

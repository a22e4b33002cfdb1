/**
 * Prepares the database before the server starts (never beside it: PGlite allows one process per folder).
 *   tsx db/setup-cli.ts            migrate; on an empty directory create the first admin from BOOTSTRAP_ADMIN_* (if set)
 *   tsx db/setup-cli.ts --demo     migrate and load the demo directory (prints the demo sign-ins)
 * (The end-to-end tests prepare their own database with e2e/seed/cli.ts.)
 */
import { TOTP } from "otpauth";
import { openDb } from "./client";
import { migrateDb } from "./migrate";
import { seedBuiltins, seedDemo } from "./seed";
import { bootstrapFirstAdmin } from "./bootstrap";
import { DEMO_PASSWORD, demoUsers } from "./demo-directory";
import { env } from "@/lib/env";
import { applyAppRoleGrants, roleOfUrl } from "./roles";

async function main() {
  const args = new Set(process.argv.slice(2));
  const e = env();
  // Migrations (and seeds) run as the owner role when one is configured; the app keeps its narrow role.
  const url = e.DATABASE_OWNER_URL ?? e.DATABASE_URL;
  const where = e.DATABASE_OWNER_URL
    ? "PostgreSQL (DATABASE_OWNER_URL)"
    : e.DATABASE_URL
      ? "PostgreSQL (DATABASE_URL)"
      : `embedded PGlite at ${e.PGLITE_DIR}`;
  const started = Date.now();
  const handle = await openDb({ url, pgliteDir: e.PGLITE_DIR, max: 2 });
  try {
    await migrateDb(handle);
    console.log(`Migrations applied to ${where} (${Date.now() - started} ms).`);
    if (e.DATABASE_OWNER_URL && e.DATABASE_URL) {
      const app = roleOfUrl(e.DATABASE_URL).user;
      if (app !== roleOfUrl(e.DATABASE_OWNER_URL).user) {
        await applyAppRoleGrants(e.DATABASE_OWNER_URL, app);
        console.log(`App role ${app}: SELECT and INSERT only on audit tables (grants applied).`);
      }
    }
    if (args.has("--demo")) {
      const s = await seedDemo(handle.db);
      console.log(`Demo directory loaded: ${s.users} people, ${s.schedules} standing assignments (repeatable).`);
      printDemoSignIns();
    } else if (e.BOOTSTRAP_ADMIN_EMAIL && e.BOOTSTRAP_ADMIN_PASSWORD) {
      const r = await bootstrapFirstAdmin(handle.db, {
        tenantName: process.env.BOOTSTRAP_TENANT_NAME || "My organisation",
        email: e.BOOTSTRAP_ADMIN_EMAIL,
        password: e.BOOTSTRAP_ADMIN_PASSWORD,
        displayName: e.BOOTSTRAP_ADMIN_NAME,
      });
      console.log(
        r === "created"
          ? `First Global Administrator ${e.BOOTSTRAP_ADMIN_EMAIL} created.`
          : "Directory already has people; bootstrap skipped.",
      );
    } else {
      await seedBuiltins(handle.db, process.env.BOOTSTRAP_TENANT_NAME || "My organisation");
    }
  } finally {
    await handle.close();
  }
}

function printDemoSignIns() {
  console.log("\nDEMO ONLY — public credentials, never use in production.");
  console.log(`Password for everyone: ${DEMO_PASSWORD}`);
  console.log("Person".padEnd(22) + "Sign-in".padEnd(52) + "TOTP secret".padEnd(36) + "code now");
  for (const u of Object.values(demoUsers)) {
    const code = new TOTP({ secret: u.totpSecret, digits: 6, period: 30, algorithm: "SHA1" }).generate();
    console.log(u.displayName.padEnd(22) + u.userPrincipalName.padEnd(52) + u.totpSecret.padEnd(36) + code);
  }
  console.log("");
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

// `npm run demo`: the portal on the embedded database with the demo directory, at http://localhost:3000.
// Migrates and seeds first (PGlite allows one process per folder), builds once, then serves.
import { buildIsStale, localAuthSecret, mustRun, nextBin, root, tsxBin } from "./lib.mjs";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";

const port = process.env.PORT || "3000";
const env = {
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  AUTH_SECRET: process.env.AUTH_SECRET || localAuthSecret(),
  AUTH_TRUST_HOST: "true",
  PIM_DEMO_MODE: "1",
  DATABASE_URL: "",
  PGLITE_DIR: process.env.PGLITE_DIR || ".data/pglite",
  CRON_SECRET: process.env.CRON_SECRET || randomBytes(24).toString("base64url"),
  PUBLIC_URL: process.env.PUBLIC_URL || `http://localhost:${port}`,
};

await mustRun(tsxBin, ["db/setup-cli.ts", "--demo"], { env });
if (buildIsStale(".next") || process.env.PIM_REBUILD === "1") {
  console.log("Building the portal (first run, or after the sources changed)...");
  await mustRun(process.execPath, [nextBin, "build"], { env: { ...env, NEXT_DIST_DIR: ".next" } });
}
console.log(`\nPIM Portal (demo) on http://localhost:${port} — sign in with a demo person above. Ctrl+C stops it.\n`);
const server = spawn(process.execPath, [nextBin, "start", "-p", port], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, ...env, NEXT_DIST_DIR: ".next" },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));

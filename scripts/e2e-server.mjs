// Starts the portal for the end-to-end tests: a fresh database (a new PGlite folder, or a new PostgreSQL
// database when TEST_DATABASE_URL is set), migrated and seeded with the demo directory and the e2e people,
// then `next start` on the e2e port. Playwright's webServer runs this; SIGTERM stops the server and
// drops the database.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import postgres from "postgres";
import { hasBuild, mustRun, nextBin, root, tsxBin } from "./lib.mjs";

// playwright.config.ts picks the port (or takes E2E_PORT) and passes it down in the environment.
const port = process.env.E2E_PORT;
if (!port) throw new Error("E2E_PORT is not set: start the e2e server through Playwright (npm run test:e2e)");
const distDir = process.env.NEXT_DIST_DIR || ".next-e2e";
const stamp = `${Date.now().toString(36)}${process.pid}`;

const env = {
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  NEXT_DIST_DIR: distDir,
  AUTH_SECRET: "e2e-only-secret-e2e-only-secret-0123456789ab",
  AUTH_URL: `http://127.0.0.1:${port}`,
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  AUTH_TRUST_HOST: "true",
  PIM_TEST_BUILD: "1",
  PIM_SCHEDULER: "off",
  CRON_SECRET: "e2e-cron-secret",
  PIM_DEMO_MODE: "",
  DATABASE_URL: "",
  SMTP_URL: process.env.E2E_SMTP_URL || "",
  // The top bar's "Got feedback?" link (e2e/chrome.spec.ts checks it leads here).
  FEEDBACK_URL: "https://feedback.example.com/pim-portal",
};

let dropDb = async () => {};
const base = process.env.TEST_DATABASE_URL;
if (base) {
  const name = `pim_e2e_${stamp}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  dropDb = async () => {
    const a = postgres(base, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await a.end();
  };
} else {
  const dataRoot = path.join(root, ".data");
  // Left-overs of earlier runs: only folders whose server process is gone (several runs may share the tree).
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const d of fs.existsSync(dataRoot) ? fs.readdirSync(dataRoot) : []) {
    const m = /^e2e-(\d+)-/.exec(d);
    if (d.startsWith("e2e-") && !(m && Number(m[1]) !== process.pid && alive(Number(m[1])))) {
      fs.rmSync(path.join(dataRoot, d), { recursive: true, force: true });
    }
  }
  env.PGLITE_DIR = path.join(".data", `e2e-${process.pid}-${Date.now().toString(36)}`);
  const dir = path.join(root, env.PGLITE_DIR);
  dropDb = async () => fs.rmSync(dir, { recursive: true, force: true });
}

await mustRun(tsxBin, ["e2e/seed/cli.ts"], { env });
if (!hasBuild(distDir)) await mustRun(process.execPath, [nextBin, "build"], { env });

const server = spawn(process.execPath, [nextBin, "start", "-p", port, "-H", "127.0.0.1"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, ...env },
});
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  server.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 300));
  await dropDb();
  process.exit(code);
};
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
server.on("exit", (code) => stop(code ?? 0));

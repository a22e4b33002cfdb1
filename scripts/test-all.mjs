// `npm test`: every test the project has — typecheck, lint, unit + integration (vitest), end-to-end (Playwright).
// Integration tests use PGlite, or PostgreSQL when TEST_DATABASE_URL is set; so does the e2e server.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { findChromium, root, run } from "./lib.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const chromium = findChromium();
if (!chromium) {
  console.error(
    "npm test needs Chromium for the end-to-end tests and found none.\n" +
      "  Debian/Ubuntu: apt-get install -y chromium-headless-shell   (or chromium; then run npm test again)\n" +
      "  or set CHROMIUM_PATH=/path/to/chrome, or install Playwright's build: npx playwright install chromium",
  );
  process.exit(2);
}
console.log(`Chromium: ${chromium}`);
console.log(
  `Database for tests: ${process.env.TEST_DATABASE_URL ? "PostgreSQL (TEST_DATABASE_URL)" : "embedded PGlite"}`,
);

fs.mkdirSync(path.join(root, "test-results"), { recursive: true });
for (const f of ["vitest.json", "playwright.json"]) fs.rmSync(path.join(root, "test-results", f), { force: true });
const steps = [];
const step = async (name, cmd, args, env, { quiet = false } = {}) => {
  const t = Date.now();
  if (!quiet) console.log(`\n=== ${name} ===`);
  const code = quiet ? await runCaptured(name, cmd, args, env) : await run(cmd, args, { env });
  steps.push({ name, code, seconds: Math.round((Date.now() - t) / 1000) });
  return code;
};
/** Runs a command with its output kept, then prints it under its heading (steps that run side by side). */
function runCaptured(name, cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => out.push(d));
    child.on("close", (code, signal) => {
      console.log(`\n=== ${name} ===`);
      process.stdout.write(Buffer.concat(out));
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

// Steps side by side where they do not depend on each other (each one's output printed whole when it ends):
// typecheck and lint read the tree and use one core each; the end-to-end test build writes only its dist folder
// (and next-env.d.ts, which the typecheck reads: so not beside it) while vitest runs.
await Promise.all([
  step("typecheck", "npx", ["tsc", "--noEmit"], undefined, { quiet: true }),
  step("lint", "npm", ["run", "--silent", "lint"], undefined, { quiet: true }),
]);
await Promise.all([
  step("end-to-end test build", process.execPath, ["scripts/e2e.mjs"], { E2E_BUILD_ONLY: "1" }, { quiet: true }),
  step("unit + integration (vitest)", "npx", [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    "--outputFile.json=test-results/vitest.json",
  ]),
]);
const built = steps.find((s) => s.name === "end-to-end test build")?.code === 0;
if (built)
  await step("end-to-end (playwright)", process.execPath, ["scripts/e2e.mjs"], {
    E2E_SKIP_BUILD: "1",
    E2E_CHECK_ROUTES: "1",
  });

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const v = JSON.parse(fs.readFileSync(path.join(root, "test-results/vitest.json"), "utf8"));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} catch {
  failed += 1;
}
try {
  const p = JSON.parse(fs.readFileSync(path.join(root, "test-results/playwright.json"), "utf8"));
  passed += (p.stats?.expected ?? 0) + (p.stats?.flaky ?? 0);
  failed += p.stats?.unexpected ?? 0;
  skipped += p.stats?.skipped ?? 0;
} catch {
  failed += 1;
}
console.log("\n=== summary ===");
for (const s of steps) console.log(`${s.code === 0 ? "ok  " : "FAIL"} ${s.name} (${s.seconds}s)`);
const bad = steps.some((s) => s.code !== 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(bad || failed > 0 ? 1 : 0);

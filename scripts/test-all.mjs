// `npm test`: every test the project has — typecheck, lint, unit + integration (vitest), end-to-end (Playwright).
// Integration tests use PGlite, or PostgreSQL when TEST_DATABASE_URL is set; so does the e2e server.
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
const step = async (name, cmd, args, env) => {
  const t = Date.now();
  console.log(`\n=== ${name} ===`);
  const code = await run(cmd, args, { env });
  steps.push({ name, code, seconds: Math.round((Date.now() - t) / 1000) });
  return code;
};

await step("typecheck", "npx", ["tsc", "--noEmit"]);
await step("lint", "npm", ["run", "--silent", "lint"]);
await step("unit + integration (vitest)", "npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  "--outputFile.json=test-results/vitest.json",
]);
await step("end-to-end (playwright)", process.execPath, ["scripts/e2e.mjs"]);

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

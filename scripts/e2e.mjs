// End-to-end tests: a production build, then Playwright (which starts scripts/e2e-server.mjs).
// Extra arguments go to Playwright, e.g. `npm run test:e2e -- e2e/auth.spec.ts`.
import { findChromium, mustRun, nextBin, run } from "./lib.mjs";

const distDir = process.env.NEXT_DIST_DIR || ".next-e2e";
if (!findChromium()) {
  console.error(
    "No Chromium found. Install Debian's: apt-get install -y chromium-headless-shell (or chromium, or set CHROMIUM_PATH).",
  );
  process.exit(2);
}
// The test build: PIM_TEST_BUILD=1 adds the /api/test routes and per-test clocks (next.config.ts).
// E2E_BUILD_ONLY=1 stops after it (npm test builds beside the typecheck and lint, then runs with E2E_SKIP_BUILD=1).
const buildOnly = process.env.E2E_BUILD_ONLY === "1";
if (process.env.E2E_SKIP_BUILD !== "1") {
  await mustRun(process.execPath, [nextBin, "build"], {
    // `npm test` typechecks the whole tree on its own step: the build skips its second, slower pass.
    env: { NEXT_DIST_DIR: distDir, NODE_ENV: "production", PIM_TEST_BUILD: "1", NEXT_SKIP_TYPECHECK: "1" },
  });
}
if (buildOnly) process.exit(0);
// Ports: playwright.config.ts picks a free app port and SMTP sink port unless E2E_PORT / E2E_SMTP_URL are set
// (E2E_SMTP_URL= runs without the sink and skips the one check that reads the email).
const code = await run(process.execPath, ["node_modules/@playwright/test/cli.js", "test", ...process.argv.slice(2)], {
  env: { NEXT_DIST_DIR: distDir },
});
// A normal build has none of the test routes (a selective build of app/api/test, a few seconds): checked after a
// build of our own, or when asked (E2E_CHECK_ROUTES=1, npm test's run of a build it made just before).
const checkRoutes = process.env.E2E_SKIP_BUILD !== "1" || process.env.E2E_CHECK_ROUTES === "1";
const routes = checkRoutes ? await run(process.execPath, ["scripts/check-test-routes.mjs", distDir]) : 0;
process.exit(code || routes);

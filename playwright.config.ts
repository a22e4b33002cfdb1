import { defineConfig, devices } from "@playwright/test";
import fs from "node:fs";
import { freePortSync } from "./e2e/helpers/free-port";

// Same lookup as scripts/lib.mjs (Playwright compiles its config as CommonJS, so it cannot import that .mjs).
function findChromium(): string | undefined {
  for (const c of [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium-headless-shell",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ]) {
    if (c && fs.existsSync(c)) return c;
  }
  return undefined;
}
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// Ports: E2E_PORT / E2E_SMTP_URL when given (E2E_SMTP_URL="" runs without a mail sink), else free ones picked
// here. The config runs first in the runner, which starts the webServer and the workers with its environment:
// writing the choice into process.env makes every one of them (and the config as the workers load it) agree.
process.env.E2E_PORT ||= String(freePortSync());
process.env.E2E_SMTP_URL ??= `smtp://127.0.0.1:${freePortSync()}`;
const port = Number(process.env.E2E_PORT);
// Names this run's test clocks (e2e/fixtures.ts), the same in every worker.
process.env.E2E_RUN_ID ||= `${Date.now().toString(36)}-${process.pid}`;
const baseURL = `http://127.0.0.1:${port}`;
const executablePath = findChromium();
const browser = { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } };
/**
 * Specs that touch directory-wide state: the cron job (expires and notifies whatever is due, anyone's), role
 * policies every holder of the role meets, a shared approver's inbox counted exactly.
 */
const exclusive = [
  /expiry\.spec\.ts/,
  /notifications\.spec\.ts/,
  /graph-api\.spec\.ts/,
  /role-settings\.spec\.ts/,
  /users-disable\.spec\.ts/,
];

export default defineConfig({
  testDir: "e2e",
  testMatch: /.*\.spec\.ts/,
  // Generous: a journey signs several people in (each TOTP code once) on a busy 2-core machine; nothing asserts speed.
  timeout: 180_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  // Each test makes its own people and data (e2e/factories.ts) and has its own server clock (e2e/fixtures.ts).
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  outputDir: "test-results/playwright",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    timezoneId: "Europe/London",
    locale: "en-GB",
    launchOptions: { executablePath, args: chromiumArgs },
  },
  projects: [
    { name: "parallel", testIgnore: exclusive, use: browser },
    // Specs that change what every test sees run after the others, one at a time (each says why in its header).
    { name: "exclusive", testMatch: exclusive, workers: 1, dependencies: ["parallel"], use: browser },
  ],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});

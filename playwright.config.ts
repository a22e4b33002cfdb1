import { defineConfig, devices } from "@playwright/test";
import fs from "node:fs";
import { freePortSync } from "./e2e/helpers/free-port";

// Same lookup as scripts/lib.mjs (Playwright compiles its config as CommonJS, so it cannot import that .mjs).
function findChromium(): string | undefined {
  for (const c of [
    process.env.CHROMIUM_PATH,
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
const baseURL = `http://127.0.0.1:${port}`;
const executablePath = findChromium();

export default defineConfig({
  testDir: "e2e",
  testMatch: /.*\.spec\.ts/,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  fullyParallel: false,
  workers: 1, // one server, one seeded directory: stories run in order
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
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } } }],
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

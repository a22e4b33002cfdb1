/**
 * How long each portal page keeps loading after its content shows (issue 17 item 5): for every page, the
 * median of N full navigations of navigation → DOMContentLoaded and navigation → network idle (the end of
 * the last request the page made), and the requests made after DOMContentLoaded (prefetches, polling).
 *
 *   npx tsx bench/page-timings.ts --url http://127.0.0.1:3000 [--persona grace] [--runs 3]
 *
 * Against a running portal with the demo directory (`npm run demo`): signs in as the demo persona through
 * the real pages (password + TOTP from db/demo-directory.ts). Not a test: figures depend on the machine.
 */
import os from "node:os";
import { chromium, type Page } from "@playwright/test";
import { TOTP } from "otpauth";
import { DEMO_PASSWORD, demoUsers, type DemoPersona } from "../db/demo-directory";

const PAGES = [
  "/overview",
  "/my-roles",
  "/pending-requests",
  "/approve-requests",
  "/roles",
  "/assignments",
  "/activity",
  "/notifications",
  "/users",
  "/tokens",
  "/service-principals",
  "/quick-start",
];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function signIn(page: Page, base: string, persona: DemoPersona) {
  const u = demoUsers[persona];
  await page.goto(`${base}/sign-in`);
  await page.getByLabel(/email|user principal name|sign-in name/i).fill(u.userPrincipalName);
  await page.getByLabel(/^password/i).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /^sign in$/i }).click();
  await page.waitForURL(/\/mfa/);
  const code = new TOTP({ secret: u.totpSecret, digits: 6, period: 30, algorithm: "SHA1" }).generate();
  await page.getByLabel(/code/i).first().fill(code);
  await page.getByRole("button", { name: /verify|sign in|continue/i }).click();
  await page.waitForURL((url) => !/\/(sign-in|mfa)/.test(url.pathname));
}

type Sample = { dcl: number; idle: number; after: number };

async function measure(page: Page, url: string): Promise<Sample> {
  await page.goto(url, { waitUntil: "networkidle" });
  return page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    const dcl = nav.domContentLoadedEventEnd;
    const idle = Math.max(nav.loadEventEnd, nav.responseEnd, ...resources.map((r) => r.responseEnd));
    return { dcl, idle, after: resources.filter((r) => r.startTime > dcl).length };
  });
}

async function main() {
  const base = arg("url", "http://127.0.0.1:3000").replace(/\/$/, "");
  const persona = arg("persona", "grace") as DemoPersona;
  const runs = Number(arg("runs", "3"));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page, base, persona);
  // One warm-up pass: the first visit after a start compiles nothing in production, but fills caches.
  for (const p of PAGES) await measure(page, `${base}${p}`);
  console.log(
    `\n${base} as ${persona}, median of ${runs}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}\n`,
  );
  console.log("| page | → DOMContentLoaded (ms) | → network idle (ms) | idle − DCL (ms) | requests after DCL |");
  console.log("|---|---:|---:|---:|---:|");
  for (const p of PAGES) {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await measure(page, `${base}${p}`));
    const dcl = median(samples.map((s) => s.dcl));
    const idle = median(samples.map((s) => s.idle));
    const gap = median(samples.map((s) => s.idle - s.dcl));
    const after = median(samples.map((s) => s.after));
    console.log(`| ${p} | ${dcl.toFixed(0)} | ${idle.toFixed(0)} | ${gap.toFixed(0)} | ${after} |`);
  }
  await browser.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

import { createHash } from "node:crypto";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { test as base, expect, guardCsp } from "./csp-guard";
import { DEMO_PASSWORD, demoUsers, type DemoPersona } from "../db/demo-directory";
import { TEST_CLOCK_COOKIE, TEST_CLOCK_HEADER } from "../lib/clock";
import { CRON_SECRET, type Person } from "./factories";
import { freshCode } from "./totp";

export { expect, CRON_SECRET };

/** A demo person, or a person a spec made (e2e/factories.ts). */
export type Persona = DemoPersona | Person;
const person = (p: Persona) => (typeof p === "object" ? p : demoUsers[p]);
const key = (p: Persona) => (typeof p === "object" ? p.id : p);

/**
 * Signs in through the real pages: password, then the TOTP challenge. For a portal a spec starts on its own
 * (e2e/helpers/app-server.ts); on the shared e2e server `as()` starts from a session instead.
 */
export async function signIn(page: Page, persona: Persona): Promise<void> {
  const u = person(persona);
  await page.goto("/sign-in");
  await page.getByLabel(/email|user principal name|sign-in name/i).fill(u.userPrincipalName);
  await page.getByLabel(/^password/i).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /^sign in$/i }).click();
  await page.waitForURL(/\/mfa/);
  await mfaStepUp(page, persona);
  await page.waitForURL((url) => !/\/(sign-in|mfa)/.test(url.pathname));
}

/** Answers the TOTP challenge on the current /mfa page. */
export async function mfaStepUp(page: Page, persona: Persona): Promise<void> {
  const code = await freshCode(person(persona).totpSecret);
  await page.getByLabel(/code/i).first().fill(code);
  await page.getByRole("button", { name: /verify|sign in|continue/i }).click();
}

/**
 * The test's own server clock (see lib/clock.ts): every page `as()` opens carries its id in a cookie and the
 * `request` fixture in a header, so the server (pages, actions, API, cron route) runs at this clock's time;
 * `advance` moves only this clock. By default each test has its own; a serial story that moves time across
 * its tests declares `test.use({ clockScope: "describe" })` and its tests share one.
 */
export type TestClock = { id: string; advance: (minutes: number) => Promise<void>; now: () => Promise<Date> };

async function clockCall(baseURL: string, id: string, init: RequestInit = {}): Promise<{ now: string }> {
  const res = await fetch(`${baseURL}/api/test/clock`, {
    ...init,
    headers: { authorization: `Bearer ${CRON_SECRET}`, "content-type": "application/json", [TEST_CLOCK_HEADER]: id },
  });
  if (!res.ok) throw new Error(`test clock: ${res.status} ${await res.text()}`);
  return (await res.json()) as { now: string };
}

type Fixtures = {
  clockScope: "test" | "describe";
  clock: TestClock;
  /** `as('sophia')` or `as(person)`: a page signed in as them, closed after the test. */
  as: (persona: Persona) => Promise<Page>;
};

/** Sessions by clock and person: a session made under one clock (its MFA time) is never reused under another. */
const states = new Map<string, Awaited<ReturnType<BrowserContext["storageState"]>>>();

/**
 * A signed-in session for the person, made by the test build's session route on the test's clock: the row, the
 * sign-in log entry and the cookie a password and authenticator-code sign-in leaves (signing in itself is what
 * e2e/auth.spec.ts, e2e/oidc.spec.ts and e2e/users.spec.ts walk through the pages).
 */
async function sessionCookie(baseURL: string, clock: TestClock, persona: Persona) {
  const res = await fetch(`${baseURL}/api/test/session`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${CRON_SECRET}`,
      "content-type": "application/json",
      [TEST_CLOCK_HEADER]: clock.id,
    },
    body: JSON.stringify({ userId: person(persona).id }),
  });
  if (!res.ok) throw new Error(`test session: ${res.status} ${await res.text()}`);
  const c = (await res.json()) as { name: string; value: string; expires: number };
  return { name: c.name, value: c.value, expires: c.expires, url: baseURL, httpOnly: true, sameSite: "Lax" as const };
}

async function openAs(browser: Browser, baseURL: string, clock: TestClock, persona: Persona) {
  const k = `${clock.id}:${key(persona)}`;
  const saved = states.get(k);
  const context = await browser.newContext(saved ? { storageState: saved } : {});
  const cookies = [{ name: TEST_CLOCK_COOKIE, value: clock.id, url: baseURL }];
  await context.addCookies(saved ? cookies : [...cookies, await sessionCookie(baseURL, clock, persona)]);
  await guardCsp(context);
  const page = await context.newPage();
  if (!saved) {
    // Where signing in lands: the blade's Overview.
    await page.goto("/overview");
    states.set(k, await context.storageState());
  }
  return { page, context, k };
}

export const test = base.extend<Fixtures>({
  clockScope: ["test", { option: true }],
  clock: async ({ baseURL, clockScope }, use, info) => {
    // --repeat-each runs a test (or a serial story) again: on a clock of its own again.
    const path = clockScope === "describe" ? info.titlePath.slice(0, -1) : info.titlePath;
    const scope = [...path, String(info.repeatEachIndex)];
    const id = createHash("sha256")
      .update(`${process.env.E2E_RUN_ID}\n${scope.join("\n")}`)
      .digest("hex")
      .slice(0, 32);
    await use({
      id,
      advance: async (minutes) => {
        await clockCall(baseURL!, id, { method: "POST", body: JSON.stringify({ advanceMinutes: minutes }) });
      },
      now: async () => new Date((await clockCall(baseURL!, id)).now),
    });
  },
  extraHTTPHeaders: async ({ extraHTTPHeaders, clock }, use) => {
    await use({ ...extraHTTPHeaders, [TEST_CLOCK_HEADER]: clock.id });
  },
  as: async ({ browser, baseURL, clock }, use) => {
    const opened: [string, BrowserContext][] = [];
    await use(async (persona) => {
      const { page, context, k } = await openAs(browser, baseURL!, clock, persona);
      opened.push([k, context]);
      return page;
    });
    // Keep the latest cookies: an MFA step-up rotates the session token.
    for (const [k, c] of opened) {
      states.set(k, await c.storageState());
      await c.close();
    }
  },
});

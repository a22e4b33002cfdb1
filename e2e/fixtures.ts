import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEMO_PASSWORD, demoUsers, type DemoPersona } from "../db/demo-directory";
import { e2eUsers } from "../db/e2e-directory";
import { freshCode } from "./totp";

export { expect };
export const CRON_SECRET = "e2e-cron-secret";

/** Demo people, plus the e2e-only people who can sign in (db/e2e-directory.ts). */
export type Persona = DemoPersona | "expiry";
const person = (p: Persona) => (p === "expiry" ? e2eUsers.expiry : demoUsers[p]);
const states = new Map<Persona, Awaited<ReturnType<BrowserContext["storageState"]>>>();

/** Signs in through the real pages: password, then the TOTP challenge. */
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

/** A page signed in as the persona; the session is created once per worker and reused (storageState). */
export async function pageAs(browser: Browser, persona: Persona): Promise<{ page: Page; context: BrowserContext }> {
  const saved = states.get(persona);
  const context = await browser.newContext(saved ? { storageState: saved } : {});
  const page = await context.newPage();
  if (!saved) {
    await signIn(page, persona);
    states.set(persona, await context.storageState());
  }
  return { page, context };
}

/** Moves the server clock forward (PIM_TEST_CLOCK is on in e2e). */
export async function advanceClock(baseURL: string, minutes: number): Promise<void> {
  const res = await fetch(`${baseURL}/api/test/clock`, {
    method: "POST",
    headers: { authorization: `Bearer ${CRON_SECRET}`, "content-type": "application/json" },
    body: JSON.stringify({ advanceMinutes: minutes }),
  });
  if (!res.ok) throw new Error(`test clock: ${res.status}`);
}

type Fixtures = { as: (persona: Persona) => Promise<Page> };

/** `as('sophia')` gives a signed-in page for that persona, closed after the test. */
export const test = base.extend<Fixtures>({
  as: async ({ browser }, use) => {
    const opened: [Persona, BrowserContext][] = [];
    await use(async (persona) => {
      const { page, context } = await pageAs(browser, persona);
      opened.push([persona, context]);
      return page;
    });
    // Keep the latest cookies: an MFA step-up rotates the session token.
    for (const [persona, c] of opened) {
      states.set(persona, await c.storageState());
      await c.close();
    }
  },
});

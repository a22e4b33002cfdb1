import { test as base, expect, type BrowserContext } from "@playwright/test";

/**
 * Collects every Content-Security-Policy violation the browser reports on the pages of journeys built on
 * e2e/fixtures.ts (issue 12 finding 4); e2e/security-headers.spec.ts and e2e/sign-in-logs.spec.ts assert none.
 * Both channels are watched: Chromium's console error and the page's `securitypolicyviolation` event.
 */
const seen: string[] = [];
const guarded = new WeakSet<BrowserContext>();

export async function guardCsp(context: BrowserContext): Promise<void> {
  if (guarded.has(context)) return;
  guarded.add(context);
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(
        `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`,
      ),
    );
  });
  context.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy|CSP violation/i.test(msg.text()))
      seen.push(`${msg.page()?.url() ?? "?"}: ${msg.text()}`);
  });
}

/** Violations since the last call (and forgets them). */
export const takeCspViolations = (): string[] => seen.splice(0, seen.length);

/** Like Playwright's `test`, with every page's CSP violations collected (specs assert with takeCspViolations). */
export const test = base.extend<{ cspGuard: void }>({
  cspGuard: [
    async ({ context }, use) => {
      await guardCsp(context);
      await use();
    },
    { auto: true },
  ],
});
export { expect };

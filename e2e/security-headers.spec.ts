import { test, expect } from "./fixtures";
import { takeCspViolations } from "./csp-guard";

/**
 * Issue 12 finding 4: every response carries the security headers, and the portal still works in the
 * browser with the strict, nonce-based policy on (the CSP guard of e2e/fixtures.ts fails any test that
 * logs a violation; this spec also proves the guard sees one, and that framing is refused).
 */
test.describe("Security headers", () => {
  test("pages, API routes and static files carry them; each page gets its own nonce", async ({ request }) => {
    const a = await request.get("/sign-in");
    const b = await request.get("/sign-in");
    const csp = a.headers()["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval)/);
    expect(b.headers()["content-security-policy"]).not.toBe(csp);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    const html = await a.text();
    // Next.js put the nonce on the scripts it rendered.
    expect(html).toContain(`nonce="${nonce}"`);
    for (const r of [a, await request.get("/api/health"), await request.get("/graph/v1.0/me")]) {
      expect(r.headers()["x-frame-options"]).toBe("DENY");
      expect(r.headers()["x-content-type-options"]).toBe("nosniff");
      expect(r.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(r.headers()["permissions-policy"]).toContain("camera=()");
      expect(r.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(r.headers()["strict-transport-security"]).toBeUndefined(); // plain http here
    }
    const asset = /\/_next\/static\/[^"']+\.js/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    const s = await request.get(asset!);
    expect(s.headers()["x-content-type-options"]).toBe("nosniff");
    expect(s.headers()["x-frame-options"]).toBe("DENY");
  });

  test("a signed-in journey runs with no violation, and an injected inline script is blocked", async ({ as }) => {
    const page = await as("sophia");
    for (const path of ["/overview", "/my-roles", "/pending-requests", "/activity", "/tokens", "/users"]) {
      await page.goto(path);
      await expect(page.getByRole("navigation").first()).toBeVisible();
    }
    expect(takeCspViolations()).toEqual([]);
    // The policy is really on: markup injected the way an XSS would (an inline event handler, no nonce) does
    // not run, and the guard sees the violation. (A script element created by script is allowed by
    // 'strict-dynamic' by design: trust passes to what trusted code loads; injected markup gets none.)
    await page.evaluate(() => {
      document.body.insertAdjacentHTML(
        "beforeend",
        `<img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="window.__pwned = true" onerror="window.__pwned = true">`,
      );
    });
    await expect.poll(() => takeCspViolations().length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned === true)).toBe(false);
  });

  test("the portal refuses to render inside a frame", async ({ page, baseURL }) => {
    await page.goto("/api/health");
    // setContent resolves on the document's load event, which waits for the frame to finish (or fail).
    await page.setContent(`<iframe id="f" src="${baseURL}/sign-in" width="400" height="300"></iframe>`);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeTruthy();
    expect(await frame!.locator("input[type=password]").count()).toBe(0);
    // Same page, not framed: the form is there (so the zero above means "refused", not "not loaded yet").
    await page.goto("/sign-in");
    await expect(page.locator("input[type=password]")).toHaveCount(1);
    takeCspViolations(); // the refusal itself is reported as a frame-ancestors violation
  });
});

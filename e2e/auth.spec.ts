import fs from "node:fs";
import path from "node:path";
import { test, expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEMO_PASSWORD, demoUsers } from "../db/demo-directory";
import { createPerson } from "./factories";
import { codeAt, freshCode, markUsed } from "./totp";
import { expectAccessible } from "./a11y";

/**
 * Sign-in stories: password + TOTP, the refusals people can meet (wrong password, wrong code, reused code,
 * lockout, disabled account), first-time enrolment, session tokens replaced after sign-in and MFA,
 * sign-out ending the session, and nothing for requests without a session.
 */
const SESSION_COOKIE = "authjs.session-token";
const sophia = demoUsers.sophia;

async function submitPassword(page: Page, upn: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email or user principal name").fill(upn);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Submits a code; when the page stays, waits for the answer (the form counts its answers). */
async function enterCode(page: Page, code: string) {
  const form = page.getByTestId("code-form");
  const before = Number(await form.getAttribute("data-attempt"));
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await Promise.race([
    expect(form).toHaveAttribute("data-attempt", String(before + 1)),
    page.waitForURL((u) => !u.pathname.startsWith("/mfa")),
  ]);
}

/** A 6-digit code that is none of the codes valid around now. */
function wrongCode(secret: string): string {
  const now = Date.now();
  const valid = new Set([-2, -1, 0, 1, 2].map((k) => codeAt(secret, now + k * 30_000)));
  for (let n = 0; ; n++) {
    const c = String((123_457 + n * 7919) % 1_000_000).padStart(6, "0");
    if (!valid.has(c)) return c;
  }
}

/** A new browser context signed in with password + TOTP. */
async function signedIn(browser: Browser, who: { userPrincipalName: string; totpSecret: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await submitPassword(page, who.userPrincipalName);
  await page.waitForURL(/\/mfa/);
  await enterCode(page, await freshCode(who.totpSecret));
  await page.waitForURL(/\/overview$/);
  return { context, page };
}

type ManifestEntry = { exportedName?: string; filename?: string };
function actionId(name: string): string {
  const file = path.join(process.env.NEXT_DIST_DIR ?? ".next-e2e", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { node: Record<string, ManifestEntry> };
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === name)?.[0];
  if (!id) throw new Error(`server action ${name} not found in the build`);
  return id;
}

/** Calls a server action the way the browser does (POST to a page with the Next-Action header). */
function callAction(req: APIRequestContext, pagePath: string, name: string, args: unknown[]) {
  return req.post(pagePath, {
    headers: { "Next-Action": actionId(name), "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
    data: JSON.stringify(args),
    maxRedirects: 0,
  });
}

async function sessionCookie(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((c) => c.name === SESSION_COOKIE)?.value;
}

test("Sophia signs in with password and authenticator code, gets a new session token at each step, and sees the blade", async ({
  page,
  context,
}) => {
  await submitPassword(page, sophia.userPrincipalName.toUpperCase()); // the sign-in name is case-insensitive
  await page.waitForURL(/\/mfa/);
  await expect(page.getByRole("heading", { name: "Enter code" })).toBeVisible();
  const afterPassword = await sessionCookie(context);
  expect(afterPassword).toBeTruthy();

  await enterCode(page, await freshCode(sophia.totpSecret));
  await page.waitForURL(/\/overview$/);
  const afterMfa = await sessionCookie(context);
  expect(afterMfa).toBeTruthy();
  expect(afterMfa).not.toBe(afterPassword);

  // The chrome: the person and Sign out at top right, the breadcrumb, the left menu.
  await expect(page.getByTestId("signed-in-user")).toContainText("Sophia Davis");
  await expect(page.getByTestId("signed-in-user")).toContainText(sophia.userPrincipalName);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(crumbs).toContainText("Home");
  await expect(crumbs).toContainText("Privileged Identity Management | Microsoft Entra roles");
  await expect(crumbs).toContainText("Perparims Cloud Solutions");
  await expect(
    page.getByRole("navigation", { name: "Privileged Identity Management" }).getByRole("link", { name: "Overview" }),
  ).toHaveAttribute("aria-current", "page");

  // The token from before the MFA challenge was replaced: on its own it opens nothing.
  const other = await context.browser()!.newContext();
  await other.addCookies([{ name: SESSION_COOKIE, value: afterPassword!, domain: "127.0.0.1", path: "/" }]);
  const p2 = await other.newPage();
  await p2.goto("/overview");
  await expect(p2).toHaveURL(/\/sign-in/);
  await other.close();
});

test("a wrong password is refused with a clear message, and the name typed stays in the form", async ({ page }) => {
  await submitPassword(page, sophia.userPrincipalName, "not-the-password");
  await expect(page.getByTestId("sign-in-error")).toHaveText(/^Your account or password is incorrect\./);
  await expectAccessible(page, "Sign-in with an error");
  await expect(page.getByLabel("Email or user principal name")).toHaveValue(sophia.userPrincipalName);
  await expect(page.getByLabel("Password")).toBeFocused();
  await expect(page).toHaveURL(/\/sign-in/);
  // An unknown name gets the same answer (no account discovery).
  await submitPassword(page, "nobody@perparimsolutions.onmicrosoft.com", "whatever-password");
  await expect(page.getByTestId("sign-in-error")).toHaveText(/^Your account or password is incorrect\./);
});

test("ten wrong passwords lock the account for a while: then even the right password is refused", async ({ page }) => {
  const perry = await createPerson("Perry Password");
  for (let i = 1; i < 10; i++) {
    await submitPassword(page, perry.userPrincipalName, `wrong-password-${i}`);
    await expect(page.getByTestId("sign-in-error")).toHaveText(/^Your account or password is incorrect\./);
  }
  await submitPassword(page, perry.userPrincipalName, "wrong-password-10");
  await expect(page.getByTestId("sign-in-error")).toHaveText(/temporarily locked .* too many wrong passwords/);
  await submitPassword(page, perry.userPrincipalName);
  await expect(page.getByTestId("sign-in-error")).toHaveText(/temporarily locked/);
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a disabled account is refused even with the right password", async ({ page }) => {
  await submitPassword(page, (await createPerson("Dana Disabled", { enabled: false })).userPrincipalName);
  await expect(page.getByTestId("sign-in-error")).toHaveText(
    "Your account has been disabled. Contact your administrator.",
  );
  await page.goto("/overview");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a wrong code and a reused code are each refused with a clear message", async ({ page, context }) => {
  const ravi = await createPerson("Ravi Reuse");
  await submitPassword(page, ravi.userPrincipalName);
  await page.waitForURL(/\/mfa/);
  await enterCode(page, wrongCode(ravi.totpSecret));
  await expect(page.getByTestId("mfa-error")).toHaveText(/^That code is not correct\./);
  await expect(page.getByLabel("Code")).toBeFocused();
  await expectAccessible(page, "MFA challenge with an error");
  await expect(page).toHaveURL(/\/mfa/);

  const code = await freshCode(ravi.totpSecret);
  await enterCode(page, code);
  await page.waitForURL(/\/overview$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/sign-in/);

  // Same code again within its 30-second window (someone watching over a shoulder, say): refused.
  await submitPassword(page, ravi.userPrincipalName);
  await page.waitForURL(/\/mfa/);
  await enterCode(page, code);
  await expect(page.getByTestId("mfa-error")).toHaveText("That code was already used. Wait for the next code.");
  await page.goto("/overview");
  await expect(page).toHaveURL(/\/mfa/);
  await markUsed(ravi.totpSecret);
  expect(await sessionCookie(context)).toBeTruthy();
});

test("after 5 wrong codes the account's MFA is locked for 15 minutes, even for the right code", async ({ page }) => {
  const lena = await createPerson("Lena Lockout");
  await submitPassword(page, lena.userPrincipalName);
  await page.waitForURL(/\/mfa/);
  const bad = wrongCode(lena.totpSecret);
  for (let i = 1; i <= 4; i++) {
    await enterCode(page, bad);
    await expect(page.getByTestId("mfa-error")).toHaveText(/^That code is not correct\./);
  }
  await enterCode(page, bad);
  await expect(page.getByTestId("mfa-error")).toHaveText(/^Too many wrong codes\. Try again after \d\d:\d\d\.$/);
  await enterCode(page, await freshCode(lena.totpSecret));
  await expect(page.getByTestId("mfa-error")).toHaveText(/^Too many wrong codes\. Try again after \d\d:\d\d\.$/);
  // Reloading shows the lock straight away.
  await page.reload();
  await expect(page.getByTestId("mfa-error")).toHaveText(/^Too many wrong codes\. Try again after \d\d:\d\d\.$/);
  await page.goto("/overview");
  await expect(page).toHaveURL(/\/mfa/);
});

test("a person without an authenticator enrols with the QR code's secret and a first code", async ({ page }) => {
  const ursula = await createPerson("Ursula Unenrolled", { enrolled: false });
  await submitPassword(page, ursula.userPrincipalName);
  await page.waitForURL(/\/mfa\/enroll/);
  await expect(page.getByRole("heading", { name: "Set up your authenticator app" })).toBeVisible();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  await expectAccessible(page, "MFA enrolment");
  const secret = await page.getByTestId("mfa-secret").getAttribute("data-secret");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await enterCode(page, wrongCode(secret!));
  await expect(page.getByTestId("mfa-error")).toHaveText(/^That code is not correct\./);
  await enterCode(page, await freshCode(secret!));
  await page.waitForURL(/\/overview$/);
  await expect(page.getByText(`Welcome, ${ursula.displayName}.`)).toBeVisible();
});

test("sign-out ends the session: the old cookie no longer opens anything", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await submitPassword(page, sophia.userPrincipalName);
  await page.waitForURL(/\/mfa/);
  await enterCode(page, await freshCode(sophia.totpSecret));
  await page.waitForURL(/\/overview$/);
  const saved = await context.storageState();

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/sign-in/);
  await expect(page.getByText("You have signed out.", { exact: false })).toBeVisible();

  // A copy of the cookie taken before signing out is worthless now.
  const replay = await browser.newContext({ storageState: saved });
  const p2 = await replay.newPage();
  await p2.goto("/overview");
  await expect(p2).toHaveURL(/\/sign-in\?returnTo=%2Foverview/);
  await replay.close();
  await context.close();
});

test("Auth.js's own sign-out endpoint ends the server-side session too, not just the cookie", async ({ browser }) => {
  const { context, page } = await signedIn(browser, demoUsers.grace);
  const saved = await context.storageState();
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/signout", { form: { csrfToken }, maxRedirects: 0 });
  expect(res.status()).toBe(302);
  const replay = await browser.newContext({ storageState: saved });
  const p2 = await replay.newPage();
  await p2.goto("/overview");
  await expect(p2).toHaveURL(/\/sign-in/);
  await replay.close();
  await context.close();
});

test("without a session, portal pages redirect to sign-in and server actions answer nothing", async ({
  page,
  request,
  browser,
}) => {
  for (const p of ["/overview", "/roles", "/users", "/activity"]) {
    const res = await request.get(p, { maxRedirects: 0 });
    expect(res.status(), p).toBe(307);
    expect(res.headers().location, p).toMatch(/^\/sign-in\?returnTo=/);
    expect(await res.text(), p).not.toContain("Perparim Abdullahu");
  }
  await page.goto("/roles");
  await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Froles/);

  // Server actions are public endpoints: call two of them directly, as the browser would, without a cookie.
  const newUser = {
    displayName: "Mallory Anonymous",
    userPrincipalName: `mallory.${Date.now()}@perparimsolutions.onmicrosoft.com`,
    password: "Anonymous-Password-1234",
    accountEnabled: true,
  };

  const anonCreate = await callAction(request, "/users", "createUserAction", [newUser]);
  const anonText = await anonCreate.text();
  expect(anonText).toContain("Unauthenticated");
  expect(anonText).not.toContain('"ok":true');
  const anonSearch = await callAction(request, "/assignments", "searchPrincipalsAction", ["Sophia", ["User"]]);
  expect(await anonSearch.text()).not.toContain("Sophia Davis");

  // The same calls with the Global Administrator's session work: so the refusals above were about the
  // missing session, and the user was not created by the anonymous call (no "already exists").
  const { context: ctx, page: admin } = await signedIn(browser, demoUsers.perparim);
  const authed = await callAction(admin.request, "/users", "createUserAction", [newUser]);
  expect(await authed.text()).toContain('"ok":true');
  const authedSearch = await callAction(admin.request, "/assignments", "searchPrincipalsAction", ["Sophia", ["User"]]);
  expect(await authedSearch.text()).toContain("Sophia Davis");
  await ctx.close();
});

test("a step-up challenge for a signed-in person returns to the page that asked, with a new session token", async ({
  browser,
}) => {
  const { context, page } = await signedIn(browser, demoUsers.emma);
  const before = await sessionCookie(context);
  await page.goto(`/mfa?returnTo=${encodeURIComponent("/roles?q=User")}`);
  await expect(page.getByRole("heading", { name: "Verify your identity" })).toBeVisible();
  await enterCode(page, await freshCode(demoUsers.emma.totpSecret));
  await page.waitForURL(/\/roles\?q=User$/);
  const after = await sessionCookie(context);
  expect(after).not.toBe(before);
  // An outside returnTo is ignored.
  await page.goto(`/mfa?returnTo=${encodeURIComponent("https://evil.example/")}`);
  await enterCode(page, await freshCode(demoUsers.emma.totpSecret));
  await page.waitForURL(/\/overview$/);
  await context.close();
});

import { test, expect } from "@playwright/test";
import { demoUsers } from "../db/demo-directory";
import { startAppServer, type AppServer } from "./helpers/app-server";
import { startOidcProvider } from "./helpers/oidc-provider";
import { freshCode } from "./totp";
import { freePort } from "./helpers/free-port";

/**
 * Sign-in through an organisation's own identity provider: a real OpenID Connect provider (oidc-provider)
 * on 127.0.0.1 and a second portal instance started with OIDC_* pointing at it. Full authorization-code
 * flow (PKCE, state, nonce) in the browser; the portal matches the person by email and still asks for TOTP.
 */
// Free ports picked when the spec starts (E2E_OIDC_PORT / E2E_OIDC_APP_PORT override).
let OIDC_PORT = 0;
let APP_PORT = 0;
const CLIENT_ID = "pim-portal-e2e";
const CLIENT_SECRET = "pim-portal-e2e-client-secret";

let idp: { issuer: string; close: () => Promise<void> } | undefined;
let app: AppServer | undefined;
const appURL = () => app!.baseURL;

test.describe.configure({ mode: "serial", timeout: 60_000 });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  OIDC_PORT = Number(process.env.E2E_OIDC_PORT || (await freePort()));
  APP_PORT = Number(process.env.E2E_OIDC_APP_PORT || (await freePort()));
  idp = await startOidcProvider({
    port: OIDC_PORT,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [`http://localhost:${APP_PORT}/api/auth/callback/oidc`],
    accounts: {
      "alex-at-idp": { email: demoUsers.alex.userPrincipalName.toLowerCase(), name: "Alex Johnson (IdP)" },
      stranger: { email: "stranger@elsewhere.example", name: "Someone Else" },
    },
  });
  app = await startAppServer({
    port: APP_PORT,
    name: "oidc",
    env: {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_NAME: "Test IdP",
    },
  });
});

test.afterAll(async () => {
  await app?.stop();
  await idp?.close();
});

async function loginAtIdp(page: import("@playwright/test").Page, login: string) {
  await page.goto(`${appURL()}/sign-in`);
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await page.waitForURL((u) => u.port === String(OIDC_PORT));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // First time for this client: the provider asks for consent.
  const consent = page.getByRole("button", { name: "Continue" });
  await page.waitForURL((u) => u.port === String(APP_PORT) || /interaction/.test(u.pathname));
  if (/interaction/.test(new URL(page.url()).pathname)) await consent.click();
}

test("Alex signs in with his organisation's identity provider, then answers the TOTP challenge", async ({ page }) => {
  await loginAtIdp(page, "alex-at-idp");
  await page.waitForURL(`${appURL()}/mfa**`);
  await expect(page.getByTestId("mfa-account")).toHaveText(demoUsers.alex.userPrincipalName);
  await page.getByLabel("Code").fill(await freshCode(demoUsers.alex.totpSecret));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(`${appURL()}/overview`);
  await expect(page.getByText("Welcome, Alex Johnson.")).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toContainText(demoUsers.alex.userPrincipalName);
});

test("someone the directory does not know is refused after the identity provider vouches for them", async ({
  page,
}) => {
  await loginAtIdp(page, "stranger");
  await page.waitForURL(`${appURL()}/sign-in**`);
  expect(new URL(page.url()).searchParams.get("error")).toBe("AccessDenied");
  await expect(page.getByTestId("sign-in-error")).toHaveText(/not known to this portal/);
  // No session was created: the portal still sends them to sign-in.
  await page.goto(`${appURL()}/overview`);
  await expect(page).toHaveURL(/\/sign-in/);
});

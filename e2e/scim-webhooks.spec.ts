import http from "node:http";
import type { AddressInfo } from "node:net";
import { test, expect, type Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { expectAccessible, shoot } from "./a11y";
import { signIn } from "./fixtures";
import { startAppServer, type AppServer } from "./helpers/app-server";
import { freePort } from "./helpers/free-port";
import { startOidcProvider } from "./helpers/oidc-provider";
import { MyRolesPage } from "./pages/my-roles";
import { freshCode } from "./totp";

/**
 * Issue 16's story on a portal instance of its own with OIDC switched on: the break-glass admin connects an
 * identity provider (SCIM token) and registers a webhook endpoint (a real receiver on 127.0.0.1); the IdP
 * provisions a new hire through /scim/v2; she signs in with OIDC and is linked to the provisioned account;
 * the admin activates a role and the endpoint's delivery log shows the signed role.activated event.
 */
const CLIENT_ID = "pim-portal-e2e-scim";
const CLIENT_SECRET = "pim-portal-e2e-scim-client-secret";
const NINA = { email: "nina.newhire@contoso-idp.example", name: "Nina Newhire" };

let idp: { issuer: string; close: () => Promise<void> } | undefined;
let app: AppServer | undefined;
let oidcPort = 0;
let receiver: http.Server | undefined;
const received: { headers: Record<string, string>; body: string }[] = [];

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  oidcPort = await freePort();
  const appPort = await freePort();
  idp = await startOidcProvider({
    port: oidcPort,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [`http://localhost:${appPort}/api/auth/callback/oidc`],
    accounts: { "nina-at-idp": NINA },
  });
  app = await startAppServer({
    port: appPort,
    name: "scim",
    env: {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_NAME: "Test IdP",
    },
  });
  receiver = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      received.push({ headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => receiver!.listen(0, "127.0.0.1", ok));
});

test.afterAll(async () => {
  await app?.stop();
  await idp?.close();
  await new Promise<void>((ok) => {
    if (!receiver) return ok();
    receiver.close(() => ok());
    receiver.closeAllConnections(); // the portal's delivery sockets, kept alive, would hold close() open
  });
});

async function enrolAfterOidc(page: Page) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await page.waitForURL((u) => u.port === String(oidcPort));
  await page.locator('input[name="login"]').fill("nina-at-idp");
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.waitForURL((u) => u.port !== String(oidcPort) || /interaction/.test(u.pathname));
  if (/interaction/.test(new URL(page.url()).pathname)) await page.getByRole("button", { name: "Continue" }).click();
  // linked to the provisioned account (a stranger would be refused): first sign-in enrols TOTP
  await page.waitForURL(/\/mfa\/enroll/);
  const secret = await page.getByTestId("mfa-secret").getAttribute("data-secret");
  await page.getByLabel("Code").fill(await freshCode(secret!));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(/\/overview$/);
}

test("an admin connects SCIM and a webhook; a provisioned hire signs in with OIDC; the delivery log shows an activation", async ({
  browser,
  request,
}, info) => {
  const base = app!.baseURL;
  const admin = await (await browser.newContext({ baseURL: base })).newPage();
  await signIn(admin, "perparim");

  // 1. SCIM token, shown once with the tenant URL
  await admin.goto("/scim");
  await expect(admin.getByRole("heading", { name: /SCIM provisioning/ })).toBeVisible();
  await admin.getByLabel("Connection name").fill("Test IdP provisioning");
  await admin.getByRole("button", { name: "Create token" }).click();
  const token = (await admin.getByTestId("new-scim-token").textContent())!.trim();
  expect(token).toMatch(/^scim_[A-Za-z0-9_-]{40,}$/);
  await expect(admin.getByRole("row", { name: /Test IdP provisioning/ })).toContainText("Active");
  await expectAccessible(admin, "SCIM provisioning");
  await shoot(admin, info, "scim-provisioning");

  // 2. webhook endpoint, secret shown once
  const hookUrl = `http://127.0.0.1:${(receiver!.address() as AddressInfo).port}/pim-events`;
  await admin.goto("/webhooks");
  await admin.getByLabel("Endpoint URL").fill(hookUrl);
  await admin.getByLabel("Description (optional)").fill("Security tooling");
  await admin.getByRole("button", { name: "Add endpoint" }).click();
  const secret = (await admin.getByTestId("new-webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  await admin.reload();
  await expect(admin.getByRole("link", { name: hookUrl })).toBeVisible();
  await expectAccessible(admin, "Webhooks");
  await shoot(admin, info, "webhooks");

  // 3. the identity provider provisions the new hire (its SCIM client's requests)
  const scim = (method: string, path: string, data?: unknown) =>
    request.fetch(`${base}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
      data,
    });
  const filter = encodeURIComponent(`userName eq "${NINA.email}"`);
  expect((await (await scim("GET", `/Users?filter=${filter}`)).json()).totalResults).toBe(0);
  const created = await scim("POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: NINA.email,
    name: { givenName: "Nina", familyName: "Newhire" },
    emails: [{ primary: true, type: "work", value: NINA.email }],
    active: true,
  });
  expect(created.status()).toBe(201);
  expect((await (await scim("GET", `/Users?filter=${filter}`)).json()).totalResults).toBe(1);

  // 4. she signs in through the identity provider and is linked to that account
  const nina = await (await browser.newContext({ baseURL: base })).newPage();
  await enrolAfterOidc(nina);
  await expect(nina.getByText("Welcome, Nina Newhire.")).toBeVisible();

  // 5. the admin activates a role: the endpoint receives role.activated, signed
  const myRoles = new MyRolesPage(admin);
  await myRoles.goto("eligible");
  await myRoles.activate("Application Administrator", {
    justification: "Register the HR app",
    persona: "perparim",
    mfa: "none",
  });
  await expect(myRoles.activeRow("Application Administrator")).toBeVisible();
  await expect
    .poll(() => received.filter((r) => r.body.includes('"role.activated"')).length, { timeout: 20_000 })
    .toBe(1);
  const hit = received.find((r) => r.body.includes('"role.activated"'))!;
  const event = new Webhook(secret).verify(hit.body, hit.headers) as {
    type: string;
    data: { role: { displayName: string } };
  };
  expect(event).toMatchObject({ type: "role.activated", data: { role: { displayName: "Application Administrator" } } });

  // 6. the delivery log shows it, delivered with the receiver's response code
  await admin.goto("/webhooks");
  await admin.getByRole("link", { name: hookUrl }).click();
  const row = admin.getByTestId("delivery-row").filter({ hasText: "role.activated" });
  await expect(row).toContainText("Delivered");
  await expect(row).toContainText("HTTP 204");
  await expect(row).toContainText(hit.headers["webhook-id"]!);
  await expectAccessible(admin, "Webhook delivery log");
  await shoot(admin, info, "webhook-deliveries");
});

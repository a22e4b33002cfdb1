/**
 * The API's pages: API tokens (create, shown once, validation, revoke), API (the OpenAPI document, every
 * path listed) and Service principals (register, client secret shown once, revoke; the server refuses a
 * non-admin's replayed secret creation). axe on each. a Security Reader each test makes (reads PIM, administers
 * nothing) and Perparim (Global Administrator); nothing here changes roles or settings.
 */
import { expect, test } from "./fixtures";
import { expectAccessible, shoot } from "./a11y";
import { ServicePrincipalsPage, TokensPage } from "./pages/tokens";
import { captureAction, replayAction } from "./server-action";
import { createPerson, makeActive, uniqueSuffix } from "./factories";

/** Each test's own reader: a permanent Security Reader (reads PIM, administers nothing). */
async function reader() {
  const noah = await createPerson("Noah Reader", { jobTitle: "Security Analyst" });
  await makeActive(noah, "Security Reader");
  return noah;
}

test.describe("API tokens, API reference and service principals", () => {
  test("Noah creates a personal token: shown once, then only its hint; a token without permissions is refused; revoke", async ({
    as,
    request,
  }, info) => {
    const noah = await reader();
    const page = await as(noah);
    const tokens = new TokensPage(page);
    await tokens.goto();

    await page.getByLabel("Name", { exact: true }).fill("no permissions");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByText("Choose at least one permission.")).toBeVisible();
    await expect(tokens.shownOnce).toHaveCount(0);

    const token = await tokens.create("security dashboard", ["RoleManagement.Read.Directory", "User.Read"], 7);
    await expect(tokens.row("security dashboard")).toContainText("RoleManagement.Read.Directory, User.Read");
    await shoot(page, info, "tokens");
    await expectAccessible(page, "tokens, token shown once");

    // Copy puts exactly the shown value on the clipboard and says so.
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("button", { name: "Copy token" }).click();
    await expect(page.getByText("Token copied to the clipboard.")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

    const me = await request.get("/graph/v1.0/me", { headers: { authorization: `Bearer ${token}` } });
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ displayName: noah.displayName });

    await page.reload();
    await expect(tokens.shownOnce).toHaveCount(0);
    await expect(page.getByText(token)).toHaveCount(0);
    await expect(tokens.row("security dashboard")).toContainText(`…${token.slice(-4)}`);
    await expect(tokens.row("security dashboard")).toContainText("Active");

    await tokens.revoke("security dashboard");
    const after = await request.get("/graph/v1.0/me", { headers: { authorization: `Bearer ${token}` } });
    expect(after.status()).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
    await expectAccessible(page, "tokens, list");
  });

  test("The API page lists every path and method of /graph/openapi.json", async ({ as, request }, info) => {
    const res = await request.get("/graph/openapi.json");
    expect(res.status()).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { summary?: string }>> };
    expect(doc.openapi).toMatch(/^3\./);
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => ({ path, method: m.toUpperCase() })),
    );
    expect(ops.length).toBeGreaterThan(30);

    const page = await as("noah");
    await page.goto("/api-docs");
    await expect(page.getByRole("heading", { level: 1, name: "API" })).toBeVisible();
    const rows = page.getByRole("table").locator("tbody tr");
    await expect(rows).toHaveCount(ops.length);
    const seen = await rows.evaluateAll((trs) =>
      trs.map((tr) => `${tr.children[0]?.textContent?.trim()} ${tr.children[1]?.textContent?.trim()}`),
    );
    expect(seen.sort()).toEqual(ops.map((o) => `${o.method} ${o.path}`).sort());
    await expect(page.getByRole("link", { name: "/graph/openapi.json" })).toHaveAttribute(
      "href",
      "/graph/openapi.json",
    );
    await shoot(page, info, "api");
    await expectAccessible(page, "API reference");
  });

  test("Perparim registers a service principal and adds a secret (shown once); a non-admin's replayed secret creation is refused and writes nothing", async ({
    as,
  }, info) => {
    const page = await as("perparim");
    const sps = new ServicePrincipalsPage(page);
    await sps.goto();
    await expect(sps.row("Build Pipeline")).toContainText("Application Administrator");
    const robot = `Ticket Robot ${uniqueSuffix()}`;
    const { objectId, appId } = await sps.register(
      robot,
      "ITSM integration that requests roles for on-call engineers.",
    );
    const call = await captureAction(page, async () => {
      await sps.addSecret("itsm prod", ["RoleAssignmentSchedule.Read.Directory"]);
    });
    await expect(page.getByText(appId).first()).toBeVisible();
    await shoot(page, info, "service-principals-detail");
    await expectAccessible(page, "service principal, secret shown once");

    // the server validates: an unknown permission is refused
    const invalid = await replayAction(page.request, call, [
      { servicePrincipalId: objectId, displayName: "x", expiresInDays: 30, scopes: ["Directory.ReadWrite.All"] },
    ]);
    expect(invalid).toContain('"ok":false');
    expect(invalid).toContain("Unknown permission.");

    // Noah reads PIM but holds no admin role: no buttons, and the replayed action is refused
    const noah = await as(await reader());
    const noahSps = new ServicePrincipalsPage(noah);
    await noahSps.goto();
    await expect(noahSps.row(robot)).toContainText("1 active");
    await expect(noahSps.newButton).toHaveCount(0);
    await expect(noah.getByText("Registering one or managing client secrets needs an active")).toBeVisible();
    await noah.goto(`/service-principals/${objectId}`);
    await expect(noahSps.newSecretButton).toHaveCount(0);
    await expect(noahSps.secretRow("itsm prod").getByRole("button", { name: /Revoke/ })).toHaveCount(0);
    const refused = await replayAction(noah.request, call, [
      {
        servicePrincipalId: objectId,
        displayName: "noah's backdoor",
        expiresInDays: 30,
        scopes: ["RoleManagement.ReadWrite.Directory"],
      },
    ]);
    expect(refused).toContain('"ok":false');
    expect(refused).toContain('"code":"Forbidden"');
    await noah.reload();
    await expect(noahSps.secretRow("noah's backdoor")).toHaveCount(0);
    await expect(noah.getByTestId("secret-row")).toHaveCount(1);
    await expectAccessible(noah, "service principal, read only");

    // the admin revokes the secret
    await page.reload();
    await expect(page.getByTestId("new-secret")).toHaveCount(0);
    await sps.secretRow("itsm prod").getByRole("button", { name: "Revoke itsm prod" }).click();
    await expect(sps.secretRow("itsm prod")).toContainText("Revoked");
    await sps.goto();
    await expect(sps.row(robot)).toContainText("None");
    await shoot(page, info, "service-principals");
    await expectAccessible(page, "service principals list");
  });
});

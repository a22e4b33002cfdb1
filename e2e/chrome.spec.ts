import type { Page, Request } from "@playwright/test";
import { test, expect } from "./fixtures";
import { expectAccessible, shoot } from "./a11y";
import { createPerson, makeEligible } from "./factories";
import { MyRolesPage } from "./pages/my-roles";
import { SECURITY_READER, USER_ADMINISTRATOR } from "../lib/pim/directory/builtin-roles";

/**
 * Issue 17, items 3, 5, 6 and 7: the blade's chrome as people new to the portal meet it. Every person here
 * is the test's own (factories) or a demo persona that is only read; nothing directory-wide changes.
 */

const NOT_ALLOWED = "You don't have access to this page";
/** "7 Dec 2026, 14:05 GMT": the portal's one date format in en-GB, Europe/London (playwright.config.ts). */
const DATE_TIME = /(?<!\d)\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} (GMT|BST)/;
const menu = (page: Page) => page.getByRole("navigation", { name: "Privileged Identity Management" });
const search = (page: Page) => page.getByRole("combobox", { name: "Search resources, services, and docs (G+/)" });
/** A request for a page's React Server Components payload: with no navigation, only prefetching makes them. */
const isRsc = (r: Request) => r.headers()["rsc"] === "1";

test.describe("Not allowed here (item 3)", () => {
  test("someone without a PIM role opening Assignments, role settings, service principals or an export is told what is needed, in place", async ({
    as,
  }, info) => {
    const pat = await createPerson("Pat Newcomer");
    const page = await as(pat);

    // Assignments: the address stays, the page says which roles open it and how to get one.
    const res = await page.goto("/assignments");
    expect(res?.status()).toBe(200);
    await expect(page).toHaveURL(/\/assignments$/);
    const refusal = page.getByTestId("not-allowed");
    await expect(refusal.getByRole("heading", { name: NOT_ALLOWED })).toBeVisible();
    await expect(refusal).toContainText(
      "Global Administrator, Privileged Role Administrator, Security Administrator, Security Reader or Global Reader",
    );
    await expect(refusal).toContainText("You are not eligible for any of them.");
    await expect(page.getByRole("table")).toHaveCount(0);
    await shoot(page, info, "not-allowed");
    await expectAccessible(page, "not allowed (assignments)");

    // The menu and the pages agree: Service principals is not in Pat's menu, and its pages refuse him too.
    await expect(menu(page).getByRole("link", { name: "Service principals" })).toHaveCount(0);
    await expect(menu(page).getByRole("link", { name: "Assignments" })).toHaveCount(0);
    await page.goto("/service-principals");
    await expect(page.getByRole("heading", { name: NOT_ALLOWED })).toBeVisible();
    await expect(page.getByTestId("sp-row")).toHaveCount(0);
    await page.goto("/service-principals/40000000-0000-4000-8000-000000000001");
    await expect(page.getByRole("heading", { name: NOT_ALLOWED })).toBeVisible();
    await expect(page.getByText("40000000-0000-4000-8000-0000000000a1")).toHaveCount(0);

    await page.goto(`/roles/${USER_ADMINISTRATOR}/settings`);
    await expect(page.getByRole("heading", { name: NOT_ALLOWED })).toBeVisible();
    await expect(page.getByRole("button", { name: "Update", exact: true })).toHaveCount(0);

    // The export: a browser that opens its address gets the page; a script keeps Graph-like JSON and a 403.
    await page.goto("/assignments/export?tab=active");
    await expect(page).toHaveURL(/\/assignments\?tab=active$/);
    await expect(page.getByRole("heading", { name: NOT_ALLOWED })).toBeVisible();
    const script = await page.request.get("/assignments/export?tab=active", {
      headers: { accept: "application/json" },
    });
    expect(script.status()).toBe(403);
    expect((await script.json()) as unknown).toMatchObject({ error: { code: "Forbidden" } });

    // Resource audit's export: the page shows My audit and says why.
    await page.goto("/activity/export?view=resource");
    await expect(page).toHaveURL(/\/activity\?view=resource$/);
    await expect(page.getByRole("status").filter({ hasText: "Resource audit needs one of these roles" })).toContainText(
      "You see My audit instead.",
    );
    await expectAccessible(page, "activity with the resource audit refused");
  });

  test("someone eligible for a reader role is offered its Activate, which opens the Activate panel", async ({ as }) => {
    const rae = await createPerson("Rae Auditor");
    await makeEligible(rae, "Security Reader");
    const page = await as(rae);
    await page.goto(`/roles/${USER_ADMINISTRATOR}/settings`);
    const refusal = page.getByTestId("not-allowed");
    await expect(refusal.getByRole("heading", { name: NOT_ALLOWED })).toBeVisible();
    await expect(refusal).toContainText("You are eligible for one of them: activate it.");
    await refusal.getByRole("link", { name: "Activate Security Reader" }).click();
    await expect(page).toHaveURL(/\/my-roles\?activate=/);
    const myRoles = new MyRolesPage(page);
    await expect(myRoles.panel).toBeVisible();
    await expect(myRoles.panel).toContainText("Security Reader");
    await expectAccessible(page, "activate panel from the not-allowed page");
  });

  test("a reader still gets the reader's view of service principals", async ({ as }) => {
    const page = await as("noah");
    await page.goto("/service-principals");
    await expect(page.getByRole("heading", { level: 1, name: /\| Service principals$/ })).toBeVisible();
    await expect(page.getByTestId("sp-row").filter({ hasText: "Build Pipeline" })).toBeVisible();
    await expect(page.getByText("You can view the service principals.")).toBeVisible();
  });
});

test.describe("Background requests (item 5)", () => {
  test("a page loads without prefetching the menu's pages; resting on a link prefetches that one", async ({ as }) => {
    const page = await as(await createPerson("Quinn Quiet"));
    const rsc: string[] = [];
    page.on("request", (r) => {
      if (isRsc(r)) rsc.push(r.url());
    });
    await page.goto("/my-roles", { waitUntil: "networkidle" });
    await expect(page.getByRole("heading", { level: 1, name: /My roles/ })).toBeVisible();
    expect(rsc).toEqual([]);
    const prefetch = page.waitForRequest((r) => isRsc(r) && new URL(r.url()).pathname === "/pending-requests");
    await menu(page).getByRole("link", { name: "Pending requests" }).hover();
    await prefetch;
  });
});

test.describe("Presentation (item 6)", () => {
  test("dates read the same everywhere: the token page, service principals and the chart's days", async ({ as }) => {
    const page = await as("noah");
    await page.goto("/tokens");
    await expect(page.getByRole("heading", { level: 1, name: /^.+ \| API tokens$/ })).toBeVisible();
    await expect(page.getByTestId("token-mfa-state")).toContainText(DATE_TIME);
    await expect(page.getByTestId("token-mfa-state")).not.toContainText("UTC");

    await page.goto("/service-principals");
    const row = page.getByTestId("sp-row").filter({ hasText: "Build Pipeline" });
    await expect(row).toContainText(DATE_TIME);
    await expect(row).not.toContainText("UTC");

    await page.goto("/overview");
    const chart = page.getByRole("img", { name: /activations per day/i });
    await expect(chart).toBeVisible();
    const labels = (await chart.locator("text").allTextContents()).filter((t) => !/^\d+$/.test(t));
    expect(labels.length).toBeGreaterThan(3);
    for (const l of labels) expect(l).toMatch(/^\d{1,2} [A-Z][a-z]{2}$/);
  });

  test("a wrong address shows the 404 inside the blade, with the way back; signed out, a sign-in card", async ({
    as,
    browser,
  }, info) => {
    const page = await as("noah");
    const res = await page.goto("/no-such-page/at-all");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expect(menu(page).getByRole("link", { name: "My roles" })).toBeVisible();
    await expect(search(page)).toBeVisible();
    await shoot(page, info, "not-found");
    await expectAccessible(page, "404 in the blade");
    await page.getByRole("link", { name: "Back to Overview" }).click();
    await expect(page).toHaveURL(/\/overview$/);

    // notFound() inside a portal page: the same page.
    const missing = await page.goto("/roles/00000000-0000-4000-8000-000000000000/assignments");
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();

    const anonymous = await browser.newContext();
    const out = await anonymous.newPage();
    const res2 = await out.goto("/no-such-page");
    expect(res2?.status()).toBe(404);
    await expect(out.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(out.getByRole("link", { name: "Go to the portal" })).toBeVisible();
    await anonymous.close();
  });

  test("the first page has a favicon and no console error", async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    const failed: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("response", (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto("/sign-in", { waitUntil: "networkidle" });
    await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute("href", /\/(favicon\.ico|icon\.svg)/);
    const ico = await page.request.get("/favicon.ico");
    expect(ico.status()).toBe(200);
    expect(ico.headers()["content-type"]).toMatch(/image/);
    expect(errors).toEqual([]);
    expect(failed).toEqual([]);
    await context.close();
  });

  test("the menu says Activity, titles carry the tenant, and a toast stays clear of the name and Sign out", async ({
    as,
  }) => {
    const sam = await createPerson("Sam Toast");
    await makeEligible(sam, "User Administrator");
    const page = await as(sam);
    await page.goto("/overview");
    await expect(menu(page).getByRole("link", { name: "Activity", exact: true })).toBeVisible();
    await expect(menu(page).getByRole("link", { name: "Audit" })).toHaveCount(0);
    await page.goto("/api-docs");
    await expect(page.getByRole("heading", { level: 1, name: /^.+ \| API$/ })).toBeVisible();

    const myRoles = new MyRolesPage(page);
    await myRoles.goto();
    await myRoles.activate("User Administrator", { justification: "Toast check", persona: sam, mfa: "none" });
    const toast = page.locator("[data-sonner-toast]").filter({ hasText: "User Administrator is active until" });
    await expect(toast).toBeVisible();
    await expect(toast).toContainText(DATE_TIME);
    const bar = await page.getByRole("banner").boundingBox();
    expect(bar).toBeTruthy();
    // Below the top bar (which holds the name and Sign out), not over it: where the toast comes to rest (it slides
    // in from above, so its first frames are higher; polled until it settles, failing if it never gets there).
    await expect
      .poll(async () => (await toast.boundingBox())?.y ?? -1, { timeout: 5_000 })
      .toBeGreaterThanOrEqual(bar!.y + bar!.height);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  });
});

test.describe("Missing from the blade (item 7)", () => {
  test("G then / focuses the search; a role found opens its own Assignments, whose Settings opens its settings", async ({
    as,
  }, info) => {
    const page = await as("grace");
    await page.goto("/overview");
    await expect(page.getByRole("heading", { name: "At a glance" })).toBeVisible();
    await page.keyboard.press("g");
    await page.keyboard.press("/");
    const box = search(page);
    await expect(box).toBeFocused();
    await page.keyboard.type("User Adm");
    const option = page.getByRole("option", { name: /^User Administrator/ });
    await expect(option).toBeVisible();
    await expect(box).toHaveAttribute("aria-expanded", "true");
    // The active option is announced through aria-activedescendant.
    const first = await box.getAttribute("aria-activedescendant");
    expect(first).toBe(await option.getAttribute("id"));
    await expect(option).toHaveAttribute("aria-selected", "true");
    await shoot(page, info, "global-search", { fullPage: false });
    await expectAccessible(page, "global search open");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/roles/${USER_ADMINISTRATOR}/assignments$`));
    await expect(page.getByRole("heading", { level: 1, name: "User Administrator | Assignments" })).toBeVisible();
    // Only this role's rows: one group, the role's own.
    const table = page.getByRole("table", { name: /grouped by role/ });
    await expect(table.getByText(/^User Administrator/).first()).toBeVisible();
    for (const other of ["Groups Administrator", "Helpdesk Administrator", "Application Administrator"]) {
      await expect(table.getByText(other)).toHaveCount(0);
    }
    await shoot(page, info, "role-assignments");
    await expectAccessible(page, "one role's assignments");
    await page.getByRole("toolbar", { name: "Assignments commands" }).getByRole("link", { name: "Settings" }).click();
    await expect(
      page.getByRole("heading", { level: 1, name: "Role setting details - User Administrator" }),
    ).toBeVisible();

    // From the Roles list too: the role's name leads to its assignments.
    await page.goto("/roles?q=Security%20Reader");
    await page.getByTestId("role-Security Reader").getByRole("link", { name: "Security Reader", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/roles/${SECURITY_READER}/assignments$`));
    await expect(page.getByRole("heading", { level: 1, name: "Security Reader | Assignments" })).toBeVisible();
  });

  test("the search finds people and pages as you type, by keyboard; Quick start and Got feedback? are there", async ({
    as,
  }, info) => {
    const zed = await createPerson("Zed Findable");
    const page = await as("noah");
    await page.goto("/my-roles");
    const box = search(page);
    await box.click();
    await box.fill(zed.displayName.toLowerCase());
    const person = page.getByRole("option", { name: new RegExp(zed.displayName) });
    await expect(person).toBeVisible();
    await expect(person).toContainText(zed.userPrincipalName);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/users\?q=/);
    await expect(page.getByRole("row").filter({ hasText: zed.userPrincipalName })).toBeVisible();

    // Down and Up move the active option (aria-activedescendant), wrapping around.
    await box.fill("ro");
    const roles = page.getByRole("option", { name: /^Roles/ });
    const myRoles = page.getByRole("option", { name: /^My roles/ });
    await expect(roles).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("ArrowDown");
    await expect(myRoles).toHaveAttribute("aria-selected", "true");
    await expect(box).toHaveAttribute("aria-activedescendant", (await myRoles.getAttribute("id"))!);
    await page.keyboard.press("ArrowUp");
    await expect(roles).toHaveAttribute("aria-selected", "true");

    // Pages: typed words find menu pages; Escape closes the list, then clears the box.
    await box.fill("quick");
    const quick = page.getByRole("option", { name: /^Quick start/ });
    await expect(quick).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(box).toHaveAttribute("aria-expanded", "false");
    await page.keyboard.press("Escape");
    await expect(box).toHaveValue("");
    await box.fill("quick");
    await expect(quick).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: /\| Quick start$/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Three first steps" })).toBeVisible();
    await expect(menu(page).getByRole("link", { name: "Quick start" })).toHaveAttribute("aria-current", "page");
    await shoot(page, info, "quick-start");
    await expectAccessible(page, "quick start");

    const feedback = page.getByRole("link", { name: /Got feedback\?/ });
    await expect(feedback).toHaveAttribute("href", "https://feedback.example.com/pim-portal");
    await expect(feedback).toHaveAttribute("target", "_blank");

    // Nothing found says so.
    await box.fill("zzqx-nothing");
    await expect(page.getByText('No results for "zzqx-nothing".').first()).toBeVisible();
    await expect(box).toHaveAttribute("aria-expanded", "false");
  });
});

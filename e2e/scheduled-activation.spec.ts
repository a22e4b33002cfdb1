import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { createPerson, makeEligible, type Person } from "./factories";
import { AssignmentsPage } from "./pages/assignments";
import { MyRolesPage } from "./pages/my-roles";
import { PendingRequestsPage } from "./pages/requests";
import { expectAccessible, shoot } from "./a11y";

// A role no spec changes the settings of: no approval, no MFA rule, a justification.
const ROLE = "Helpdesk Administrator";
const DAY = 86_400_000;

async function planner(name: string): Promise<Person> {
  const p = await createPerson(name, { jobTitle: "Service Desk Lead", department: "IT" });
  await makeEligible(p, ROLE);
  return p;
}

/** The datetime-local text of an instant in the browser's time zone (as a person would type it). */
function localValue(page: Page, at: Date): Promise<string> {
  return page.evaluate((ms) => {
    const d = new Date(ms);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  }, at.getTime());
}

/** Opens Activate, ticks the custom start, types it `days` after the server's now, writes the reason. */
async function fillScheduled(myRoles: MyRolesPage, now: Date, days: number, reason: string) {
  await myRoles.openActivate(ROLE);
  await myRoles.panel.getByRole("checkbox", { name: "Custom activation start time" }).check();
  await myRoles.panel
    .getByRole("textbox", { name: "Start time", exact: true })
    .fill(await localValue(myRoles.page, new Date(now.getTime() + days * DAY)));
  await myRoles.panel.getByLabel("Reason").fill(reason);
}

/** Schedules the role `days` ahead, confirming the "starts in N days" question. */
async function schedule(myRoles: MyRolesPage, now: Date, days: number, reason: string) {
  await fillScheduled(myRoles, now, days, reason);
  await myRoles.panel.getByRole("button", { name: "Activate", exact: true }).click();
  await expect(myRoles.panel.getByText(`This activation starts in ${days} days`)).toBeVisible();
  await myRoles.panel.getByRole("button", { name: "Schedule activation" }).click();
  await expect(myRoles.page.getByText(`${ROLE} is scheduled from`)).toBeVisible();
  await expect(myRoles.panel).toBeHidden();
}

test.describe("Scheduled activations", () => {
  test("a year typo is refused; 10 days ahead is confirmed, shown as Scheduled everywhere, canceled, and the role activated now", async ({
    as,
    clock,
  }, info) => {
    const lead = await planner("Priya Planner");
    const page = await as(lead);
    const now = await clock.now();
    const myRoles = new MyRolesPage(page);
    await myRoles.goto();

    // 400 days ahead (a typo in the year): refused with the limit, nothing is created.
    await fillScheduled(myRoles, now, 400, "Cover the year-end service desk rota");
    await myRoles.panel.getByRole("button", { name: "Activate", exact: true }).click();
    await expect(myRoles.panel.getByText("A custom start can be at most 30 days from now.")).toBeVisible();
    await expect(myRoles.panel.getByText("from now up to 30 days ahead")).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(myRoles.panel).toBeHidden();

    // 10 days ahead: asked to confirm, then scheduled.
    await schedule(myRoles, now, 10, "Cover the year-end service desk rota");

    // My roles › Active: Scheduled, with Cancel and no Deactivate.
    await myRoles.tab("Active").click();
    const active = myRoles.activeRow(ROLE);
    await expect(active).toContainText("Scheduled");
    await expect(active.getByRole("button", { name: /^Deactivate/ })).toHaveCount(0);
    await expect(active.getByRole("button", { name: `Cancel scheduled activation of ${ROLE}` })).toBeVisible();
    await expect(active).not.toContainText("Available 5 minutes after activation");

    // My roles › Eligible: Scheduled (never a green Active), and Activate is still offered.
    await myRoles.tab("Eligible").click();
    const eligible = myRoles.eligibleRow(ROLE);
    await expect(eligible).toContainText("Scheduled");
    await expect(eligible).toContainText(/starts in (9|10) d/);
    await expect(eligible.getByText("Active", { exact: true })).toHaveCount(0);
    await expect(eligible.getByRole("button", { name: new RegExp(`^Activate ${ROLE}`) })).toBeVisible();
    await shoot(page, info, "my-roles-scheduled");
    await expectAccessible(page, "my roles with a scheduled activation");

    // Pending requests: Scheduled with Cancel; canceled, it never starts.
    const pending = new PendingRequestsPage(page);
    await pending.goto();
    const row = pending.latest(ROLE);
    await expect(row).toContainText("Scheduled");
    await expect(row).not.toContainText("Approved (scheduled)");
    await shoot(page, info, "pending-requests-scheduled");
    await expectAccessible(page, "pending requests with a scheduled activation");
    await row.getByRole("button", { name: `Cancel scheduled activation of ${ROLE}` }).click();
    const dialog = page.getByRole("dialog", { name: "Cancel scheduled activation?" });
    await expect(dialog).toContainText("it never starts");
    await expectAccessible(page, "cancel scheduled activation dialog");
    await dialog.getByRole("button", { name: "Cancel activation" }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText("Canceled");
    await expect(row.getByRole("button", { name: /^Cancel/ })).toHaveCount(0);

    // Activate now.
    await myRoles.goto();
    await expect(myRoles.eligibleRow(ROLE)).not.toContainText("Scheduled");
    await myRoles.activate(ROLE, { justification: "Ticket surge this morning", persona: lead, mfa: "none" });
    await expect(page.getByText(`${ROLE} is active until`)).toBeVisible();
    await myRoles.expectActive(ROLE);
  });

  test("activating now while an activation is scheduled replaces it (the panel says so)", async ({ as, clock }) => {
    const lead = await planner("Ravi Replacer");
    const page = await as(lead);
    const now = await clock.now();
    const myRoles = new MyRolesPage(page);
    await myRoles.goto();
    await schedule(myRoles, now, 3, "Weekend cover");

    await myRoles.goto();
    await myRoles.openActivate(ROLE);
    await expect(myRoles.panel.getByText("Activating now replaces it.")).toBeVisible();
    await myRoles.panel.getByLabel("Reason").fill("Needed today after all");
    await myRoles.panel.getByRole("button", { name: "Activate", exact: true }).click();
    await expect(page.getByText(`${ROLE} is active until`)).toBeVisible();
    const active = await myRoles.expectActive(ROLE);
    await expect(active).toContainText("Activated");
    await expect(myRoles.page.getByTestId(`active-${ROLE}`)).toHaveCount(1);

    const pending = new PendingRequestsPage(page);
    await pending.goto();
    await expect(page.getByRole("row").filter({ hasText: "Weekend cover" })).toContainText("Canceled");
  });

  test("an administrator sees a scheduled activation as Scheduled on the Active tab and cancels it", async ({
    as,
    clock,
  }, info) => {
    const lead = await planner("Sam Scheduler");
    const page = await as(lead);
    const now = await clock.now();
    const myRoles = new MyRolesPage(page);
    await myRoles.goto();
    await schedule(myRoles, now, 5, "Audit week");

    const grace = await as("grace");
    const blade = new AssignmentsPage(grace);
    await blade.goto("active");
    // The name's random suffix: unique to this test's person.
    await blade.search(lead.displayName.split(" ").pop() ?? lead.displayName);
    const row = blade.row(ROLE, lead.displayName);
    await expect(row).toContainText("Scheduled");
    await shoot(grace, info, "assignments-active-scheduled");
    await expectAccessible(grace, "assignments active tab with a scheduled activation");
    await row.getByRole("button", { name: `Cancel scheduled activation of ${ROLE} for ${lead.displayName}` }).click();
    const dialog = grace.getByRole("dialog", { name: "Cancel scheduled activation?" });
    await expect(dialog).toContainText(`${lead.displayName}'s activation of ${ROLE}`);
    await dialog.getByRole("button", { name: "Cancel activation" }).click();
    await expect(dialog).toBeHidden();
    await expect(grace.getByText(`The scheduled activation of ${ROLE} is canceled.`)).toBeVisible();
    await expect(row).toHaveCount(0);

    await myRoles.goto();
    await expect(myRoles.eligibleRow(ROLE)).not.toContainText("Scheduled");
    await myRoles.tab("Active").click();
    await expect(myRoles.activeRow(ROLE)).toHaveCount(0);
  });
});

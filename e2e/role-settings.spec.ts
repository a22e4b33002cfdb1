import { APPLICATION_ADMINISTRATOR } from "../lib/pim/directory/builtin-roles";
import { test, expect } from "./fixtures";
import { expectAccessible, shoot } from "./a11y";
import { MyRolesPage } from "./pages/my-roles";
import { RoleSettingsPage } from "./pages/role-settings";
import { captureAction, replayAction } from "./server-action";

// Perparim Abdullahu is eligible for Application Administrator in the demo; no other spec activates it or
// changes its settings. Grace Miller (Privileged Role Administrator) changes the settings; the test puts them back.
const ROLE = "Application Administrator";

const rule = { defaultRecipients: true, additionalRecipients: "", criticalOnly: false };
const row = { admin: rule, assignee: rule, approver: rule };
/** A complete, valid settings form (what the page sends), asking for 24 hours without a ticket. */
const looser = {
  activationMaxHours: 24,
  activationRequireMfa: false,
  activationRequireJustification: false,
  activationRequireTicket: false,
  approvalRequired: false,
  approvalStages: [],
  allowPermanentEligible: true,
  eligibleMaxDays: 365,
  allowPermanentActive: true,
  activeMaxDays: 180,
  activeRequireMfa: false,
  activeRequireJustification: false,
  notifications: { eligibleAssigned: row, activeAssigned: row, eligibleActivated: row },
};

test("Role settings changed in the browser (2 hours, ticket required) rule Perparim's next activation", async ({
  as,
  clock,
}, info) => {
  // Perparim opens the Activate panel while the role still allows 8 hours and asks for 3.
  const perparim = await as("perparim");
  const myRoles = new MyRolesPage(perparim);
  await myRoles.goto();
  await myRoles.openActivate(ROLE);
  await expect(myRoles.panel.getByText("Maximum 8 hours")).toBeVisible();
  await myRoles.panel.getByLabel("Duration").selectOption({ label: "3 hours" });
  await myRoles.panel.getByLabel("Reason").fill("Register the new HR application");

  // Grace sets a 2-hour maximum and requires ticket information.
  const grace = await as("grace");
  const settings = new RoleSettingsPage(grace);
  await settings.openFromRoles(ROLE);
  const before = {
    hours: Number(await settings.maxHours.inputValue()),
    ticket: await settings.requireTicket.isChecked(),
  };
  expect(before).toEqual({ hours: 8, ticket: false });
  const saveCall = await captureAction(grace, () => settings.setActivation(ROLE, { hours: 2, ticket: true }));
  await grace.reload();
  await expect(settings.maxHours).toHaveValue("2");
  await expect(settings.requireTicket).toBeChecked();
  await expect(grace.getByText(/^Last modified/)).toBeVisible();
  await shoot(grace, info, "role-settings");
  await expectAccessible(grace, "role settings");
  await settings.tab("Notification").click();
  await expect(
    grace.getByRole("checkbox", { name: "Role activation alert (Admin): default recipients" }),
  ).toBeVisible();
  await expectAccessible(grace, "role settings, notification tab");

  // The panel Perparim opened before the change: the server refuses 3 hours, under the Duration field.
  await myRoles.panel.getByRole("button", { name: "Activate", exact: true }).click();
  await expect(myRoles.panel.getByLabel("Duration")).toHaveAccessibleDescription(
    /Application Administrator can be activated for at most 2 hours\./,
  );
  await expect(myRoles.panel).toBeVisible();
  await myRoles.panel.getByRole("button", { name: "Cancel" }).click();

  // A fresh panel shows the new maximum, offers nothing longer, and asks for a ticket.
  await myRoles.goto();
  await expect(myRoles.eligibleRow(ROLE)).toContainText("2 hours");
  await myRoles.openActivate(ROLE);
  const panel = myRoles.panel;
  await expect(panel.getByText("Maximum 2 hours")).toBeVisible();
  const durations = await panel.getByLabel("Duration").locator("option").allInnerTexts();
  expect(durations.at(-1)).toBe("2 hours (maximum)");
  expect(durations).not.toContain("3 hours");
  await panel.getByLabel("Reason").fill("Register the new HR application");
  await panel.getByRole("button", { name: "Activate", exact: true }).click();
  await expect(panel.getByLabel("Ticket number")).toHaveAccessibleDescription(/Enter the ticket number\./);
  await panel.getByLabel("Ticket number").fill("CHG-4711");
  await panel.getByLabel("Ticket system").fill("ServiceNow");
  await panel.getByRole("button", { name: "Activate", exact: true }).click();
  await expect(panel).toBeHidden();
  const active = await myRoles.expectActive(ROLE);
  await expect(active).toContainText(/ends in (2 h|1 h 5\d min)/);
  const [start, end] = await active
    .locator("time")
    .evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime") ?? ""));
  expect(new Date(end!).getTime() - new Date(start!).getTime()).toBe(2 * 3_600_000);

  // Nobody without PIM rights changes settings: hidden for a reader, refused by the server for anyone.
  const noah = await as("noah");
  const readOnly = new RoleSettingsPage(noah);
  await readOnly.openFromRoles(ROLE);
  await expect(noah.getByText("You can view these settings.")).toBeVisible();
  await expect(readOnly.save).toHaveCount(0);
  await expect(readOnly.maxHours).toBeDisabled();
  const emma = await as("emma");
  await emma.goto(`/roles/${APPLICATION_ADMINISTRATOR}/settings`);
  await expect(emma.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await expect(emma.getByRole("button", { name: "Update", exact: true })).toHaveCount(0);
  for (const who of [noah, emma]) {
    const answer = await replayAction(who.request, saveCall, [APPLICATION_ADMINISTRATOR, looser]);
    expect(answer).toContain('"ok":false');
    expect(answer).toContain('"code":"Forbidden"');
  }
  await grace.reload();
  await expect(settings.maxHours).toHaveValue("2");
  await expect(settings.requireTicket).toBeChecked();

  // Leave the role as it was for everyone else: Perparim deactivates (after the 5-minute hold), Grace restores.
  await clock.advance(6);
  await myRoles.goto("active");
  await myRoles.deactivate(ROLE);
  await settings.setActivation(ROLE, before);
  await grace.reload();
  await expect(settings.maxHours).toHaveValue(String(before.hours));
  await expect(settings.requireTicket).not.toBeChecked();
});

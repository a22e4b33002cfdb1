import { test, expect } from "./fixtures";
import { expectAccessible, shoot } from "./a11y";
import { createGroup, createPerson, type Person } from "./factories";
import { AssignmentsPage } from "./pages/assignments";
import { MyRolesPage } from "./pages/my-roles";

/**
 * PIM for Groups (issue 15): Grace (Privileged Role Administrator) brings the story's own "Helpdesk Tier 2"
 * (a role-assignable group holding Authentication Administrator) under PIM, requires MFA on activating its
 * membership, and makes Alex an eligible member for 30 days. Alex activates the membership for 1 hour with a
 * justification and an MFA step-up, and then holds Authentication Administrator through the group; when the
 * membership ends (the test clock moves past it, no job runs) the role is gone at once.
 */
const ROLE = "Authentication Administrator";
let alex: Person;
let group: { id: string; displayName: string };
let olivia: Person;
let bea: Person;
let guild: { id: string; displayName: string };
test.beforeAll(async () => {
  alex = await createPerson("Alex Groups");
  group = await createGroup("Helpdesk Tier 2", [ROLE]);
  // Olivia holds no role: she owns "Design Guild" (not role-assignable) in the directory.
  olivia = await createPerson("Olivia Owner");
  bea = await createPerson("Bea Designer");
  guild = await createGroup("Design Guild", [], { isAssignableToRole: false, owners: [olivia] });
});

test("Grace brings Helpdesk Tier 2 under PIM; Alex activates its membership and holds its role only while it lasts", async ({
  as,
  clock,
}, info) => {
  const G = group.displayName;
  const MEMBER = `${G} (Member)`;

  // Grace: Groups → + Manage groups → the group.
  const grace = await as("grace");
  await grace.goto("/groups");
  await expect(grace.getByRole("heading", { level: 1, name: /\| Groups$/ })).toBeVisible();
  await expect(grace.getByTestId(`group-${G}`)).toHaveCount(0);
  await grace.getByRole("toolbar", { name: "Group commands" }).getByRole("button", { name: "Manage groups" }).click();
  const panel = grace.getByRole("dialog", { name: "Bring a group under PIM" });
  await panel.getByLabel("Group").selectOption({ label: `${G} (role-assignable)` });
  await panel.getByLabel("Justification").fill("Helpdesk escalations only when on shift");
  await panel.getByRole("button", { name: "Manage group" }).click();
  await expect(panel).toBeHidden();
  const row = grace.getByTestId(`group-${G}`);
  await expect(row).toContainText(ROLE);
  await shoot(grace, info, "groups");
  await expectAccessible(grace, "groups");

  // Member settings: MFA on activation.
  await row.getByRole("link", { name: `Member settings of ${G}` }).click();
  await expect(grace.getByRole("heading", { level: 1, name: `Role setting details - ${MEMBER}` })).toBeVisible();
  await grace.getByRole("radio", { name: "Multifactor authentication" }).check();
  await grace.getByRole("button", { name: "Update", exact: true }).click();
  await expect(grace.getByText(`Saved the settings of ${MEMBER}.`)).toBeVisible();

  // Member assignments: Alex eligible for 30 days.
  await grace.goto("/groups");
  await grace
    .getByTestId(`group-${G}`)
    .getByRole("link", { name: `Member assignments of ${G}` })
    .click();
  await expect(grace.getByRole("heading", { level: 1, name: `${MEMBER} | Assignments` })).toBeVisible();
  const blade = new AssignmentsPage(grace);
  await blade.openAdd();
  await blade.fillAdd({
    role: MEMBER,
    member: alex.displayName,
    search: alex.displayName,
    scope: "Directory",
    endInDays: 30,
    justification: "On the helpdesk rota",
  });
  await blade.addPanel.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(grace.getByText(`${alex.displayName} is now eligible for ${MEMBER}.`)).toBeVisible();
  await expect(blade.row(MEMBER, alex.displayName)).toContainText("Directory");

  // Alex: My roles → Groups → Activate (1 hour, justification, MFA step-up).
  const page = await as(alex);
  const myRoles = new MyRolesPage(page);
  await page.goto("/my-roles?tab=active");
  await expect(myRoles.activeRow(ROLE)).toHaveCount(0);
  // The membership asks for MFA within 15 minutes: make the sign-in's code old, so activating asks for a code.
  await clock.advance(16);
  await page.goto("/my-roles?tab=active");
  await page.getByRole("navigation", { name: "My roles views" }).getByRole("link", { name: "Groups" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /My roles \| Groups$/ })).toBeVisible();
  await expect(myRoles.eligibleRow(MEMBER)).toBeVisible();
  await shoot(page, info, "my-roles-groups");
  await expectAccessible(page, "my roles, groups view");
  await myRoles.activate(MEMBER, {
    justification: "Resetting MFA for a locked-out director (INC-7781)",
    persona: alex,
    mfa: "step-up",
    durationLabel: "1 hour",
  });
  await expect(page.getByText(`${MEMBER} is active until`)).toBeVisible();
  await expect(myRoles.activeRow(MEMBER)).toBeVisible();

  // The group's role is Alex's now, through the group.
  await page.goto("/my-roles?tab=active");
  await expect(myRoles.activeRow(ROLE)).toContainText(`Group (${G})`);

  // The membership ends: the role is gone at once (no sweep has run).
  await clock.advance(61);
  await page.goto("/my-roles?tab=active");
  await expect(page.getByRole("tab", { name: /^Active assignments/ })).toBeVisible();
  await expect(myRoles.activeRow(ROLE)).toHaveCount(0);
  await page.goto("/my-roles?view=groups&tab=active");
  await expect(myRoles.activeRow(MEMBER)).toHaveCount(0);
});

test("Olivia, the owner of Design Guild, brings it under PIM and makes Bea an eligible member, without any admin role", async ({
  as,
}, info) => {
  const G = guild.displayName;
  const MEMBER = `${G} (Member)`;
  const page = await as(olivia);
  await page.goto("/my-roles");
  await page
    .getByRole("navigation", { name: "Privileged Identity Management" })
    .getByRole("link", { name: "Groups" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: /\| Groups$/ })).toBeVisible();
  // the search box narrows the list to her group (other specs' groups may be there too)
  await page.getByRole("searchbox", { name: "Search groups by name" }).fill(G);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=/);
  await page.getByRole("toolbar", { name: "Group commands" }).getByRole("button", { name: "Manage groups" }).click();
  const panel = page.getByRole("dialog", { name: "Bring a group under PIM" });
  // only her own group that is not role-assignable is offered
  await expect(panel.getByLabel("Group").getByRole("option")).toHaveText(["Select a group", G]);
  await panel.getByLabel("Group").selectOption({ label: G });
  await panel.getByLabel("Justification").fill("Our design reviewers, just in time");
  await panel.getByRole("button", { name: "Manage group" }).click();
  await expect(panel).toBeHidden();
  const row = page.getByTestId(`group-${G}`);
  await expect(row.getByRole("link", { name: `Member assignments of ${G}` })).toBeVisible();
  // what she may not do is not offered: the ownership of the group stays with the role administrators
  await expect(row.getByRole("link", { name: `Owner assignments of ${G}` })).toHaveCount(0);
  await expect(page.getByText("As an owner you manage the membership of your groups")).toBeVisible();
  await shoot(page, info, "groups-owner");
  await expectAccessible(page, "groups, owner view");

  await row.getByRole("link", { name: `Member assignments of ${G}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${MEMBER} | Assignments` })).toBeVisible();
  const blade = new AssignmentsPage(page);
  await blade.openAdd();
  await blade.fillAdd({
    role: MEMBER,
    member: bea.displayName,
    search: bea.displayName,
    scope: "Directory",
    endInDays: 30,
    justification: "Joins the design reviews",
  });
  await blade.addPanel.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(page.getByText(`${bea.displayName} is now eligible for ${MEMBER}.`)).toBeVisible();
  await expect(blade.row(MEMBER, bea.displayName)).toContainText("Directory");
  // a fresh load: the confirmation toast fading out is not part of the page checked
  await page.reload();
  await expect(blade.row(MEMBER, bea.displayName)).toBeVisible();
  await shoot(page, info, "group-member-assignments-owner");
  await expectAccessible(page, "group member assignments, owner view");

  // Her group's member settings are hers to change: activation at most 2 hours.
  await page.getByRole("link", { name: "Groups" }).first().click();
  await page.getByRole("searchbox", { name: "Search groups by name" }).fill(G);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page
    .getByTestId(`group-${G}`)
    .getByRole("link", { name: `Member settings of ${G}` })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: `Role setting details - ${MEMBER}` })).toBeVisible();
  await page.getByLabel("Activation maximum duration (hours)").fill("2");
  await page.getByRole("button", { name: "Update", exact: true }).click();
  await expect(page.getByText(`Saved the settings of ${MEMBER}.`)).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Activation maximum duration (hours)")).toHaveValue("2");
  await shoot(page, info, "group-member-settings-owner");
  await expectAccessible(page, "group member settings, owner view");

  // Bea sees the membership to activate in My roles → Groups.
  const beaPage = await as(bea);
  await beaPage.goto("/my-roles?view=groups");
  await expect(new MyRolesPage(beaPage).eligibleRow(MEMBER)).toBeVisible();
});

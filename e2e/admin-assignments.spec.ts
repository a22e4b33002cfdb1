import { demoUsers } from "../db/demo-directory";
import { GLOBAL_ADMINISTRATOR } from "../lib/pim/directory/builtin-roles";
import { test, expect } from "./fixtures";
import { createPerson, makeEligible, uniqueSuffix, type Person } from "./factories";
import { expectAccessible, shoot } from "./a11y";
import { addDays, AssignmentsPage, browserIso, downloadCsv, shownDate } from "./pages/assignments";
import { captureAction, replayAction, type ActionCall } from "./server-action";

// Grace Miller (Privileged Role Administrator) manages the eligibility of the story's own person (made before it
// starts) for Security Reader at the New York Office. Every table the story reads or exports is narrowed to its own
// people (a search), so it runs beside the other specs: what they add never changes what it compares.
const ROLE = "Security Reader";
const SCOPE = "New York Office (Administrative unit)";
const WHY = {
  add: "Quarterly access review of the New York helpdesk",
  update: "Shorter window agreed with the New York office manager",
  extend: "Review runs into January",
  remove: "Access review finished",
};

/** The person whose eligibility Grace manages; also eligible for Helpdesk Administrator directory-wide. */
let target: Person;
let EMMA = "";
/** A cohort of 26 people eligible for Security Reader, one more than a page: the export must hold every page. */
const COHORT = `Pager ${uniqueSuffix()}`;
const COHORT_SIZE = 26;

test.beforeAll(async () => {
  target = await createPerson("Emma Newyork");
  EMMA = target.displayName;
  await makeEligible(target, "Helpdesk Administrator");
  for (let i = 0; i < COHORT_SIZE; i++) await makeEligible(await createPerson(COHORT, { enrolled: false }), ROLE);
});

test.describe.serial("An administrator manages a person's eligible assignment", () => {
  let addCall: ActionCall;
  let rowCall: ActionCall;
  let scheduleId = "";
  let endAfterExtend = "";

  test("Grace adds Emma as eligible for Security Reader at the New York Office, updates and extends it", async ({
    as,
  }, info) => {
    const page = await as("grace");
    const blade = new AssignmentsPage(page);
    await blade.goto();
    await expect(blade.tab("Eligible")).toHaveAttribute("aria-selected", "true");
    await blade.search(target.userPrincipalName);
    await expect(blade.row("Helpdesk Administrator", EMMA)).toHaveCount(1);
    await expect(blade.row(ROLE, EMMA)).toHaveCount(0);

    await blade.openAdd();
    // Nothing chosen yet: Next names what is missing, next to each field.
    await blade.addPanel.getByRole("button", { name: "Next >" }).click();
    await expect(blade.addPanel.getByLabel("Select role")).toHaveAccessibleDescription("Select a role.");
    await expect(blade.addPanel.getByRole("combobox", { name: "Select member(s)" })).toHaveAccessibleDescription(
      "Select at least one member.",
    );
    const { end } = await blade.fillAdd({
      role: ROLE,
      member: EMMA,
      search: EMMA,
      scope: SCOPE,
      endInDays: 20,
      justification: WHY.add,
    });
    await shoot(page, info, "add-assignments", { fullPage: false });
    await expectAccessible(page, "assignments with the Add panel open");

    addCall = await captureAction(page, () =>
      blade.addPanel.getByRole("button", { name: "Assign", exact: true }).click(),
    );
    await expect(page.getByText(`${EMMA} is now eligible for ${ROLE}.`)).toBeVisible();
    await expect(blade.addPanel).toBeHidden();
    const row = blade.row(ROLE, EMMA);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(SCOPE);
    await expect(row).toContainText(target.userPrincipalName);
    await expect(row).toContainText(shownDate(end));
    await expect(row).toContainText(/ends in (19|20) d/);
    expect(await blade.endOf(ROLE, EMMA)).toBe(await browserIso(page, end));
    scheduleId = ((await row.getAttribute("data-testid")) ?? "").replace(/^assignment-/, "");
    expect(scheduleId).toMatch(/^[0-9a-f-]{36}$/);
    await shoot(page, info, "assignments");

    // Update: a shorter window.
    let panel = await blade.openRowAction(ROLE, EMMA, "Update");
    await expect(panel).toContainText(SCOPE);
    await expect(panel.getByText("It has begun, so its start stays.")).toBeVisible();
    const shorter = addDays(end, -10);
    await panel.getByLabel("Assignment ends").fill(shorter);
    await panel.getByLabel("Justification").fill(WHY.update);
    rowCall = await captureAction(page, () => panel.getByRole("button", { name: "Update", exact: true }).click());
    await expect(page.getByText(`Updated the eligible ${ROLE} assignment of ${EMMA}.`)).toBeVisible();
    await expect(panel).toBeHidden();
    await expect(blade.row(ROLE, EMMA)).toContainText(shownDate(shorter));
    expect(await blade.endOf(ROLE, EMMA)).toBe(await browserIso(page, shorter));

    // Extend: the end moves later than it was.
    panel = await blade.openRowAction(ROLE, EMMA, "Extend");
    const later = addDays(end, 25);
    await panel.getByLabel("New end").fill(later);
    await panel.getByLabel("Justification").fill(WHY.extend);
    await panel.getByRole("button", { name: "Extend", exact: true }).click();
    await expect(page.getByText(`Extended the eligible ${ROLE} assignment of ${EMMA}.`)).toBeVisible();
    await expect(panel).toBeHidden();
    await expect(blade.row(ROLE, EMMA)).toContainText(shownDate(later));
    endAfterExtend = await browserIso(page, later);
    expect(await blade.endOf(ROLE, EMMA)).toBe(endAfterExtend);
    expect(new Date(endAfterExtend).getTime()).toBeGreaterThan(new Date(await browserIso(page, shorter)).getTime());
  });

  test("people who do not manage PIM never see Add, Update or Remove, and the server refuses them", async ({ as }) => {
    // Noah Wilson is a Security Reader: he may read the blade but not change it.
    const noah = await as("noah");
    const blade = new AssignmentsPage(noah);
    await blade.goto();
    await blade.search(target.userPrincipalName);
    await expect(blade.row(ROLE, EMMA)).toHaveCount(1);
    await expect(noah.getByText("You have read-only access to assignments.")).toBeVisible();
    await expect(blade.commands.getByRole("button", { name: "Add assignments" })).toHaveCount(0);
    await expect(blade.table.getByRole("button", { name: /^(Update|Remove|Extend|Renew) / })).toHaveCount(0);

    // Emma holds no PIM role: the blade is not hers at all; the page says so in place (no silent redirect).
    const emma = await as("emma");
    await emma.goto("/assignments");
    await expect(emma).toHaveURL(/\/assignments$/);
    await expect(emma.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    await expect(emma.getByRole("table")).toHaveCount(0);

    // Calling the actions directly with their own cookies: refused, nothing changes.
    const add = {
      roleDefinitionId: "",
      members: [],
      directoryScopeId: "/",
      assignmentType: "Eligible",
      permanent: true,
      justification: "self-service",
    };
    const grace = await as("grace");
    const graceBlade = new AssignmentsPage(grace);
    await graceBlade.goto();
    await graceBlade.search(target.userPrincipalName);
    const rowsBefore = await graceBlade.snapshot();
    expect(rowsBefore).toHaveLength(2);

    for (const who of [noah, emma]) {
      const me = who === noah ? demoUsers.noah : demoUsers.emma;
      const answer = await replayAction(who.request, addCall, [
        {
          ...add,
          roleDefinitionId: GLOBAL_ADMINISTRATOR,
          members: [{ id: me.id, type: "User", displayName: me.displayName }],
        },
      ]);
      expect(answer).toContain('"ok":false');
      expect(answer).toContain('"code":"Forbidden"');
      const remove = await replayAction(who.request, rowCall, [
        { action: "remove", kind: "eligibility", scheduleId, permanent: false, justification: "not mine to remove" },
      ]);
      expect(remove).toContain('"ok":false');
      expect(remove).toContain('"code":"Forbidden"');
      const extend = await replayAction(who.request, rowCall, [
        { action: "extend", kind: "eligibility", scheduleId, permanent: true, justification: "forever" },
      ]);
      expect(extend).toContain('"code":"Forbidden"');
    }

    await graceBlade.goto();
    await graceBlade.search(target.userPrincipalName);
    expect(await graceBlade.snapshot()).toEqual(rowsBefore);
    expect(await graceBlade.endOf(ROLE, EMMA)).toBe(endAfterExtend);
    for (const who of [demoUsers.noah, demoUsers.emma]) {
      await graceBlade.search(who.userPrincipalName);
      await expect(graceBlade.row("Global Administrator", who.displayName)).toHaveCount(0);
    }
  });

  test("Grace removes it after the 5-minute hold; Activity shows every step; both exports match their tables", async ({
    as,
    clock,
  }) => {
    const page = await as("grace");
    const blade = new AssignmentsPage(page);
    await blade.goto();
    await blade.search(target.userPrincipalName);

    // Removal within 5 minutes of creation is refused by the engine, and the panel says why.
    let panel = await blade.openRowAction(ROLE, EMMA, "Remove");
    await panel.getByRole("button", { name: "Remove", exact: true }).click();
    await expect(panel.getByLabel("Justification")).toHaveAccessibleDescription(/Say why you remove this assignment\./);
    await panel.getByLabel("Justification").fill("Too early");
    await panel.getByRole("button", { name: "Remove", exact: true }).click();
    await expect(panel.getByRole("alert")).toContainText(
      "Expiration rule: An assignment cannot be removed within 5 minutes of its creation",
    );
    await panel.getByRole("button", { name: "Cancel" }).click();
    await expect(blade.row(ROLE, EMMA)).toHaveCount(1);

    await clock.advance(6);
    await blade.goto();
    await blade.search(target.userPrincipalName);
    panel = await blade.openRowAction(ROLE, EMMA, "Remove");
    await panel.getByLabel("Justification").fill(WHY.remove);
    await panel.getByRole("button", { name: "Remove", exact: true }).click();
    await expect(page.getByText(`Removed the eligible ${ROLE} assignment of ${EMMA}.`)).toBeVisible();
    await expect(blade.row(ROLE, EMMA)).toHaveCount(0);

    // Activity: Resource audit filtered on Emma and the role.
    await page.goto("/activity");
    await page.getByLabel("Target").fill(EMMA);
    await page.getByLabel("Role", { exact: true }).selectOption({ label: ROLE });
    await page.getByRole("button", { name: /^Apply/ }).click();
    await expect(page).toHaveURL(/target=Emma/);
    const audit = page.getByRole("table", { name: /Resource audit/ });
    const auditRows = audit.locator("tbody tr");
    // Each change with its justification; the refused early removal as a failure with the rule that refused it.
    const steps = [
      { activity: "Add eligible member to role in PIM completed (timebound)", justification: WHY.add },
      { activity: "Update eligible member in role in PIM completed", justification: WHY.update },
      { activity: "Extend eligible member in role in PIM completed (timebound)", justification: WHY.extend },
      { activity: "Remove eligible member from role in PIM completed", justification: WHY.remove },
    ];
    for (const step of steps) {
      const row = auditRows
        .filter({ has: page.getByRole("cell", { name: step.activity, exact: true }) })
        .filter({ hasText: step.justification });
      await expect(row).toHaveCount(1);
      for (const text of ["Grace Miller", EMMA, ROLE, SCOPE, "Success"]) await expect(row).toContainText(text);
    }
    const refused = auditRows.filter({ hasText: "Failure" });
    await expect(refused).toHaveCount(1);
    for (const text of [
      "Grace Miller",
      EMMA,
      ROLE,
      "Remove eligible member",
      "ExpirationRule: An assignment cannot be removed within 5 minutes",
    ]) {
      await expect(refused).toContainText(text);
    }
    const shown = await auditRows.count();
    expect(shown).toBe(steps.length + 1);

    const activityCsv = await downloadCsv(page);
    expect(activityCsv.fileName).toMatch(/^pim-audit-resource-.*\.csv$/);
    expect(activityCsv.rows).toHaveLength(shown);
    for (const step of steps) {
      const found = activityCsv.rows.filter(
        (r) => r.activity === step.activity && r.justification === step.justification,
      );
      expect(found, step.activity).toHaveLength(1);
      expect(found[0]).toMatchObject({
        actor: "Grace Miller",
        target: EMMA,
        role: ROLE,
        scope: SCOPE,
        result: "success",
      });
    }
    const failed = activityCsv.rows.filter((r) => r.result === "failure");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ actor: "Grace Miller", target: EMMA, role: ROLE });
    expect(failed[0]?.reason).toContain("within 5 minutes of its creation");

    // Assignments export: the rows the Eligible tab shows, in the same order, and every page (the footer's total):
    // the cohort is one more than a page.
    await blade.goto();
    await blade.search(COHORT);
    let shownRows = await blade.shownRows();
    let total = await blade.total();
    expect(total).toBe(COHORT_SIZE);
    expect(shownRows.length).toBe(25);
    let csv = await downloadCsv(page);
    expect(csv.fileName).toMatch(/^pim-eligible-assignments-.*\.csv$/);
    expect(csv.rows).toHaveLength(total);
    // A group has no principal name: "-" on screen, an empty cell in the file.
    expect(
      csv.rows.slice(0, shownRows.length).map((r) => [r.role, r.name, r["principal name"] || "-", r.scope]),
    ).toEqual(shownRows);
    expect(csv.rows.every((r) => r["assignment type"] === "Eligible" && r.role === ROLE)).toBe(true);
    expect(new Set(csv.rows.map((r) => r.name)).size).toBe(COHORT_SIZE);

    // The removed eligibility is in neither; the person's other one is in both.
    await blade.search(target.userPrincipalName);
    shownRows = await blade.shownRows();
    total = await blade.total();
    expect(shownRows).toEqual([["Helpdesk Administrator", EMMA, target.userPrincipalName, "Directory"]]);
    expect(total).toBe(1);
    csv = await downloadCsv(page);
    expect(csv.rows.map((r) => [r.role, r.name, r["principal name"], r.scope])).toEqual(shownRows);
  });

  test("no serious accessibility problems on Assignments and Roles; the Roles page lists counts", async ({
    as,
  }, info) => {
    const page = await as("grace");
    const blade = new AssignmentsPage(page);
    await blade.goto();
    await expectAccessible(page, "assignments");
    await blade.tab("Active").click();
    await expect(page).toHaveURL(/tab=active/);
    await expect(blade.tab("Active")).toHaveAttribute("aria-selected", "true");
    await blade.search(demoUsers.grace.userPrincipalName);
    await expect(blade.row("Privileged Role Administrator", "Grace Miller")).toContainText("Assigned");
    await expectAccessible(page, "assignments, active tab");

    await page.goto("/roles");
    await expect(page.getByRole("heading", { level: 1, name: /\| Roles$/ })).toBeVisible();
    const userAdmin = page.getByTestId("role-User Administrator");
    await expect(userAdmin.getByRole("cell").nth(2)).toHaveText(/^\d+$/);
    await expect(userAdmin.getByRole("link", { name: "Edit settings of User Administrator" })).toBeVisible();
    await shoot(page, info, "roles");
    await expectAccessible(page, "roles");
  });
});

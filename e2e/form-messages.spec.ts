import { test, expect } from "./fixtures";
import { createPerson, makeEligible } from "./factories";
import { AssignmentsPage } from "./pages/assignments";
import { MyRolesPage } from "./pages/my-roles";
import { expectAccessible, shoot } from "./a11y";

const ROLE = "Helpdesk Administrator";

test.describe("Form messages people can act on", () => {
  test("Activate: a start in the past is refused (not moved to now); a long reason is counted, not cut; a tampered duration gets a sentence", async ({
    as,
    clock,
  }, info) => {
    const p = await createPerson("Mia Messages");
    await makeEligible(p, ROLE);
    const page = await as(p);
    const myRoles = new MyRolesPage(page);
    await myRoles.goto();
    await myRoles.openActivate(ROLE);
    const panel = myRoles.panel;

    // A start yesterday.
    const yesterday = await page.evaluate(
      (ms) => {
        const d = new Date(ms);
        const pad = (n: number) => String(n).padStart(2, "0");
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
      },
      (await clock.now()).getTime() - 86_400_000,
    );
    await panel.getByRole("checkbox", { name: "Custom activation start time" }).check();
    await panel.getByRole("textbox", { name: "Start time", exact: true }).fill(yesterday);

    // A pasted reason of 600 characters: kept whole, counted, refused with the limit.
    const reason = "Reset passwords for the new-joiner wave. ".repeat(15).slice(0, 600);
    const box = panel.getByLabel("Reason");
    await expect(box).not.toHaveAttribute("maxlength", /.*/);
    await box.fill(reason);
    await expect(box).toHaveValue(reason);
    await expect(panel.getByTestId("character-count")).toHaveText("600 / 500 characters: 100 too many");

    // A duration tampered in the page (devtools): 99999 minutes.
    await panel.getByLabel("Duration").evaluate((el) => {
      const option = (el as HTMLSelectElement).options[0];
      if (option) option.value = "99999";
    });
    await panel.getByLabel("Duration").selectOption({ index: 0 });

    await panel.getByRole("button", { name: "Activate", exact: true }).click();
    await expect(panel.getByText(/^The start time is in the past\./)).toBeVisible();
    await expect(panel.getByText("At most 500 characters.")).toBeVisible();
    await expect(panel.getByText("Activate for at most 24 hours.")).toBeVisible();
    await expect(panel).not.toContainText("Too big");
    await expect(panel).not.toContainText("expected number");
    await shoot(page, info, "activate-form-messages", { fullPage: false });
    await expectAccessible(page, "activate panel with field messages");

    // Fixed: now, a short reason, a listed duration → active at once.
    await panel.getByRole("checkbox", { name: "Custom activation start time" }).uncheck();
    await box.fill("Reset passwords for the new joiners");
    await expect(panel.getByTestId("character-count")).toHaveText("35 / 500 characters");
    await panel.getByLabel("Duration").selectOption({ label: "1 hour" });
    await panel.getByRole("button", { name: "Activate", exact: true }).click();
    await expect(page.getByText(`${ROLE} is active until`)).toBeVisible();
  });

  test("Add assignments: an end date before the start says so, not 'must last at least 5 minutes'", async ({ as }) => {
    const member = await createPerson("Eddie Enddate");
    const page = await as("grace");
    const blade = new AssignmentsPage(page);
    await blade.goto();
    await blade.openAdd();
    await blade.fillAdd({
      role: ROLE,
      member: member.displayName,
      search: member.displayName,
      scope: "Directory",
      endInDays: -1,
      justification: "Cover for the holidays",
    });
    await expect(blade.addPanel.getByTestId("character-count")).toHaveText("22 / 500 characters");
    await blade.addPanel.getByRole("button", { name: "Assign", exact: true }).click();
    await expect(
      blade.addPanel.getByText("The end date is before the start. Choose an end after the start."),
    ).toBeVisible();
    await expect(blade.addPanel).not.toContainText("at least 5 minutes");
  });
});

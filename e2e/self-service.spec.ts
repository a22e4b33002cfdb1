import { test, expect } from "./fixtures";
import { createPerson, makeEligible, type Person } from "./factories";
import { MyRolesPage } from "./pages/my-roles";
import { captureAction, replayAction } from "./server-action";
import { expectAccessible, shoot } from "./a11y";

const ROLE = "User Administrator";

/** Each test's own identity engineer, eligible for User Administrator (which needs MFA within 15 minutes). */
async function engineer(): Promise<Person> {
  const p = await createPerson("Sophia Engineer", { jobTitle: "Identity Engineer", department: "IT" });
  await makeEligible(p, ROLE);
  return p;
}

test.describe("My roles", () => {
  test("an engineer activates User Administrator after an MFA step-up and sees it active with its end time", async ({
    as,
    clock,
  }, info) => {
    const sophia = await engineer();
    const page = await as(sophia);
    // The sign-in's MFA is older than the 15 minutes User Administrator's MFA rule accepts.
    await clock.advance(16);
    const myRoles = new MyRolesPage(page);
    await myRoles.goto();
    await expect(myRoles.eligibleRow(ROLE)).toContainText("8 hours");

    await myRoles.openActivate(ROLE);
    await expect(myRoles.panel.getByText("Maximum 8 hours")).toBeVisible();
    await expect(myRoles.panel.getByText(/requires multifactor authentication/)).toBeVisible();
    await myRoles.page.keyboard.press("Escape");
    await expect(myRoles.panel).toBeHidden();

    await myRoles.activate(ROLE, {
      justification: "Create the account of a new joiner (INC-1001)",
      persona: sophia,
      mfa: "step-up",
    });
    await expect(page.getByText(`${ROLE} is active until`)).toBeVisible();
    const row = await myRoles.expectActive(ROLE);
    await expect(row).toContainText("Activated");
    await expect(row).toContainText(/ends in (7 h 5\d min|8 h(?! \d))/);
    await shoot(page, info, "my-roles-active");
    await expectAccessible(page, "my roles, active");
  });

  test("Deactivate: disabled for 5 minutes, refused by the server within them, then ends the role at once", async ({
    as,
    clock,
  }) => {
    const sophia = await engineer();
    const page = await as(sophia);
    const myRoles = new MyRolesPage(page);
    await myRoles.goto();
    // Just signed in: the MFA check is recent, no step-up.
    await myRoles.activate(ROLE, { justification: "Create the account of a new joiner", persona: sophia, mfa: "none" });
    await myRoles.expectActive(ROLE);
    await myRoles.goto("active");
    await expect(myRoles.deactivateButton(ROLE)).toBeDisabled();
    await expect(myRoles.activeRow(ROLE)).toContainText("Available 5 minutes after activation");

    // After 5 minutes: Deactivate (and record the server action the browser calls).
    await clock.advance(6);
    await myRoles.goto("active");
    const call = await captureAction(page, () => myRoles.deactivate(ROLE));
    await expect(page.getByText(`${ROLE} is deactivated.`)).toBeVisible();

    // Activate again (the step-up is still recent) and replay the deactivation at once: the server refuses it.
    await myRoles.goto();
    await myRoles.activate(ROLE, { justification: "Second change for the same joiner", persona: sophia, mfa: "none" });
    await myRoles.expectActive(ROLE);
    const scheduleId = await myRoles.activeRow(ROLE).getAttribute("data-row-id");
    expect(scheduleId).toMatch(/^[0-9a-f-]{36}$/);
    const answer = await replayAction(page.request, call, [{ scheduleId, justification: "replayed" }]);
    expect(answer).toContain('"ok":false');
    expect(answer).toMatch(/5 minutes/);
    expect(answer).not.toContain('"code":"Unauthenticated"');
    await myRoles.goto("active");
    await expect(myRoles.activeRow(ROLE)).toBeVisible();

    await clock.advance(6);
    await myRoles.goto("active");
    await myRoles.deactivate(ROLE);
    await myRoles.tab("Expired").click();
    await expect(page.getByTestId(`expired-${ROLE}`).first()).toContainText("Ended");
  });

  test("Extend: an engineer asks for a later end, a Privileged Role Administrator approves, the end moves", async ({
    as,
    clock,
  }) => {
    const sophia = await engineer();
    const page = await as(sophia);
    const myRoles = new MyRolesPage(page);
    await myRoles.goto();
    await myRoles.activate(ROLE, { justification: "Bulk import of the new office", persona: sophia, mfa: "none" });
    await myRoles.expectActive(ROLE);
    await clock.advance(120);
    await myRoles.goto("active");
    const before = await myRoles.activeRow(ROLE).locator("time").nth(1).getAttribute("datetime");
    await myRoles
      .activeRow(ROLE)
      .getByRole("button", { name: `Extend ${ROLE}` })
      .click();
    const panel = page.getByRole("dialog", { name: `Extend ${ROLE}` });
    await panel.getByLabel("Reason").fill("The import takes longer");
    await panel.getByRole("button", { name: "Extend", exact: true }).click();
    await expect(
      page.getByText(`Your request to extend ${ROLE} was sent to the administrators for approval.`),
    ).toBeVisible();
    await page.goto("/pending-requests");
    await expect(page.getByRole("row").filter({ hasText: "Extend" }).first()).toContainText("Pending approval");

    const grace = await as("grace");
    await grace.goto("/approve-requests");
    await grace.getByRole("checkbox", { name: `Select the request of ${sophia.displayName} for ${ROLE}` }).check();
    await grace
      .getByRole("toolbar", { name: "Approval commands" })
      .getByRole("button", { name: /^Approve/ })
      .click();
    const decision = grace.getByRole("dialog", { name: /^Approve request/ });
    await decision.getByLabel("Justification").fill("Fine for the import");
    await decision.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(decision.getByText("Approved")).toBeVisible();

    await myRoles.goto("active");
    const after = await myRoles.activeRow(ROLE).locator("time").nth(1).getAttribute("datetime");
    // The suggested new end is one hour later, to the minute (datetime-local has no seconds).
    const moved = new Date(after!).getTime() - new Date(before!).getTime();
    expect(moved).toBeGreaterThan(59 * 60_000);
    expect(moved).toBeLessThanOrEqual(60 * 60_000);

    await myRoles.deactivate(ROLE);
  });
});

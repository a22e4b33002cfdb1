import type { Page } from "@playwright/test";
import { expectAccessible, shoot } from "./a11y";
import { test, expect } from "./fixtures";
import { createPerson, makeActive, makeEligible, uniqueSuffix } from "./factories";
import { ActivityPage } from "./pages/activity";

const ROLE = "User Administrator";

/** Toasts fade in and out (axe measures their contrast mid-animation): check pages without them. */
const toastsGone = (page: Page) => expect(page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 15_000 });

test.describe("Governance", () => {
  test("Grace reviews User Administrator with Liam as reviewer: Liam denies Alex with a reason and approves Sophia; Grace applies; Alex's eligibility is gone and Activity shows it", async ({
    as,
  }, info) => {
    const alex = await createPerson("Alex Reviewee");
    const sophia = await createPerson("Sophia Reviewee");
    await makeEligible(alex, ROLE);
    await makeEligible(sophia, ROLE);
    const name = `User Administrator review ${uniqueSuffix()}`;

    // Grace creates a one-time review of User Administrator (eligible) with Liam as the reviewer.
    const grace = await as("grace");
    await grace.goto("/access-reviews");
    await expect(grace.getByRole("heading", { level: 1, name: /\| Access reviews$/ })).toBeVisible();
    await grace.getByRole("button", { name: "New access review" }).click();
    const panel = grace.getByTestId("new-review-panel");
    await panel.getByLabel("Review name").fill(name);
    await panel.getByRole("checkbox", { name: ROLE, exact: true }).check();
    await panel.getByLabel("Assignment type").selectOption({ label: "Eligible" });
    await panel.getByRole("combobox", { name: "Stage 1: select reviewers" }).fill("Liam");
    await panel.getByRole("option", { name: /^Liam Carter/ }).click();
    await expectAccessible(grace, "access reviews, new review panel");
    await shoot(grace, info, "access-reviews-new", { fullPage: false });
    await panel.getByRole("button", { name: "Create", exact: true }).click();
    await grace.waitForURL(/\/access-reviews\/[0-9a-f-]{36}/);
    await expect(grace.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(grace.getByTestId(`item-${alex.displayName.toLowerCase().replace(/\s+/g, "-")}`)).toContainText(
      "Not reviewed yet",
    );
    const reviewUrl = grace.url();

    // Liam sees it under Review access, with the recommendation, last activation and sign-in.
    const liam = await as("liam");
    await liam.goto("/review-access");
    await expectAccessible(liam, "review access");
    await shoot(liam, info, "review-access");
    await liam.getByRole("link", { name }).click();
    await expect(liam.getByRole("columnheader", { name: "Recommendation" })).toBeVisible();
    await expect(liam.getByRole("columnheader", { name: "Last activation" })).toBeVisible();
    await expect(liam.getByRole("columnheader", { name: "Last sign-in" })).toBeVisible();
    await liam.getByRole("checkbox", { name: `Select ${alex.displayName} for ${ROLE}` }).check();
    await liam.getByRole("button", { name: "Deny", exact: true }).click();
    const dialog = liam.getByTestId("review-decision-dialog");
    await dialog.getByRole("button", { name: "Deny", exact: true }).click();
    await expect(dialog.getByLabel("Reason")).toHaveAccessibleDescription("Give a reason.");
    await dialog.getByLabel("Reason").fill("Moved to the finance team");
    await expectAccessible(liam, "review access, decision dialog");
    await dialog.getByRole("button", { name: "Deny", exact: true }).click();
    await expect(dialog).toHaveCount(0);
    await liam.getByRole("checkbox", { name: `Select ${sophia.displayName} for ${ROLE}` }).check();
    await liam.getByRole("button", { name: "Approve", exact: true }).click();
    await dialog.getByLabel("Reason").fill("Still onboards new joiners");
    await dialog.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(dialog).toHaveCount(0);
    const alexRow = liam.getByTestId(`review-item-${alex.displayName.toLowerCase().replace(/\s+/g, "-")}`);
    await expect(alexRow).toContainText("Deny");
    await expect(alexRow).toContainText("Moved to the finance team");
    await shoot(liam, info, "review-access-decided");

    // Grace stops the review and applies the results.
    await grace.goto(reviewUrl);
    await grace.getByRole("button", { name: "Stop" }).click();
    await grace.getByTestId("review-command-dialog").getByRole("button", { name: "Stop" }).click();
    await expect(grace.getByRole("button", { name: "Apply" })).toBeVisible();
    await grace.getByRole("button", { name: "Apply" }).click();
    await grace.getByTestId("review-command-dialog").getByRole("button", { name: "Apply" }).click();
    await expect(grace.getByText("Results applied: 1 removed")).toBeVisible();
    const graceAlex = grace.getByTestId(`item-${alex.displayName.toLowerCase().replace(/\s+/g, "-")}`);
    await expect(graceAlex).toContainText("Removed");
    await expect(graceAlex).toContainText("Liam Carter");
    await expect(grace.getByTestId(`item-${sophia.displayName.toLowerCase().replace(/\s+/g, "-")}`)).toContainText(
      "Approve",
    );
    await grace.reload(); // (the toast is transient: check the page itself)
    await expectAccessible(grace, "access review results");
    await shoot(grace, info, "access-review-results");

    // Alex's eligibility is gone, and Activity shows the removal with the review's reason.
    await grace.goto(`/assignments?tab=eligible&q=${encodeURIComponent(alex.displayName)}`);
    await expect(grace.getByText(`No eligible assignments match "${alex.displayName}".`)).toBeVisible();
    const activity = new ActivityPage(grace);
    await activity.goto();
    await activity.filter({ target: alex.displayName });
    expect(await activity.column("Activity")).toContain("Remove eligible member from role in PIM completed");
    expect(await activity.column("Justification")).toContainEqual(
      expect.stringMatching(/^Access review ".*": denied by Liam Carter: Moved to the finance team$/),
    );
  });

  test('one more Global Administrator raises "Too many global administrators"; Grace removes it from the alert', async ({
    as,
  }, info) => {
    const grace = await as("grace");
    await grace.goto("/alerts");
    await expect(grace.getByRole("heading", { level: 1, name: /\| Alerts$/ })).toBeVisible();
    await expectAccessible(grace, "alerts");
    await grace.getByRole("button", { name: "Refresh" }).click();
    await expect(grace.getByText(/alert\(s\) active|No active alerts/).first()).toBeVisible();
    await expect(grace.getByTestId("alert-tooManyGlobalAdmins")).toBeVisible();
    await shoot(grace, info, "alerts");

    // Thresholds for this directory: at least one more Global Administrator than today, any share.
    await grace.getByRole("link", { name: "There are too many global administrators" }).click();
    const facts = await grace.getByText(/^\d+ of \d+ assignments/).textContent();
    const now = Number(/^(\d+)/.exec(facts ?? "")?.[1]);
    await grace.getByRole("toolbar", { name: "Alert commands" }).getByRole("link", { name: "Settings" }).click();
    await expect(grace.getByRole("heading", { level: 1, name: "Alert settings" })).toBeVisible();
    await grace.getByLabel("Minimum number of Global Administrators").fill(String(Math.max(2, now + 1)));
    await grace.getByLabel("Percentage of Global Administrators").fill("0");
    await toastsGone(grace);
    await expectAccessible(grace, "alert settings");
    await shoot(grace, info, "alert-settings");
    await grace.getByRole("button", { name: "Save" }).click();
    await expect(grace.getByText("Alert settings saved")).toBeVisible();

    const fourth = await createPerson("Fourth Ga");
    await makeActive(fourth, "Global Administrator");
    await grace.goto("/alerts/tooManyGlobalAdmins");
    await grace.getByRole("button", { name: "Refresh" }).click();
    await expect(grace.getByTestId("alert-status")).toHaveText("Active");
    const row = grace.getByTestId(`affected-${fourth.displayName.toLowerCase().replace(/\s+/g, "-")}`);
    await expect(row).toBeVisible();
    await toastsGone(grace);
    await expectAccessible(grace, "alert detail");
    await shoot(grace, info, "alert-too-many-global-admins");
    await row.getByRole("button", { name: `Remove ${fourth.displayName}` }).click();
    const fix = grace.getByTestId("fix-alert-dialog");
    await fix.getByLabel("Justification").fill("Does not need Global Administrator (SEC-77)");
    await fix.getByRole("button", { name: "Remove", exact: true }).click();
    await expect(grace.getByText("The assignment was removed.")).toBeVisible();
    await expect(grace.getByTestId("alert-status")).toHaveText("No issues");
    await expect(row).toHaveCount(0);

    // The other governance pages: Discovery and insights, PIM Settings.
    await grace.goto("/discovery?tab=standing-access");
    await expect(grace.getByRole("tab", { name: /Eliminate standing access/ })).toHaveAttribute(
      "aria-selected",
      "true",
    );
    await expect(grace.getByRole("figure", { name: "Permanent active assignments by role" })).toBeVisible();
    await expectAccessible(grace, "discovery and insights");
    await shoot(grace, info, "discovery");
    await grace.goto("/settings");
    await expect(grace.getByRole("list", { name: "People who manage PIM now" })).toContainText("Grace Miller");
    await expectAccessible(grace, "pim settings");
    await shoot(grace, info, "pim-settings");
  });

  test("Liam accepts the recommendations on a monthly review in one click; Grace stops the series; who may manage PIM refuses a Privileged Role Administrator locking herself out", async ({
    as,
  }, info) => {
    // Two people who never signed in: each recommendation is Deny ("Never signed in").
    const role = "Global Reader";
    const mia = await createPerson("Mia Stale");
    const noel = await createPerson("Noel Stale");
    await makeEligible(mia, role);
    await makeEligible(noel, role);
    const name = `Global Reader monthly review ${uniqueSuffix()}`;

    const grace = await as("grace");
    await grace.goto("/access-reviews");
    await grace.getByRole("button", { name: "New access review" }).click();
    const panel = grace.getByTestId("new-review-panel");
    await panel.getByLabel("Review name").fill(name);
    await panel.getByRole("checkbox", { name: role, exact: true }).check();
    await panel.getByLabel("Assignment type").selectOption({ label: "Eligible" });
    await panel.getByLabel("Frequency").selectOption({ label: "Monthly" });
    await panel.getByRole("combobox", { name: "Stage 1: select reviewers" }).fill("Liam");
    await panel.getByRole("option", { name: /^Liam Carter/ }).click();
    await panel.getByRole("button", { name: "Create", exact: true }).click();
    await grace.waitForURL(/\/access-reviews\/[0-9a-f-]{36}/);
    const reviewUrl = grace.url();

    // Liam: "Accept recommendations", by keyboard, then both members carry the recommendation's reason.
    const liam = await as("liam");
    await liam.goto("/review-access");
    await liam.getByRole("link", { name }).click();
    const accept = liam.getByRole("button", { name: "Accept recommendations" });
    await accept.focus();
    await liam.keyboard.press("Enter");
    const dialog = liam.getByTestId("accept-recommendations-dialog");
    await expect(dialog).toContainText("2 members you have not decided yet");
    await expectAccessible(liam, "review access, accept recommendations dialog");
    await shoot(liam, info, "review-access-accept-recommendations", { fullPage: false });
    await dialog.getByRole("button", { name: "Accept recommendations" }).click();
    await expect(liam.getByText("Recommendations accepted: 0 approved, 2 denied.")).toBeVisible();
    for (const p of [mia, noel]) {
      const row = liam.getByTestId(`review-item-${p.displayName.toLowerCase().replace(/\s+/g, "-")}`);
      await expect(row).toContainText("Deny");
      await expect(row).toContainText("Accepted the recommendation: Never signed in");
    }
    await expect(accept).toBeDisabled();

    // Grace stops the series: the review in progress ends and no further instance opens.
    await grace.goto(reviewUrl);
    await expect(grace.getByTestId(`item-${mia.displayName.toLowerCase().replace(/\s+/g, "-")}`)).toContainText(
      "Liam Carter",
    );
    await grace.getByRole("button", { name: "Stop series" }).click();
    const stop = grace.getByTestId("review-command-dialog");
    await expect(stop.getByRole("checkbox", { name: /Also stop the review in progress now/ })).toBeChecked();
    await expectAccessible(grace, "access review, stop series dialog");
    await shoot(grace, info, "access-review-stop-series", { fullPage: false });
    await stop.getByRole("button", { name: "Stop series" }).click();
    await expect(grace.getByTestId("series-stopped")).toContainText("no further instance opens");
    await expect(grace.getByRole("button", { name: "Stop series" })).toHaveCount(0);
    await expect(grace.getByRole("button", { name: "Apply" })).toBeVisible();
    await toastsGone(grace);
    await expectAccessible(grace, "access review, series stopped");
    await shoot(grace, info, "access-review-series-stopped");

    // Who may manage PIM: Grace holds Privileged Role Administrator, so limiting PIM to Global Administrators
    // would take her own rights away: refused with the reason, nothing changes.
    await grace.goto("/settings");
    const managers = grace.getByRole("form", { name: "Who may manage PIM" });
    await expect(
      managers.getByRole("radio", { name: /^Global Administrators and Privileged Role Administrators/ }),
    ).toBeChecked();
    await managers.getByRole("radio", { name: /^Global Administrators only/ }).check();
    await managers.getByRole("button", { name: "Save who manages PIM" }).click();
    await expect(managers.getByLabel("Reason")).toHaveAccessibleDescription("Give a reason.");
    await managers.getByLabel("Reason").fill("Separation of duties");
    await managers.getByRole("button", { name: "Save who manages PIM" }).click();
    await expect(managers.getByText(/you would lose your own rights to manage PIM/)).toBeVisible();
    await grace.reload();
    await expect(
      grace.getByRole("radio", { name: /^Global Administrators and Privileged Role Administrators/ }),
    ).toBeChecked();
    await expectAccessible(grace, "pim settings, who may manage PIM");
    await shoot(grace, info, "pim-settings-managers");
  });
});

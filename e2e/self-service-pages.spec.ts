import { test, expect } from "./fixtures";
import { expectAccessible, shoot } from "./a11y";
import { MyRolesPage } from "./pages/my-roles";

test.describe("Self-service pages: accessibility and screenshots", () => {
  test("Overview", async ({ as }, info) => {
    const page = await as("grace");
    await page.goto("/overview");
    await expect(page.getByRole("heading", { name: "At a glance" })).toBeVisible();
    await expect(page.getByRole("img", { name: /activations per day/i })).toBeVisible();
    await shoot(page, info, "overview");
    await expectAccessible(page, "overview");
  });

  test("My roles, with the Activate panel open", async ({ as }, info) => {
    const page = await as("alex");
    const myRoles = new MyRolesPage(page);
    await myRoles.goto();
    await expect(myRoles.eligibleRow("Groups Administrator")).toBeVisible();
    await shoot(page, info, "my-roles");
    await expectAccessible(page, "my roles");
    await myRoles.openActivate("Groups Administrator");
    await expect(myRoles.panel.getByText(/requires approval/)).toBeVisible();
    // Keyboard: focus starts in the panel and Escape closes it, returning focus to the Activate button.
    await expect(myRoles.panel.getByLabel("Reason")).toBeFocused();
    await shoot(page, info, "my-roles-activate");
    await expectAccessible(page, "activate panel");
    await page.keyboard.press("Escape");
    await expect(myRoles.panel).toBeHidden();
    await expect(myRoles.eligibleRow("Groups Administrator").getByRole("button", { name: /^Activate/ })).toBeFocused();
    // Per-field errors from the same schema the server checks, announced and linked to the field.
    await myRoles.openActivate("Groups Administrator");
    await myRoles.panel.getByRole("button", { name: "Activate", exact: true }).click();
    const reason = myRoles.panel.getByLabel("Reason");
    await expect(reason).toHaveAttribute("aria-invalid", "true");
    await expect(reason).toHaveAccessibleDescription(/Enter a justification/);
    await page.keyboard.press("Escape");
    // Tabs: arrow keys move and select (WAI-ARIA tabs); the URL keeps the tab.
    await myRoles.tab("Eligible").focus();
    await page.keyboard.press("ArrowRight");
    await expect(myRoles.tab("Active")).toBeFocused();
    await expect(myRoles.tab("Active")).toHaveAttribute("aria-selected", "true");
    await expect(page).toHaveURL(/tab=active/);
    await page.keyboard.press("End");
    await expect(myRoles.tab("Expired")).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("Home");
    await expect(myRoles.tab("Eligible")).toHaveAttribute("aria-selected", "true");
    for (const tab of ["Active", "Expired"] as const) {
      await myRoles.tab(tab).click();
      await expectAccessible(page, `my roles ${tab}`);
    }
  });

  test("Pending requests", async ({ as }) => {
    const page = await as("alex");
    await page.goto("/pending-requests");
    await expect(page.getByText(/Showing \d+ - \d+ of \d+ results\./)).toBeVisible();
    await expectAccessible(page, "pending requests");
  });

  test("Approve requests", async ({ as }) => {
    const page = await as("liam");
    await page.goto("/approve-requests");
    await expect(page.getByText(/Showing \d+ - \d+ of \d+ results\./)).toBeVisible();
    await expectAccessible(page, "approve requests");
  });
});

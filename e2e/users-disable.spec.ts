import type { Browser, Page } from "@playwright/test";
import { DEMO_PASSWORD, demoUsers } from "../db/demo-directory";
import { createPerson, makeEligible, type Person } from "./factories";
import { expectAccessible, shoot } from "./a11y";
import { test, expect } from "./fixtures";
import { ActivityPage } from "./pages/activity";
import { MyRolesPage } from "./pages/my-roles";
import { PendingRequestsPage } from "./pages/requests";
import { UsersPage } from "./pages/users";
import { captureAction, replayAction } from "./server-action";
import { freshCode } from "./totp";

/**
 * Orphan handling: the spec's own person (eligible for Helpdesk Administrator and Groups Administrator)
 * activates one role and asks for the other; Perparim (Global Administrator) disables him on Users. Runs in
 * the "exclusive" project: the Graph API spec changes Helpdesk Administrator's directory-wide policy.
 */
let OSCAR: Person;
const ACTIVE_ROLE = "Helpdesk Administrator";
const ASKED_ROLE = "Groups Administrator";

async function submitPassword(page: Page, upn: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email or user principal name").fill(upn);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Oscar signs in (password, then TOTP) in a browser of his own. */
async function oscarSignsIn(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await submitPassword(page, OSCAR.userPrincipalName);
  await page.waitForURL(/\/mfa/);
  await page.getByLabel("Code").fill(await freshCode(OSCAR.totpSecret));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL((u) => !/\/(sign-in|mfa)/.test(u.pathname));
  return { context, page };
}

const setEnabledButton = (page: Page, verb: "Disable" | "Enable", name: string) =>
  page.getByRole("button", { name: `${verb} ${name}`, exact: true });

test.describe("Disable user", () => {
  test.beforeEach(async () => {
    OSCAR = await createPerson("Oscar Orphan");
    await makeEligible(OSCAR, ACTIVE_ROLE);
    await makeEligible(OSCAR, ASKED_ROLE);
  });
  test("Perparim disables Oscar: his session ends, sign-in is refused, his activation ends and his request is canceled; Enable lets him back without the role", async ({
    as,
    browser,
  }, info) => {
    // Oscar activates Helpdesk Administrator and asks for Groups Administrator (needs Liam's approval).
    const oscar = await oscarSignsIn(browser);
    const myRoles = new MyRolesPage(oscar.page);
    await myRoles.goto();
    await myRoles.openActivate(ACTIVE_ROLE);
    await myRoles.fill({ justification: "Password resets for the service desk" });
    await myRoles.panel.getByRole("button", { name: "Activate", exact: true }).click();
    await myRoles.expectActive(ACTIVE_ROLE);
    await myRoles.goto();
    await myRoles.openActivate(ASKED_ROLE);
    await myRoles.fill({ justification: "Clean up the project groups" });
    await myRoles.panel.getByRole("button", { name: "Activate", exact: true }).click();
    await expect(myRoles.panel).toBeHidden();
    const requests = new PendingRequestsPage(oscar.page);
    await requests.goto();
    await expect(requests.latest(ASKED_ROLE)).toContainText("Pending approval");

    // Perparim disables him from the Users page, with the keyboard.
    const admin = await as("perparim");
    const users = new UsersPage(admin);
    await users.goto(OSCAR.displayName);
    const row = users.row(OSCAR.userPrincipalName);
    await expect(row).toContainText("Yes");
    await setEnabledButton(admin, "Disable", OSCAR.displayName).focus();
    await admin.keyboard.press("Enter");
    const dialog = admin.getByRole("dialog", { name: `Disable ${OSCAR.displayName}?` });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("every session ends");
    await expect(dialog).toContainText("personal API tokens are revoked");
    await expect(dialog).toContainText("pending requests they made or that are for them are canceled");
    await expect(dialog).toContainText("active role activations end now");
    await expect(dialog).toContainText("Eligible and admin-assigned roles are kept");
    await expect(dialog.getByLabel("Justification")).toBeFocused();
    // The justification is required: nothing is sent without one.
    await dialog.getByRole("button", { name: "Disable user", exact: true }).click();
    await expect(dialog.getByLabel("Justification")).toHaveAccessibleDescription(/Say why/);
    await expectAccessible(admin, "users, disable user dialog");
    await shoot(admin, info, "users-disable", { fullPage: false });
    // Escape closes it, focus returns to the row's button.
    await admin.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(setEnabledButton(admin, "Disable", OSCAR.displayName)).toBeFocused();

    const call = await captureAction(admin, async () => {
      await admin.keyboard.press("Enter");
      await expect(dialog.getByLabel("Justification")).toBeFocused();
      await admin.keyboard.type("Left the company (HR-3141)");
      await admin.keyboard.press("Tab");
      await expect(dialog.getByRole("button", { name: "Disable user", exact: true })).toBeFocused();
      await admin.keyboard.press("Enter");
    });
    await expect(dialog).toBeHidden();
    await expect(
      admin.getByText(
        `${OSCAR.displayName} is disabled: 1 session ended, 0 API tokens revoked, 1 pending request canceled, 1 active role ended. Eligible and assigned roles are kept.`,
      ),
    ).toBeVisible();
    await expect(row.getByRole("cell").nth(3)).toHaveText("No");
    await expect(setEnabledButton(admin, "Enable", OSCAR.displayName)).toBeVisible();

    // Oscar's open browser is sent to sign-in; signing in again is refused.
    await oscar.page.goto("/my-roles");
    await expect(oscar.page).toHaveURL(/\/sign-in/);
    await submitPassword(oscar.page, OSCAR.userPrincipalName);
    await expect(oscar.page.getByTestId("sign-in-error")).toHaveText(
      "Your account has been disabled. Contact your administrator.",
    );
    await oscar.context.close();

    // Activity: the summary row, the activation ended and the request canceled, all by Perparim.
    const activity = new ActivityPage(admin);
    await activity.goto();
    await activity.filter({ action: "Disable user", target: OSCAR.displayName });
    await expect(activity.rows).toHaveCount(1);
    await expect(activity.rows.first()).toContainText("Perparim Abdullahu");
    await expect(activity.rows.first()).toContainText("Left the company (HR-3141)");
    await activity.filter({
      action: "Remove member from role (PIM activation ended: user disabled)",
      target: OSCAR.displayName,
    });
    await expect(activity.rows).toHaveCount(1);
    await expect(activity.rows.first()).toContainText(ACTIVE_ROLE);
    await activity.filter({
      action: "Add member to role request canceled (PIM activation)",
      target: OSCAR.displayName,
      role: ASKED_ROLE,
    });
    await expect(activity.rows.first()).toContainText("Perparim Abdullahu");

    // Emma (no admin role) sees no Disable/Enable, and replaying the action is refused: Oscar stays disabled.
    const emma = await as("emma");
    const emmaUsers = new UsersPage(emma);
    await emmaUsers.goto(OSCAR.displayName);
    await expect(emmaUsers.row(OSCAR.userPrincipalName)).toBeVisible();
    await expect(emma.getByRole("button", { name: /^(Disable|Enable) / })).toHaveCount(0);
    const answer = await replayAction(emma.request, call, [
      { userId: OSCAR.id, enabled: true, justification: "Let Oscar back in" },
    ]);
    expect(answer).toContain('"ok":false');
    expect(answer).toContain('"code":"Forbidden"');
    await users.goto(OSCAR.displayName);
    await expect(row.getByRole("cell").nth(3)).toHaveText("No");

    // Perparim enables him again.
    await setEnabledButton(admin, "Enable", OSCAR.displayName).click();
    const enableDialog = admin.getByRole("dialog", { name: `Enable ${OSCAR.displayName}?` });
    await expect(enableDialog).toContainText("do not come back");
    await enableDialog.getByLabel("Justification").fill("Rehired (HR-3142)");
    await enableDialog.getByRole("button", { name: "Enable user", exact: true }).click();
    await expect(enableDialog).toBeHidden();
    await expect(
      admin.getByText(`${OSCAR.displayName} is enabled and can sign in again. Roles that ended stay ended.`),
    ).toBeVisible();
    await expect(row.getByRole("cell").nth(3)).toHaveText("Yes");

    // Oscar signs in; Helpdesk Administrator is no longer active, both eligibilities are still there, the request stays canceled.
    const back = await oscarSignsIn(browser);
    const backRoles = new MyRolesPage(back.page);
    await backRoles.goto("active");
    await expect(backRoles.activeRow(ACTIVE_ROLE)).toHaveCount(0);
    await backRoles.goto("eligible");
    await expect(backRoles.eligibleRow(ACTIVE_ROLE)).toBeVisible();
    await expect(backRoles.eligibleRow(ASKED_ROLE)).toBeVisible();
    const backRequests = new PendingRequestsPage(back.page);
    await backRequests.goto();
    await expect(backRequests.latest(ASKED_ROLE)).toContainText("Canceled");
    await back.context.close();
  });

  test("nobody disables themselves: Perparim's own row has no Disable", async ({ as }) => {
    const admin = await as("perparim");
    const users = new UsersPage(admin);
    // Not "Perparim": every principal name's domain holds it, so the whole directory would match.
    await users.goto("Abdullahu");
    await expect(users.row(demoUsers.perparim.userPrincipalName)).toBeVisible();
    await expect(admin.getByRole("button", { name: /^Disable Perparim/ })).toHaveCount(0);
  });
});

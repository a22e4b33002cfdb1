import type { Browser } from "@playwright/test";
import { DEMO_PASSWORD } from "../db/demo-directory";
import { expectAccessible, shoot } from "./a11y";
import { test, expect } from "./fixtures";
import { createPerson, makeEligible } from "./factories";
import { ActivityPage } from "./pages/activity";
import { MyRolesPage } from "./pages/my-roles";
import { UsersPage } from "./pages/users";
import { captureAction, replayAction } from "./server-action";
import { freshCode } from "./totp";

const ROLE = "User Administrator";
const DOMAIN = "PerparimSolutions.onmicrosoft.com";

/** Password, then whatever the MFA step is; returns where it landed (/mfa or /mfa/enroll). */
async function passwordSignIn(browser: Browser, upn: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email or user principal name").fill(upn);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/mfa/);
  return { context, page };
}

async function enterCode(page: import("@playwright/test").Page, code: string) {
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/mfa"));
}

test.describe("Users", () => {
  test("an engineer activates User Administrator and creates a user; after Deactivate the button is gone and the server refuses", async ({
    as,
    clock,
  }) => {
    const sophia = await createPerson("Sophia Engineer", { jobTitle: "Identity Engineer" });
    await makeEligible(sophia, ROLE);
    const page = await as(sophia);
    const myRoles = new MyRolesPage(page);

    const users = new UsersPage(page);
    await users.goto();
    await expect(users.newUserButton).toHaveCount(0);
    await expect(page.getByText("Creating users needs an active User Administrator")).toBeVisible();

    // User Administrator asks for MFA within 15 minutes: make the sign-in's code old, so the activation asks for a TOTP code.
    await clock.advance(16);
    await myRoles.goto();
    await myRoles.openActivate(ROLE);
    await expect(myRoles.panel.getByRole("link", { name: "Verify your identity" })).toBeVisible();
    await page.keyboard.press("Escape");
    await myRoles.activate(ROLE, {
      justification: "Create the account of a new joiner (HR-2207)",
      persona: sophia,
      mfa: "step-up",
    });
    await expect(page.getByText(`${ROLE} is active until`)).toBeVisible();
    await myRoles.expectActive(ROLE);

    const stamp = Date.now().toString(36);
    const nora = {
      displayName: `Nora Newjoiner ${stamp}`,
      userPrincipalName: `nora.newjoiner.${stamp}@${DOMAIN}`,
      password: "Welcome-to-Perparim-2026",
      jobTitle: "Accountant",
      department: "Finance",
    };
    await users.goto();
    await users.openNewUser();
    await expect(users.newUserPanel.getByLabel("Display name")).toBeFocused();
    // The form checks the same schema as the server: nothing is sent with empty required fields.
    await users.newUserPanel.getByRole("button", { name: "Create", exact: true }).click();
    await expect(users.newUserPanel.getByLabel("Display name")).toHaveAccessibleDescription("Enter a display name.");
    await expect(users.newUserPanel.getByLabel("Password")).toHaveAccessibleDescription(
      /The password needs at least 12 characters/,
    );
    await expectAccessible(page, "users, new user panel");
    const call = await captureAction(page, () => users.fillAndCreate(nora));
    await expect(page.getByText(`Created user ${nora.displayName} (${nora.userPrincipalName}).`)).toBeVisible();
    await expect(users.newUserPanel).toBeHidden();
    await users.search(nora.userPrincipalName);
    await expect(users.row(nora.userPrincipalName)).toContainText(nora.displayName);
    await expect(users.row(nora.userPrincipalName)).toContainText("Accountant");

    // The creation and the activation are in Sophia's audit.
    const activity = new ActivityPage(page);
    await activity.goto();
    await activity.filter({ action: "Add user" });
    await expect(activity.rows.first()).toContainText(nora.displayName);
    await expect(activity.rows.first()).toContainText(sophia.displayName);
    await activity.filter({ action: "All activities", role: ROLE });
    expect(new Set(await activity.column("Role"))).toEqual(new Set([ROLE]));
    await expect(
      activity.rows.filter({ hasText: "Create the account of a new joiner (HR-2207)" }).first(),
    ).toBeVisible();

    // Deactivate (refused by the engine within 5 minutes of the activation).
    await clock.advance(6);
    await myRoles.goto("active");
    await myRoles.deactivate(ROLE);
    await users.goto();
    await expect(users.newUserButton).toHaveCount(0);
    await expect(page.getByText("Creating users needs an active User Administrator")).toBeVisible();

    // The create action called directly (as the browser did while she held the role) is refused and creates nothing.
    const rogue = {
      ...nora,
      displayName: `Rogue Replay ${stamp}`,
      userPrincipalName: `rogue.replay.${stamp}@${DOMAIN}`,
      mail: undefined,
      accountEnabled: true,
    };
    const answer = await replayAction(page.request, call, [rogue]);
    expect(answer).toContain('"ok":false');
    expect(answer).toContain('"code":"Forbidden"');
    expect(answer).toContain("Creating users needs an active User Administrator or Global Administrator role");
    await users.goto(rogue.userPrincipalName);
    await expect(users.row(rogue.userPrincipalName)).toHaveCount(0);
    await expect(page.getByText(`No users match “${rogue.userPrincipalName}”`)).toBeVisible();
    await users.goto("Rogue Replay");
    await expect(page.getByText("No users match “Rogue Replay”")).toBeVisible();
  });

  test("an admin resets a person's MFA: their session ends and their next sign-in asks them to enrol; others never see Reset MFA and the server refuses them", async ({
    as,
    browser,
  }, info) => {
    const REMY = await createPerson("Remy Reset");
    // Remy is signed in somewhere.
    const remy = await passwordSignIn(browser, REMY.userPrincipalName);
    await expect(remy.page).toHaveURL(/\/mfa(\?|$)/);
    await enterCode(remy.page, await freshCode(REMY.totpSecret));
    await expect(remy.page).toHaveURL(/\/overview/);

    const grace = await as("grace");
    const users = new UsersPage(grace);
    await users.goto(REMY.displayName);
    // The dialog is keyboard-operable: Escape closes it and focus returns to the row's button.
    await users.resetMfaButton(REMY.displayName).focus();
    await grace.keyboard.press("Enter");
    const dialog = users.resetDialog(REMY.displayName);
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel("Justification")).toBeFocused();
    await grace.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(users.resetMfaButton(REMY.displayName)).toBeFocused();

    const call = await captureAction(grace, async () => {
      await grace.keyboard.press("Enter");
      await expect(dialog.getByLabel("Justification")).toBeFocused();
      await grace.keyboard.type("Lost phone, ticket HD-5150");
      await grace.keyboard.press("Tab");
      await expect(dialog.getByRole("button", { name: "Reset MFA", exact: true })).toBeFocused();
      await grace.keyboard.press("Enter");
    });
    await expect(dialog).toBeHidden();
    await expect(
      grace.getByText(
        `MFA of ${REMY.displayName} is reset. They set up an authenticator at their next sign-in (1 session ended).`,
      ),
    ).toBeVisible();

    // A justification is required (same schema as the server): nothing is sent without one.
    await users.resetMfaButton(REMY.displayName).click();
    await dialog.getByRole("button", { name: "Reset MFA", exact: true }).click();
    await expect(dialog.getByLabel("Justification")).toHaveAccessibleDescription(/Say why the MFA is reset/);
    await expectAccessible(grace, "users, reset MFA dialog");
    await shoot(grace, info, "users-reset-mfa", { fullPage: false });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();

    // Remy's open session is over; signing in again asks him to set up an authenticator.
    await remy.page.goto("/overview");
    await expect(remy.page).toHaveURL(/\/sign-in/);
    await remy.context.close();
    const again = await passwordSignIn(browser, REMY.userPrincipalName);
    await expect(again.page).toHaveURL(/\/mfa\/enroll/);
    await expect(again.page.getByRole("heading", { name: "Set up your authenticator app" })).toBeVisible();
    const secret = await again.page.getByTestId("mfa-secret").getAttribute("data-secret");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(secret).not.toBe(REMY.totpSecret);
    await enterCode(again.page, await freshCode(secret!));
    await expect(again.page).toHaveURL(/\/overview/);
    await again.context.close();

    // Someone without an admin role never sees Reset MFA, and calling the action is refused: Remy keeps his new authenticator.
    const emma = await as(await createPerson("Emma Helpdesk"));
    const emmaUsers = new UsersPage(emma);
    await emmaUsers.goto(REMY.displayName);
    await expect(emmaUsers.row(REMY.userPrincipalName)).toBeVisible();
    await expect(emma.getByRole("button", { name: /^Reset MFA/ })).toHaveCount(0);
    const answer = await replayAction(emma.request, call, [{ userId: REMY.id, justification: "Let me in as Remy" }]);
    expect(answer).toContain('"ok":false');
    expect(answer).toContain('"code":"Forbidden"');
    const third = await passwordSignIn(browser, REMY.userPrincipalName);
    await expect(third.page).toHaveURL(/\/mfa(\?|$)/);
    await enterCode(third.page, await freshCode(secret!));
    await expect(third.page).toHaveURL(/\/overview/);
    await third.context.close();
  });

  test("screenshots and accessibility: Users with the New user panel (Perparim, Global Administrator)", async ({
    as,
  }, info) => {
    const page = await as("perparim");
    const users = new UsersPage(page);
    await users.goto();
    await expect(users.newUserButton).toBeVisible();
    await shoot(page, info, "users");
    await expectAccessible(page, "users");
    // Other tests add people while this runs: find Sophia by name rather than by her place in the list.
    await users.goto("Sophia Davis");
    await expect(users.resetMfaButton("Sophia Davis")).toBeVisible();
    await users.openNewUser();
    await users.newUserPanel.getByLabel("Display name").fill("Jane Doe");
    await users.newUserPanel.getByLabel("User principal name").fill(`jane.doe@${DOMAIN}`);
    await users.newUserPanel.getByLabel("Job title").fill("Service desk analyst");
    await shoot(page, info, "users-new-user", { fullPage: false });
    await page.keyboard.press("Escape");
    await expect(users.newUserPanel).toBeHidden();
    await expect(users.newUserButton).toBeFocused();
  });
});

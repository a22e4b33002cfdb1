import { expect, type Locator, type Page } from "@playwright/test";

export type NewUser = {
  displayName: string;
  userPrincipalName: string;
  password: string;
  jobTitle?: string;
  department?: string;
};

/** Users (the directory list): search, "+ New user" while allowed, "Reset MFA" per row for PIM admins. */
export class UsersPage {
  constructor(readonly page: Page) {}

  async goto(search?: string) {
    await this.page.goto(`/users${search ? `?q=${encodeURIComponent(search)}` : ""}`);
    await expect(this.page.getByRole("heading", { level: 1, name: /\| Users$/ })).toBeVisible();
  }

  get commands(): Locator {
    return this.page.getByRole("toolbar", { name: "Users commands" });
  }

  get newUserButton(): Locator {
    return this.commands.getByRole("button", { name: "New user" });
  }

  get newUserPanel(): Locator {
    return this.page.getByRole("dialog", { name: "New user" });
  }

  /** The row of a user, by user principal name. */
  row(upn: string): Locator {
    return this.page.getByTestId(`user-${upn.toLowerCase()}`);
  }

  async search(text: string) {
    const box = this.page.getByRole("searchbox", { name: "Search by name, user principal name or mail" });
    await box.fill(text);
    await box.press("Enter");
    await this.page.waitForURL((u) => u.searchParams.get("q") === text);
  }

  async openNewUser() {
    await this.newUserButton.click();
    await expect(this.newUserPanel).toBeVisible();
  }

  /** Fills the open "New user" panel and presses Create. */
  async fillAndCreate(u: NewUser) {
    const p = this.newUserPanel;
    await p.getByLabel("Display name").fill(u.displayName);
    await p.getByLabel("User principal name").fill(u.userPrincipalName);
    if (u.jobTitle) await p.getByLabel("Job title").fill(u.jobTitle);
    if (u.department) await p.getByLabel("Department").fill(u.department);
    await p.getByLabel("Password").fill(u.password);
    await p.getByRole("button", { name: "Create", exact: true }).click();
  }

  resetMfaButton(displayName: string): Locator {
    return this.page.getByRole("button", { name: `Reset MFA of ${displayName}` });
  }

  resetDialog(displayName: string): Locator {
    return this.page.getByRole("dialog", { name: `Reset MFA of ${displayName}?` });
  }

  /** Opens the confirmation, writes the justification and confirms (with the keyboard: Tab to the button, Enter). */
  async resetMfa(displayName: string, justification: string) {
    await this.resetMfaButton(displayName).click();
    const dialog = this.resetDialog(displayName);
    await expect(dialog.getByLabel("Justification")).toBeFocused();
    await this.page.keyboard.type(justification);
    await dialog.getByRole("button", { name: "Reset MFA", exact: true }).click();
    await expect(dialog).toBeHidden();
  }
}

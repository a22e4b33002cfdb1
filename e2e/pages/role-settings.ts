import { expect, type Locator, type Page } from "@playwright/test";

/** Roles and a role's settings page (Activation | Assignment | Notification). */
export class RoleSettingsPage {
  constructor(readonly page: Page) {}

  /** Opens the settings from the Roles list, as a person would. */
  async openFromRoles(role: string) {
    await this.page.goto(`/roles?q=${encodeURIComponent(role)}`);
    await this.page
      .getByTestId(`role-${role}`)
      .getByRole("link", { name: new RegExp(`settings of ${role}$`) })
      .click();
    await expect(this.page.getByRole("heading", { level: 1, name: `Role setting details - ${role}` })).toBeVisible();
  }

  tab(name: "Activation" | "Assignment" | "Notification"): Locator {
    return this.page.getByRole("tab", { name });
  }

  get maxHours(): Locator {
    return this.page.getByLabel("Activation maximum duration (hours)");
  }

  get requireTicket(): Locator {
    return this.page.getByRole("checkbox", { name: "Require ticket information on activation" });
  }

  get save(): Locator {
    return this.page.getByRole("button", { name: "Update", exact: true });
  }

  /** Sets the activation maximum and the ticket requirement, saves, and waits for the confirmation. */
  async setActivation(role: string, o: { hours: number; ticket: boolean }) {
    await this.tab("Activation").click();
    await this.maxHours.fill(String(o.hours));
    await this.requireTicket.setChecked(o.ticket);
    await this.save.click();
    await expect(this.page.getByText(`Saved the settings of ${role}.`)).toBeVisible();
  }
}

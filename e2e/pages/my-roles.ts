import { expect, type Locator, type Page } from "@playwright/test";
import type { DemoPersona } from "../../db/demo-directory";
import { mfaStepUp } from "../fixtures";

/**
 * My roles (Eligible | Active | Expired assignments) as a person uses it. Reusable by other specs
 * (e.g. the Users story: `await new MyRolesPage(page).activate("User Administrator", {...})`).
 */
export class MyRolesPage {
  constructor(readonly page: Page) {}

  async goto(tab: "eligible" | "active" | "expired" = "eligible") {
    await this.page.goto(`/my-roles?tab=${tab}`);
    await expect(this.page.getByRole("heading", { level: 1, name: /My roles/ })).toBeVisible();
  }

  tab(name: "Eligible" | "Active" | "Expired"): Locator {
    return this.page.getByRole("tab", { name: new RegExp(`^${name} assignments`) });
  }

  eligibleRow(role: string): Locator {
    return this.page.getByTestId(`eligible-${role}`);
  }

  activeRow(role: string): Locator {
    return this.page.getByTestId(`active-${role}`);
  }

  get panel(): Locator {
    return this.page.getByRole("dialog", { name: "Activate" });
  }

  async openActivate(role: string) {
    await this.tab("Eligible").click();
    await this.eligibleRow(role)
      .getByRole("button", { name: new RegExp(`^Activate ${role}`) })
      .click();
    await expect(this.panel).toBeVisible();
  }

  /**
   * Opens Activate for the role, answers the MFA step-up when the panel asks for it (as `persona`), fills
   * the form and submits. Leaves the page wherever the result puts it (Active tab, or Eligible + pending).
   */
  async activate(
    role: string,
    opts: {
      justification: string;
      persona: DemoPersona;
      durationLabel?: string;
      ticket?: { number: string; system: string };
    },
  ) {
    await this.openActivate(role);
    const verify = this.panel.getByRole("link", { name: "Verify your identity" });
    if (await verify.isVisible()) {
      await verify.click();
      await this.page.waitForURL(/\/mfa\?/);
      await mfaStepUp(this.page, opts.persona);
      await this.page.waitForURL(/\/my-roles\?activate=/);
      await expect(this.panel).toBeVisible();
    }
    await this.fill(opts);
    await this.panel.getByRole("button", { name: "Activate", exact: true }).click();
  }

  async fill(opts: { justification: string; durationLabel?: string; ticket?: { number: string; system: string } }) {
    if (opts.durationLabel) await this.panel.getByLabel("Duration").selectOption({ label: opts.durationLabel });
    await this.panel.getByLabel("Reason").fill(opts.justification);
    if (opts.ticket) {
      await this.panel.getByLabel("Ticket number").fill(opts.ticket.number);
      await this.panel.getByLabel("Ticket system").fill(opts.ticket.system);
    }
  }

  /** The role is on the Active tab with an end time ("ends in ..."). */
  async expectActive(role: string) {
    await this.tab("Active").click();
    const row = this.activeRow(role);
    await expect(row).toBeVisible();
    await expect(row).toContainText(/ends in \d+ h/);
    return row;
  }

  deactivateButton(role: string): Locator {
    return this.activeRow(role).getByRole("button", { name: new RegExp(`^Deactivate ${role}`) });
  }

  async deactivate(role: string) {
    await this.tab("Active").click();
    await this.deactivateButton(role).click();
    const dialog = this.page.getByRole("dialog", { name: `Deactivate ${role}?` });
    await dialog.getByRole("button", { name: "Deactivate", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(this.activeRow(role)).toHaveCount(0);
  }
}

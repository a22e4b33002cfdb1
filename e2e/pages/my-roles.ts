import { expect, type Locator, type Page } from "@playwright/test";
import { mfaStepUp, type Persona } from "../fixtures";

/** A name as a literal in a RegExp (a group's access definition is "Helpdesk Tier 2 (Member)"). */
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

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
      .getByRole("button", { name: new RegExp(`^Activate ${escapeRe(role)}`) })
      .click();
    await expect(this.panel).toBeVisible();
  }

  /**
   * Opens Activate for the role, fills the form and submits. The caller says which path it expects:
   * `mfa: "step-up"` — the panel must ask for an MFA step-up, answered as `persona`; `mfa: "none"` — it must
   * not ask (the role needs no MFA, or the session's is recent). Leaves the page wherever the result puts it
   * (Active tab, or Eligible + pending).
   */
  async activate(
    role: string,
    opts: {
      justification: string;
      persona: Persona;
      mfa: "step-up" | "none";
      durationLabel?: string;
      ticket?: { number: string; system: string };
    },
  ) {
    await this.openActivate(role);
    const verify = this.panel.getByRole("link", { name: "Verify your identity" });
    if (opts.mfa === "none") {
      await expect(this.panel.getByRole("button", { name: "Activate", exact: true })).toBeVisible();
      await expect(verify).toHaveCount(0);
    } else {
      await expect(verify).toBeVisible();
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
    return this.activeRow(role).getByRole("button", { name: new RegExp(`^Deactivate ${escapeRe(role)}`) });
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

import { expect, type Locator, type Page } from "@playwright/test";

/** Pending requests (my requests): status per row, Cancel while pending. */
export class PendingRequestsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/pending-requests");
    await expect(this.page.getByRole("heading", { level: 1, name: /Pending requests/ })).toBeVisible();
  }

  /** The newest request row for a role. */
  latest(role: string): Locator {
    return this.page.getByRole("row").filter({ hasText: role }).first();
  }

  async cancelLatest(role: string) {
    await this.latest(role)
      .getByRole("button", { name: new RegExp(`^Cancel request for ${role}`) })
      .click();
    const dialog = this.page.getByRole("dialog", { name: "Cancel request?" });
    await dialog.getByRole("button", { name: "Cancel request" }).click();
    await expect(dialog).toBeHidden();
  }
}

/** Approve requests: select requests, Approve or Deny with a justification, read the result per request. */
export class ApproveRequestsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/approve-requests");
    await expect(this.page.getByRole("heading", { level: 1, name: /Approve requests/ })).toBeVisible();
  }

  rowFor(requester: string, role: string): Locator {
    return this.page.getByRole("row").filter({ hasText: requester }).filter({ hasText: role });
  }

  checkbox(requester: string, role: string): Locator {
    return this.page.getByRole("checkbox", { name: `Select the request of ${requester} for ${role}` });
  }

  /** Selects the request(s), opens Approve/Deny, writes the justification, submits; returns the panel. */
  async decide(decision: "Approve" | "Deny", items: { requester: string; role: string }[], justification: string) {
    for (const i of items) await this.checkbox(i.requester, i.role).check();
    await this.page
      .getByRole("toolbar", { name: "Approval commands" })
      .getByRole("button", { name: new RegExp(`^${decision}`) })
      .click();
    const panel = this.page.getByRole("dialog", { name: new RegExp(`^${decision} request`) });
    await panel.getByLabel("Justification").fill(justification);
    await panel.getByRole("button", { name: decision, exact: true }).click();
    await expect(panel.getByRole("button", { name: "Done" })).toBeVisible();
    return panel;
  }
}

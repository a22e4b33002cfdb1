import { expect, type Locator, type Page } from "@playwright/test";
import { parseCsv } from "../helpers/csv";

export type ActivityFilterValues = {
  from?: string;
  to?: string;
  actor?: string;
  target?: string;
  /** Role display name (option label). */
  role?: string;
  /** Activity name (option label). */
  action?: string;
  result?: "Success" | "Failure" | "Any result";
};

/** Activity (Resource audit | My audit): filters in a GET form, newest first, Previous/Next, CSV export. */
export class ActivityPage {
  constructor(readonly page: Page) {}

  async goto(params: Record<string, string> = {}) {
    const qs = new URLSearchParams(params).toString();
    await this.page.goto(`/activity${qs ? `?${qs}` : ""}`);
    await expect(this.page.getByRole("heading", { level: 1, name: /\| Activity$/ })).toBeVisible();
  }

  get views(): Locator {
    return this.page.getByRole("navigation", { name: "Audit views" });
  }

  get form(): Locator {
    return this.page.getByRole("form", { name: "Filter activity" });
  }

  async filter(f: ActivityFilterValues) {
    const form = this.form;
    if (f.from !== undefined) await form.getByLabel("From", { exact: true }).fill(f.from);
    if (f.to !== undefined) await form.getByLabel("To", { exact: true }).fill(f.to);
    if (f.actor !== undefined) await form.getByLabel("Actor", { exact: true }).fill(f.actor);
    if (f.target !== undefined) await form.getByLabel("Target", { exact: true }).fill(f.target);
    if (f.role !== undefined) await form.getByLabel("Role", { exact: true }).selectOption({ label: f.role });
    if (f.action !== undefined) await form.getByLabel("Activity", { exact: true }).selectOption({ label: f.action });
    if (f.result !== undefined) await form.getByLabel("Result", { exact: true }).selectOption({ label: f.result });
    const before = this.page.url();
    await form.getByRole("button", { name: "Apply filters" }).click();
    await this.page.waitForURL((u) => u.toString() !== before);
    await expect(this.page.getByRole("heading", { level: 1, name: /\| Activity$/ })).toBeVisible();
  }

  /** The audit rows on this page (newest first). */
  get rows(): Locator {
    return this.page.locator('tbody tr[data-testid^="audit-"]');
  }

  /** One column's text for every row on the page, in order (columns: Time, Actor, Activity, Target, Role, Scope, Justification, Result). */
  async column(
    name: "Time" | "Actor" | "Activity" | "Target" | "Role" | "Scope" | "Justification" | "Result",
  ): Promise<string[]> {
    const headers = await this.page.locator("thead th").allInnerTexts();
    const i = headers.findIndex((h) => h.trim() === name);
    expect(i, `column ${name}`).toBeGreaterThanOrEqual(0);
    return (await this.rows.locator(`td:nth-child(${i + 1})`).allInnerTexts()).map((t) => t.trim());
  }

  footer(): Locator {
    return this.page.getByText(/^Showing \d+ - \d+ of \d+ results\.$/);
  }

  async next() {
    await this.page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Next" }).click();
  }

  async previous() {
    await this.page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Previous" }).click();
  }

  /** Clicks Export, waits for the download and parses the CSV (header row + data rows as objects). */
  async exportCsv(): Promise<{ header: string[]; rows: Record<string, string>[]; filename: string }> {
    const download = this.page.waitForEvent("download");
    await this.page.getByRole("toolbar", { name: "Activity commands" }).getByRole("link", { name: "Export" }).click();
    const d = await download;
    const path = await d.path();
    const fs = await import("node:fs");
    const [header = [], ...data] = parseCsv(fs.readFileSync(path, "utf8"));
    return {
      header,
      rows: data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""]))),
      filename: d.suggestedFilename(),
    };
  }
}

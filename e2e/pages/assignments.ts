import fs from "node:fs/promises";
import { expect, type Locator, type Page } from "@playwright/test";
import { parseCsv } from "../helpers/csv";

export type RowAction = "Update" | "Extend" | "Remove" | "Renew";

/** `<input type="datetime-local">` text moved by whole days (naive calendar arithmetic, as a person would type it). */
export function addDays(local: string, days: number, time?: string): string {
  const [date = "", clock = "00:00"] = local.split("T");
  const [y, m, d] = date.split("-").map(Number);
  const t = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days));
  return `${t.toISOString().slice(0, 10)}T${time ?? clock}`;
}

/** The instant the browser makes of a datetime-local value (the viewer's time zone), as ISO. */
export async function browserIso(page: Page, local: string): Promise<string> {
  return page.evaluate((v) => new Date(v).toISOString(), local);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** "27 Dec 2026" of a datetime-local value, as the portal's one date format shows it in en-GB. */
export const shownDate = (local: string) => {
  const [y, m, d] = local.slice(0, 10).split("-").map(Number);
  return `${d} ${MONTHS[(m ?? 1) - 1]} ${y}`;
};

/** Clicks the Export command and returns the downloaded CSV as objects keyed by the header. */
export async function downloadCsv(
  page: Page,
): Promise<{ fileName: string; header: string[]; rows: Record<string, string>[] }> {
  const download = page.waitForEvent("download");
  await page.getByRole("toolbar").getByRole("link", { name: "Export" }).click();
  const d = await download;
  const file = await d.path();
  const [header = [], ...body] = parseCsv(await fs.readFile(file, "utf8"));
  return {
    fileName: d.suggestedFilename(),
    header,
    rows: body.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]))),
  };
}

/** The Assignments blade as an administrator uses it. */
export class AssignmentsPage {
  constructor(readonly page: Page) {}

  async goto(tab: "eligible" | "active" | "expired" = "eligible") {
    await this.page.goto(tab === "eligible" ? "/assignments" : `/assignments?tab=${tab}`);
    await expect(this.page.getByRole("heading", { level: 1, name: /\| Assignments$/ })).toBeVisible();
  }

  get commands(): Locator {
    return this.page.getByRole("toolbar", { name: "Assignments commands" });
  }

  tab(name: "Eligible" | "Active" | "Expired"): Locator {
    return this.page.getByRole("tab", { name: new RegExp(`^${name} assignments`) });
  }

  get table(): Locator {
    return this.page.getByRole("table", { name: /grouped by role/ });
  }

  /** The rows of one role: the table body under the role's group header ("Security Reader (1)"). */
  group(role: string): Locator {
    return this.table.locator("tbody").filter({
      has: this.page.getByRole("button", {
        name: new RegExp(`^${role.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(\\d+\\)$`),
      }),
    });
  }

  row(role: string, member: string): Locator {
    return this.group(role).getByRole("row").filter({ hasText: member });
  }

  /** Member rows shown (group header rows excluded). */
  get memberRows(): Locator {
    return this.table.locator("tbody tr[data-testid^='assignment-']");
  }

  get footer(): Locator {
    return this.page.getByText(/^Showing \d+ - \d+ of \d+ results\.$/);
  }

  /** [role, name, principal name, scope] of each member row shown, in order (the role from the row's group header). */
  async shownRows(): Promise<string[][]> {
    await expect(this.footer).toBeVisible();
    return this.memberRows.evaluateAll((rows) =>
      rows.map((r) => {
        const role = (r.closest("tbody")?.querySelector("th button")?.textContent ?? "")
          .replace(/\s*\(\d+\)\s*$/, "")
          .trim();
        const cells = Array.from(r.querySelectorAll("td")).map((td) => td.textContent?.trim() ?? "");
        return [role, cells[0] ?? "", cells[1] ?? "", cells[3] ?? ""];
      }),
    );
  }

  /**
   * Every member row as data that does not depend on the viewer's clock or on hydration: role, the text
   * columns and the start/end instants (`<time datetime>`), to compare the blade before and after.
   */
  async snapshot(): Promise<string[][]> {
    await expect(this.footer).toBeVisible();
    return this.memberRows.evaluateAll((rows) =>
      rows.map((r) => {
        const role = (r.closest("tbody")?.querySelector("th button")?.textContent ?? "")
          .replace(/\s*\(\d+\)\s*$/, "")
          .trim();
        const cells = Array.from(r.querySelectorAll("td"))
          .slice(0, 5)
          .map((td) => td.textContent?.trim() ?? "");
        const times = Array.from(r.querySelectorAll("time")).map((t) => t.getAttribute("datetime") ?? "");
        return [role, ...cells, ...times];
      }),
    );
  }

  /** The footer's "of M results". */
  async total(): Promise<number> {
    return Number((await this.footer.innerText()).match(/of (\d+) results/)?.[1]);
  }

  async search(text: string) {
    await this.page.getByRole("searchbox", { name: "Search by member name or principal name" }).fill(text);
    await this.page.keyboard.press("Enter");
    const query = new URLSearchParams({ q: text }).toString(); // as the form sends it: a space is "+"
    await expect(this.page).toHaveURL(new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  }

  actionButton(role: string, member: string, action: RowAction): Locator {
    return this.row(role, member).getByRole("button", { name: `${action} ${role} for ${member}` });
  }

  get addPanel(): Locator {
    return this.page.getByRole("dialog", { name: "Add assignments" });
  }

  rowPanel(action: RowAction): Locator {
    return this.page.getByRole("dialog", { name: `${action} assignment` });
  }

  async openAdd() {
    await this.commands.getByRole("button", { name: "Add assignments" }).click();
    await expect(this.addPanel).toBeVisible();
  }

  /** Fills the Add panel (member picked through the search picker); returns the start and end typed. */
  async fillAdd(o: {
    role: string;
    member: string;
    search: string;
    scope: string;
    endInDays: number;
    justification: string;
  }) {
    const p = this.addPanel;
    await p.getByLabel("Select role").selectOption({ label: o.role });
    await p.getByLabel("Scope", { exact: true }).selectOption({ label: o.scope });
    await p.getByRole("combobox", { name: "Select member(s)" }).fill(o.search);
    await p.getByRole("option", { name: new RegExp(`^${o.member}`) }).click();
    await expect(p.getByRole("list", { name: "Selected: Select member(s)" })).toContainText(o.member);
    await p.getByRole("button", { name: "Next >" }).click();
    await expect(p.getByRole("tab", { name: "Setting" })).toHaveAttribute("aria-selected", "true");
    await p.getByRole("radio", { name: "Eligible" }).check();
    const start = await p.getByLabel("Assignment starts").inputValue();
    const end = addDays(start, o.endInDays, "10:00");
    await p.getByLabel("Assignment ends").fill(end);
    await p.getByLabel("Enter justification").fill(o.justification);
    return { start, end };
  }

  async openRowAction(role: string, member: string, action: RowAction) {
    await this.actionButton(role, member, action).click();
    await expect(this.rowPanel(action)).toBeVisible();
    return this.rowPanel(action);
  }

  /** The End time cell's machine-readable instant. */
  async endOf(role: string, member: string): Promise<string | null> {
    return this.row(role, member).locator("time").last().getAttribute("datetime");
  }
}

import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, type TestInfo } from "@playwright/test";

/** No serious or critical axe-core violations (WCAG 2.1 A/AA rules); the offending rules and nodes are listed on failure. */
export async function expectAccessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  ).toEqual([]);
}

/** Screenshot into the test output; with UPDATE_SCREENSHOTS=1 also into docs/screenshots/<name>.png (for the README). */
export async function shoot(page: Page, info: TestInfo, name: string, opts: { fullPage?: boolean } = {}) {
  await page.evaluate(() => document.fonts.ready);
  // Toasts are transient: keep them out of the documentation pictures.
  // Only for the picture: the style is removed afterwards, so a test can still see the next toast.
  const hide = await page.addStyleTag({ content: "[data-sonner-toaster] { display: none !important; }" });
  const file = info.outputPath(`${name}.png`);
  // A modal panel covers the viewport only: pass { fullPage: false } to picture it as the person sees it.
  try {
    await page.screenshot({ path: file, fullPage: opts.fullPage ?? true });
  } finally {
    await hide.evaluate((el) => (el as unknown as HTMLElement).remove()).catch(() => undefined);
  }
  if (process.env.UPDATE_SCREENSHOTS === "1") {
    const dest = path.join(__dirname, "..", "docs", "screenshots", `${name}.png`);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(file, dest);
  }
}

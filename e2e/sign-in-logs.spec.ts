import { test, expect } from "./fixtures";
import { expectAccessible, shoot } from "./a11y";
import { takeCspViolations } from "./csp-guard";
import { parseCsv } from "./helpers/csv";

/**
 * Issue 12 finding 8: sign-ins, failures, MFA answers and lockouts are recorded, and PIM readers see them.
 * The story makes its own data: a stranger (own browser context, own address) tries a name that exists
 * nowhere, with a user agent of its own; Grace (Privileged Role Administrator) finds the attempts.
 */
test.describe("Sign-in logs", () => {
  test("Grace finds a stranger's failed sign-ins, filters them and exports CSV; Sophia sees only her own", async ({
    browser,
    as,
  }, info) => {
    const probe = `probe.${Date.now()}@contoso.test`;
    const stranger = await browser.newContext({
      userAgent: "StrangerBot/1.0 (e2e)",
      extraHTTPHeaders: { "x-forwarded-for": "203.0.113.77" },
    });
    const s = await stranger.newPage();
    for (let i = 0; i < 2; i++) {
      await s.goto("/sign-in");
      await s.getByLabel(/email|user principal name|sign-in name/i).fill(probe);
      await s.getByLabel(/^password/i).fill(`wrong password ${i}`);
      await s.getByRole("button", { name: /^sign in$/i }).click();
      await expect(s.getByText(/Your account or password is incorrect/)).toBeVisible();
    }
    await stranger.close();

    const page = await as("grace");
    await page.goto("/overview");
    await page.getByRole("link", { name: "Sign-in logs" }).click();
    await expect(page.getByRole("heading", { name: /Sign-in logs/ })).toBeVisible();
    // Grace's own sign-in is there (password and MFA), written when she signed in.
    await expect(page.getByRole("row").filter({ hasText: "Grace Miller" }).first()).toBeVisible();

    await page.getByLabel("Person").fill(probe);
    await page.getByLabel("Result", { exact: true }).selectOption("failure");
    await page.getByRole("button", { name: "Apply" }).click();
    const rows = page.getByRole("row").filter({ hasText: probe });
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText("Unknown name");
    await expect(rows.first()).toContainText("203.0.113.77");
    await expect(rows.first()).toContainText("StrangerBot/1.0 (e2e)");
    await expect(page.getByText("Showing 1 - 2 of 2 results.")).toBeVisible();
    await shoot(page, info, "sign-in-logs");
    await expectAccessible(page, "sign-in logs, filtered");

    const download = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export" }).click(),
    ]);
    const csv = parseCsv(
      await (await download[0].createReadStream()).toArray().then((b) => Buffer.concat(b).toString("utf8")),
    );
    expect(csv[0]).toEqual([
      "Time (UTC)",
      "Person",
      "Principal name",
      "Name typed",
      "Method",
      "Result",
      "Reason",
      "IP address",
      "User agent",
    ]);
    expect(csv.slice(1).filter((r) => r.length > 1)).toHaveLength(2);
    expect(csv[1]).toEqual(
      expect.arrayContaining([probe, "Password", "Failure", "Unknown name", "203.0.113.77", "StrangerBot/1.0 (e2e)"]),
    );

    // Someone without a reader role: no menu entry, only their own sign-ins, and the export of all is refused.
    const sophia = await as("sophia");
    await sophia.goto("/overview");
    await expect(sophia.getByRole("link", { name: "Sign-in logs" })).toHaveCount(0);
    await sophia.goto(`/sign-in-logs?view=all&person=${encodeURIComponent(probe)}`);
    await expect(sophia.getByRole("link", { name: "My sign-ins" })).toHaveAttribute("aria-current", "page");
    await expect(sophia.getByRole("link", { name: "All sign-ins" })).toHaveCount(0);
    await expect(sophia.getByRole("row").filter({ hasText: probe })).toHaveCount(0);
    // The read model refuses the whole log to her, whoever asks: the CSV route answers 403.
    const refused = await sophia.request.get("/sign-in-logs/export?view=all");
    expect(refused.status()).toBe(403);
    const own = await sophia.request.get("/sign-in-logs/export?view=mine");
    const mine = parseCsv(await own.text())
      .slice(1)
      .filter((r) => r.length > 1);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r[1] === "Sophia Davis")).toBe(true);
    // My audit lists her recent sign-ins.
    await sophia.goto("/activity?view=mine");
    await expect(sophia.getByRole("heading", { name: "Your recent sign-ins" })).toBeVisible();
    await expect(
      sophia.getByRole("region", { name: "Your recent sign-ins" }).getByText("Success").first(),
    ).toBeVisible();
    expect(takeCspViolations()).toEqual([]);
  });
});

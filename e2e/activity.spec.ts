import { expectAccessible, shoot } from "./a11y";
import { test, expect, type TestClock } from "./fixtures";
import { createPerson, type Person } from "./factories";
import { ActivityPage } from "./pages/activity";
import { UsersPage } from "./pages/users";
import { captureAction, replayAction } from "./server-action";

// Grace Miller (Privileged Role Administrator, permanent) resets the MFA of the story's own person (made
// before it starts, never signs in) twelve times: a set of audit rows no other test touches (filtered by target).
let PAIGE: Person;
const RUNS = 12;
const run = (i: number) => `Paige run ${String(i).padStart(2, "0")}`;
const newestFirst = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, k) => run(from - k));

/** The server's date by this test's clock, as yyyy-mm-dd in UTC. */
async function serverDate(clock: TestClock, plusDays = 0): Promise<string> {
  return new Date((await clock.now()).getTime() + plusDays * 86_400_000).toISOString().slice(0, 10);
}

// Serial: the second test reads the audit rows the first one writes.
test.describe.serial("Activity", () => {
  test.use({ clockScope: "describe" });
  test.beforeAll(async () => {
    PAIGE = await createPerson("Paige Pager");
  });

  test("an admin's actions appear newest first; filters, Previous/Next by one page, and the CSV export of the filtered set", async ({
    as,
    clock,
  }, info) => {
    const grace = await as("grace");
    const users = new UsersPage(grace);
    await users.goto(PAIGE.displayName);
    const call = await captureAction(grace, () => users.resetMfa(PAIGE.displayName, run(1)));
    await expect(grace.getByText(`MFA of ${PAIGE.displayName} is reset.`)).toBeVisible();
    for (let i = 2; i <= RUNS; i++) {
      const answer = await replayAction(grace.request, call, [{ userId: PAIGE.id, justification: run(i) }]);
      expect(answer).toContain('"ok":true');
    }

    const activity = new ActivityPage(grace);
    await activity.goto();
    await expect(activity.views.getByRole("link", { name: "Resource audit" })).toHaveAttribute("aria-current", "page");
    const today = await serverDate(clock);
    await activity.filter({
      from: today,
      to: today,
      actor: "Grace",
      target: PAIGE.displayName,
      action: "Reset MFA",
      result: "Success",
    });
    await expect(activity.footer()).toHaveText(`Showing 1 - ${RUNS} of ${RUNS} results.`);
    expect(await activity.column("Justification")).toEqual(newestFirst(RUNS, 1));
    expect(new Set(await activity.column("Actor"))).toEqual(new Set(["Grace Miller"]));
    expect(new Set(await activity.column("Target"))).toEqual(new Set([PAIGE.displayName]));
    expect(new Set(await activity.column("Result"))).toEqual(new Set(["Success"]));
    await shoot(grace, info, "activity");
    await expectAccessible(grace, "activity, filtered");

    // CSV of the filtered set: the same twelve rows, newest first, and nothing else.
    const csv = await activity.exportCsv();
    expect(csv.filename).toMatch(/^pim-audit-resource-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv.header).toEqual([
      "time",
      "actor",
      "activity",
      "target",
      "role",
      "scope",
      "justification",
      "ticket",
      "result",
      "reason",
      "request id",
    ]);
    expect(csv.rows.map((r) => r.justification)).toEqual(newestFirst(RUNS, 1));
    for (const r of csv.rows)
      expect(r).toMatchObject({
        actor: "Grace Miller",
        activity: "Reset MFA",
        target: PAIGE.displayName,
        result: "success",
      });
    const times = csv.rows.map((r) => Date.parse(r.time ?? ""));
    expect(times.every((t, i) => i === 0 || t <= times[i - 1]!)).toBe(true);
    expect(times.every((t) => new Date(t).toISOString().startsWith(today))).toBe(true);

    // Five rows a page (a query parameter the Rows per page box also sets): Next, Next, then Previous goes back ONE page.
    await activity.goto({ ...Object.fromEntries(new URL(grace.url()).searchParams), size: "5" });
    await expect(activity.form.getByLabel("Rows per page")).toHaveValue("5");
    await expect(activity.footer()).toHaveText(`Showing 1 - 5 of ${RUNS} results.`);
    expect(await activity.column("Justification")).toEqual(newestFirst(12, 8));
    await activity.next();
    await expect(activity.footer()).toHaveText(`Showing 6 - 10 of ${RUNS} results.`);
    expect(await activity.column("Justification")).toEqual(newestFirst(7, 3));
    await activity.next();
    await expect(activity.footer()).toHaveText(`Showing 11 - 12 of ${RUNS} results.`);
    expect(await activity.column("Justification")).toEqual(newestFirst(2, 1));
    await activity.previous();
    await expect(activity.footer()).toHaveText(`Showing 6 - 10 of ${RUNS} results.`);
    expect(await activity.column("Justification")).toEqual(newestFirst(7, 3));
    await activity.previous();
    await expect(activity.footer()).toHaveText(`Showing 1 - 5 of ${RUNS} results.`);
    expect(await activity.column("Justification")).toEqual(newestFirst(12, 8));

    // The date range excludes: from tomorrow on there is nothing; failures only: nothing, and the export agrees.
    await activity.filter({ from: await serverDate(clock, 1), to: "" });
    await expect(activity.page.getByText("No activity matches these filters")).toBeVisible();
    await activity.filter({ from: today, result: "Failure" });
    await expect(activity.rows).toHaveCount(0);
    expect((await activity.exportCsv()).rows).toEqual([]);
  });

  test("a person who is not a PIM admin or reader sees only My audit, and the export refuses the resource audit", async ({
    as,
  }) => {
    const emma = await as(await createPerson("Emma Helpdesk"));
    const activity = new ActivityPage(emma);
    await activity.goto({ view: "resource", target: PAIGE.displayName });
    await expect(activity.views.getByRole("link", { name: "Resource audit" })).toHaveCount(0);
    await expect(activity.views.getByRole("link", { name: "My audit" })).toHaveAttribute("aria-current", "page");
    await expect(activity.rows).toHaveCount(0);
    await expect(emma.getByText("No activity matches these filters")).toBeVisible();
    await expectAccessible(emma, "activity, my audit");

    const refused = await emma.request.get(
      `/activity/export?view=resource&target=${encodeURIComponent(PAIGE.displayName)}`,
    );
    expect(refused.status()).toBe(403);
    expect(await refused.text()).not.toContain(run(1));
    const mine = await emma.request.get(`/activity/export?view=mine&target=${encodeURIComponent(PAIGE.displayName)}`);
    expect(mine.status()).toBe(200);
    expect(mine.headers()["content-type"]).toContain("text/csv");
    expect(await mine.text()).not.toContain(run(1));

    // A reader (Noah Wilson, Security Reader) sees the resource audit.
    const noah = await as("noah");
    const reader = new ActivityPage(noah);
    await reader.goto({ target: PAIGE.displayName, action: "Reset MFA" });
    await expect(reader.views.getByRole("link", { name: "Resource audit" })).toHaveAttribute("aria-current", "page");
    await expect(reader.footer()).toHaveText(`Showing 1 - ${RUNS} of ${RUNS} results.`);
  });
});

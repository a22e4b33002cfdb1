import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, days, minutes, testClock } from "@/test/db";
import { createDirectory } from "@/test/fixtures/directory";
import { writeAudit } from "@/lib/pim/audit";
import type { Actor, Ctx } from "@/lib/pim/context";
import { GLOBAL_READER } from "@/lib/pim/directory/builtin-roles";
import { parseActivityFilters } from "./filters";
import { loadActivityPage } from "./load-page";

let actor: Actor;
const paige = { id: "10000000-0000-4000-8000-0000000000a2", type: "User" as const, name: "Paige Pager" };
const other = { id: "10000000-0000-4000-8000-0000000000a3", type: "User" as const, name: "Someone Else" };

let h: Awaited<ReturnType<typeof createTestDb>>;
let ctx: Ctx;

/** The search params of a link the page rendered (what the browser sends when it is followed). */
const params = (href: string | null) => Object.fromEntries(new URL(href ?? "", "http://x").searchParams);
const load = (sp: Record<string, string>) =>
  loadActivityPage(ctx, actor, parseActivityFilters({ view: "resource", ...sp }));
const names = (p: Awaited<ReturnType<typeof load>>) => p.rows.map((r) => r.justification);

beforeAll(async () => {
  h = await createTestDb();
  const clock = testClock();
  ctx = { db: h.db, now: clock.now };
  // Resource audit is for PIM readers: Grace reads it as a Global Reader.
  const d = await createDirectory(h.db);
  const grace = await d.user("Grace Admin");
  await d.active(grace, GLOBAL_READER, { start: new Date(clock.now().getTime() - days(1)) });
  actor = grace.actor();
  // 12 resets of Paige's MFA ("run 01" oldest ... "run 12" newest), with someone else's row between each.
  for (let i = 1; i <= 12; i++) {
    clock.advance(minutes(1));
    await h.db.transaction(async (tx) => {
      await writeAudit(tx, clock.now(), {
        category: "UserManagement",
        activity: "Reset MFA",
        operation: "user.mfa.reset",
        actor,
        target: paige,
        justification: `run ${String(i).padStart(2, "0")}`,
      });
      await writeAudit(tx, clock.now(), {
        category: "UserManagement",
        activity: "Add user",
        operation: "user.create",
        actor,
        target: other,
      });
    });
  }
});
afterAll(async () => h.drop());

describe("Activity paging (keyset both ways)", () => {
  it("Next, Next, then Previous shows the second page again, not the first", async () => {
    const first = await load({ target: "Paige", size: "5" });
    expect(first.total).toEqual({ n: 12, exact: true });
    expect(first.from).toBe(1);
    expect(names(first)).toEqual(["run 12", "run 11", "run 10", "run 09", "run 08"]);
    expect(first.prevHref).toBeNull();

    const second = await load(params(first.nextHref));
    expect(second.from).toBe(6);
    expect(names(second)).toEqual(["run 07", "run 06", "run 05", "run 04", "run 03"]);

    const third = await load(params(second.nextHref));
    expect(third.from).toBe(11);
    expect(names(third)).toEqual(["run 02", "run 01"]);
    expect(third.nextHref).toBeNull();

    const back = await load(params(third.prevHref));
    expect(back.from).toBe(6);
    expect(names(back)).toEqual(names(second));
    const backAgain = await load(params(back.prevHref));
    expect(names(backAgain)).toEqual(names(first));
    expect(backAgain.prevHref).toBeNull();
  });

  it("page links keep the filters and the page size; the export link keeps the filters but no page", async () => {
    const first = await load({ target: "Paige", action: "Reset MFA", size: "5" });
    expect(params(first.nextHref)).toMatchObject({ view: "resource", target: "Paige", action: "Reset MFA", size: "5" });
    expect(params(first.exportHref)).toEqual({ view: "resource", target: "Paige", action: "Reset MFA" });
    expect(first.exportHref.startsWith("/activity/export?")).toBe(true);
  });

  it("a forged page trail reads as the first page", async () => {
    const forged = await load({
      target: "Paige",
      size: "5",
      page: Buffer.from(JSON.stringify(["1 or 1=1"])).toString("base64url"),
    });
    expect(forged.from).toBe(1);
    expect(names(forged)[0]).toBe("run 12");
  });
});

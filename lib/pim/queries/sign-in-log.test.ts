import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInEvents } from "@/db/schema";
import { createTestDb, hours, testCtx } from "@/test/db";
import { createDirectory, type TestUser } from "@/test/fixtures/directory";
import { GLOBAL_READER, SECURITY_READER } from "../directory/builtin-roles";
import { isPimError } from "../errors";
import { iterateSignIns, listSignIns } from "./sign-in-log";

let h: Awaited<ReturnType<typeof createTestDb>>;
let ctx: ReturnType<typeof testCtx>;
let reader: TestUser, eligibleOnly: TestUser, sophia: TestUser, emma: TestUser;
const source = { clientIp: "198.51.100.7", userAgent: "Firefox" };

beforeAll(async () => {
  h = await createTestDb();
  ctx = testCtx(h);
  const d = await createDirectory(h.db);
  [reader, eligibleOnly, sophia, emma] = await d.users("Rita Reader", "Eli Eligible", "Sophia Davis", "Emma Smith");
  const past = new Date(ctx.now().getTime() - hours(24));
  await d.active(reader, SECURITY_READER, { start: past });
  await d.eligible(eligibleOnly, GLOBAL_READER, { start: past, end: null });
  // 120 events: Sophia's and Emma's alternating, one a minute, then an attempt on a name that matches nobody.
  for (let i = 0; i < 120; i++) {
    const who = i % 2 ? sophia : emma;
    await h.db.insert(signInEvents).values({
      at: new Date(ctx.now().getTime() - (120 - i) * 60_000),
      userId: who.id,
      identifier: who.userPrincipalName,
      kind: i % 3 === 0 ? "mfa" : "password",
      result: i % 5 === 0 ? "failure" : "success",
      ...source,
    });
  }
  await h.db.insert(signInEvents).values({
    at: ctx.now(),
    userId: null,
    identifier: "ghost@contoso.test",
    kind: "password",
    result: "locked",
    reason: "Locked",
    ...source,
  });
});
afterAll(async () => h.drop());

describe("sign-in log read model", () => {
  it("authorizes itself: the whole log for PIM readers now; eligible-only and ordinary people are refused", async () => {
    const all = await listSignIns(ctx, reader.actor({ mfaAt: ctx.now() }), {}, { limit: 10 });
    expect(all.rows).toHaveLength(10);
    expect(all.rows[0]).toMatchObject({ identifier: "ghost@contoso.test", userId: null, result: "locked" });
    for (const who of [eligibleOnly, sophia]) {
      const err = await listSignIns(ctx, who.actor({ mfaAt: ctx.now() }), {}).catch((e: unknown) => e);
      expect(isPimError(err) && err.code).toBe("Forbidden");
    }
    const csv = iterateSignIns(ctx, sophia.actor(), {});
    await expect(csv.next()).rejects.toMatchObject({ code: "Forbidden" });
  });

  it("`mine` is only the actor's own sign-ins, for anyone", async () => {
    const mine = [];
    for await (const r of iterateSignIns(ctx, sophia.actor(), { mine: true })) mine.push(r);
    expect(mine).toHaveLength(60);
    expect(new Set(mine.map((r) => r.userId))).toEqual(new Set([sophia.id]));
    expect(mine[0]!.displayName).toBe("Sophia Davis");
  });

  it("keyset pages: newest first, no row twice or missing; filters by person, method, result, address, dates", async () => {
    const actor = reader.actor({ mfaAt: ctx.now() });
    const seen: number[] = [];
    let cursor = null;
    do {
      const p: Awaited<ReturnType<typeof listSignIns>> = await listSignIns(ctx, actor, {}, { cursor, limit: 25 });
      seen.push(...p.rows.map((r) => r.id));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(121);
    expect(new Set(seen).size).toBe(121);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));

    const failures = await listSignIns(ctx, actor, { person: "emma", result: "failure" }, { limit: 500 });
    expect(failures.rows.length).toBe(12);
    expect(failures.rows.every((r) => r.displayName === "Emma Smith" && r.result === "failure")).toBe(true);
    expect((await listSignIns(ctx, actor, { person: "ghost" })).rows).toHaveLength(1);
    expect((await listSignIns(ctx, actor, { kind: "mfa" }, { limit: 500 })).rows).toHaveLength(40);
    expect((await listSignIns(ctx, actor, { clientIp: "10.9.9.9" })).rows).toHaveLength(0);
    const lastHour = await listSignIns(ctx, actor, { since: new Date(ctx.now().getTime() - hours(1)) }, { limit: 500 });
    expect(lastHour.rows).toHaveLength(61);
    // `%` and `_` are literal in the person filter.
    expect((await listSignIns(ctx, actor, { person: "%" })).rows).toHaveLength(0);
  });
});

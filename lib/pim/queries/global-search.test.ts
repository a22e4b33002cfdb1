import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testClock, testCtx } from "@/test/db";
import { seedDemo } from "@/db/seed";
import { demoGroups, demoUsers } from "@/db/demo-directory";
import { systemActor } from "../context";
import { SECURITY_READER, SECURITY_ADMINISTRATOR } from "../directory/builtin-roles";
import { searchDirectory } from "./global-search";
import { accessPathFor } from "./access-path";

/** Perparim holds Global Administrator (a PIM reader); Alex holds nothing active; Noah holds Security Reader. */
const person = (p: { id: string; displayName: string }) => ({
  id: p.id,
  type: "User" as const,
  displayName: p.displayName,
});
const perparim = person(demoUsers.perparim);
const alex = person(demoUsers.alex);
const noah = person(demoUsers.noah);

describe("top bar search and the way to access", () => {
  let h: Awaited<ReturnType<typeof createTestDb>>;
  const clock = testClock(new Date("2026-11-22T09:00:00Z"));
  beforeAll(async () => {
    h = await createTestDb();
    await seedDemo(h.db, clock.now());
  });
  afterAll(async () => h.drop());

  it("finds people by the start of their name or user principal name, case-insensitively, each once", async () => {
    const ctx = testCtx(h, clock);
    expect((await searchDirectory(ctx, alex, { q: "EMMA" })).people).toEqual([
      { id: demoUsers.emma.id, name: "Emma Smith", detail: demoUsers.emma.userPrincipalName },
    ]);
    // "sophia" starts both her name and her UPN: one hit.
    expect((await searchDirectory(ctx, alex, { q: "sophia" })).people.map((p) => p.id)).toEqual([demoUsers.sophia.id]);
    expect((await searchDirectory(ctx, alex, { q: "grace.miller@" })).people.map((p) => p.id)).toEqual([
      demoUsers.grace.id,
    ]);
    // A prefix, not a substring: "smith" does not start any name or UPN.
    expect((await searchDirectory(ctx, alex, { q: "smith" })).people).toEqual([]);
    // LIKE's wildcards are literal.
    expect((await searchDirectory(ctx, alex, { q: "%" })).people).toEqual([]);
    expect((await searchDirectory(ctx, alex, { q: "_mma" })).people).toEqual([]);
    expect(await searchDirectory(ctx, alex, { q: "   " })).toEqual({
      roles: [],
      people: [],
      groups: [],
      reader: false,
    });
  });

  it("finds roles anywhere in the name, those starting with it first; groups for PIM readers only", async () => {
    const ctx = testCtx(h, clock);
    const sec = await searchDirectory(ctx, alex, { q: "security" });
    expect(sec.roles.slice(0, 2).map((r) => r.name)).toEqual(["Security Administrator", "Security Reader"]);
    expect((await searchDirectory(ctx, alex, { q: "reader" })).roles.map((r) => r.id)).toContain(SECURITY_READER);
    expect(sec.reader).toBe(false);
    expect((await searchDirectory(ctx, alex, { q: "helpdesk" })).groups).toEqual([]);
    const admin = await searchDirectory(ctx, perparim, { q: "helpdesk" });
    expect(admin.reader).toBe(true);
    expect(admin.groups.map((g) => g.id)).toEqual([demoGroups.helpdeskTier2.id]);
    await expect(searchDirectory(ctx, systemActor, { q: "a" })).rejects.toMatchObject({ code: "Forbidden" });
  });

  it("names the roles that open a reader page and the ones the person may activate", async () => {
    const ctx = testCtx(h, clock);
    const forAlex = await accessPathFor(ctx, alex, "reader");
    expect(forAlex.roles.map((r) => r.displayName)).toEqual([
      "Global Administrator",
      "Privileged Role Administrator",
      "Security Administrator",
      "Security Reader",
      "Global Reader",
    ]);
    expect(forAlex.eligible).toEqual([]);
    // Noah is eligible for Security Administrator (directory-wide) in the demo.
    const forNoah = await accessPathFor(ctx, noah, "reader");
    expect(forNoah.eligible.map((e) => e.roleDefinitionId)).toEqual([SECURITY_ADMINISTRATOR]);
    expect((await accessPathFor(ctx, noah, "admin")).eligible).toEqual([]);
  });
});

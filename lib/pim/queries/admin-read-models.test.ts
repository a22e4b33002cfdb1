import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testClock, testCtx, days } from "@/test/db";
import { seedDemo } from "@/db/seed";
import { demoUsers } from "@/db/demo-directory";
import { roleAssignmentSchedules } from "@/db/schema";
import { GLOBAL_ADMINISTRATOR, HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR } from "../directory/builtin-roles";
import { listUsers } from "./list-users";
import { listRolesWithCounts } from "./list-roles-with-counts";
import { listScopes, principalNames, searchPrincipals } from "./search-principals";

/** Perparim holds Global Administrator in the demo (a PIM reader and admin); Alex holds nothing active. */
const perparim = { id: demoUsers.perparim.id, type: "User" as const, displayName: "Perparim Abdullahu" };
const alex = { id: demoUsers.alex.id, type: "User" as const, displayName: "Alex Johnson" };
const exact = (n: number) => ({ n, exact: true });

describe("admin read models", () => {
  let h: Awaited<ReturnType<typeof createTestDb>>;
  const clock = testClock(new Date("2026-11-22T09:00:00Z"));
  beforeAll(async () => {
    h = await createTestDb();
    await seedDemo(h.db, clock.now());
  });
  afterAll(async () => h.drop());

  it("pages users by name with a keyset cursor and counts the whole match", async () => {
    const ctx = testCtx(h, clock);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listUsers(ctx, perparim, { cursor, limit: 3 });
      expect(page.total).toEqual(exact(8));
      expect(page.rows.length).toBeLessThanOrEqual(3);
      seen.push(...page.rows.map((r) => r.displayName));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect([...seen].sort()).toEqual(seen);

    // And back: the previous cursor of page 2 gives page 1 again; page 1 has no previous.
    const p1 = await listUsers(ctx, perparim, { limit: 3 });
    expect(p1.prevCursor).toBeNull();
    const p2 = await listUsers(ctx, perparim, { cursor: p1.nextCursor, limit: 3 });
    const back = await listUsers(ctx, perparim, { cursor: p2.prevCursor, limit: 3 });
    expect(back.rows.map((r) => r.id)).toEqual(p1.rows.map((r) => r.id));
    expect(back.prevCursor).toBeNull();
    expect(back.nextCursor).not.toBeNull();
  });

  it("searches users by name, UPN or mail, treating % and _ literally", async () => {
    const ctx = testCtx(h, clock);
    const byName = await listUsers(ctx, perparim, { search: "sophia" });
    expect(byName.rows.map((r) => r.id)).toEqual([demoUsers.sophia.id]);
    const byUpn = await listUsers(ctx, perparim, { search: "emma.smith@" });
    expect(byUpn.total).toEqual(exact(1));
    const literal = await listUsers(ctx, perparim, { search: "%" });
    expect(literal.total).toEqual(exact(0));
    const garbage = await listUsers(ctx, perparim, { cursor: "not-a-cursor", limit: 100 });
    expect(garbage.rows).toHaveLength(8);
  });

  it("counts eligible and active members per role at the given moment", async () => {
    const ctx = testCtx(h, clock);
    const { roles } = await listRolesWithCounts(ctx, perparim);
    const byId = new Map(roles.map((r) => [r.id, r]));
    expect(byId.get(USER_ADMINISTRATOR)).toMatchObject({ eligibleCount: 2, activeCount: 0 });
    expect(byId.get(HELPDESK_ADMINISTRATOR)).toMatchObject({ eligibleCount: 1, activeCount: 0 });
    expect(byId.get(GLOBAL_ADMINISTRATOR)).toMatchObject({ eligibleCount: 0, activeCount: 1 });

    // A time-bound activation counts while its window covers now and not after it ended.
    const start = clock.now();
    await h.db.insert(roleAssignmentSchedules).values({
      principalId: demoUsers.sophia.id,
      principalType: "User",
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: "/",
      assignmentType: "Assigned",
      startDateTime: start,
      endDateTime: new Date(start.getTime() + days(1)),
    });
    expect((await listRolesWithCounts(ctx, perparim)).roles.find((r) => r.id === USER_ADMINISTRATOR)?.activeCount).toBe(
      1,
    );
    const later = testCtx(h, testClock(new Date(start.getTime() + days(2))));
    expect(
      (await listRolesWithCounts(later, perparim)).roles.find((r) => r.id === USER_ADMINISTRATOR)?.activeCount,
    ).toBe(0);
    expect((await listRolesWithCounts(ctx, perparim, { search: "user admin" })).roles.map((r) => r.id)).toEqual([
      USER_ADMINISTRATOR,
    ]);
  });

  it("offers enabled principals of the asked types and names scopes", async () => {
    const ctx = testCtx(h, clock);
    const users = await searchPrincipals(ctx, { query: "smith", types: ["User"] });
    expect(users.map((p) => p.displayName)).toEqual(["Emma Smith"]);
    const noSp = await searchPrincipals(ctx, { query: "pipeline", types: ["User", "Group"] });
    expect(noSp).toHaveLength(0);
    const sp = await searchPrincipals(ctx, { query: "pipeline", types: ["ServicePrincipal"] });
    expect(sp[0]?.type).toBe("ServicePrincipal");
    const groups = await searchPrincipals(ctx, { query: "", types: ["Group"] });
    expect(groups.map((g) => g.displayName)).toContain("Helpdesk Tier 2");
    const names = await principalNames(ctx, [demoUsers.emma.id]);
    expect(names.get(demoUsers.emma.id)?.displayName).toBe("Emma Smith");
    const scopes = await listScopes(ctx);
    expect(scopes[0]).toEqual({ directoryScopeId: "/", label: "Directory" });
    expect(scopes.map((s) => s.label)).toContain("New York Office (Administrative unit)");
  });
});

describe("activity log", () => {
  let h: Awaited<ReturnType<typeof createTestDb>>;
  const clock = testClock(new Date("2026-11-22T09:00:00Z"));
  beforeAll(async () => {
    h = await createTestDb();
    await seedDemo(h.db, clock.now());
    const { writeAudit } = await import("../audit");
    const grace = { id: demoUsers.grace.id, type: "User" as const, displayName: demoUsers.grace.displayName };
    for (let i = 0; i < 7; i++) {
      await h.db.transaction((tx) =>
        writeAudit(tx, new Date(clock.now().getTime() + i * 60_000), {
          activity: i % 2 ? "Remove eligible member from role" : "Add eligible member to role",
          operation: i % 2 ? "adminRemove" : "adminAssign",
          actor: grace,
          target: {
            id: i < 4 ? demoUsers.emma.id : demoUsers.alex.id,
            type: "User",
            name: i < 4 ? "Emma Smith" : "Alex Johnson",
          },
          role: { id: HELPDESK_ADMINISTRATOR, name: "Helpdesk Administrator" },
          directoryScopeId: "/",
          justification: `step ${i}`,
          result: i === 6 ? "failure" : "success",
        }),
      );
    }
  });
  afterAll(async () => h.drop());

  it("pages newest first and filters by actor, target, action, result, role, date and 'mine'", async () => {
    const { listActivity, iterateActivity } = await import("./activity-log");
    const ctx = testCtx(h, clock);
    const p1 = await listActivity(ctx, perparim, { view: "resource" }, { limit: 3 });
    expect(p1.total).toEqual(exact(7));
    expect(p1.rows.map((r) => r.justification)).toEqual(["step 6", "step 5", "step 4"]);
    const p2 = await listActivity(ctx, perparim, { view: "resource" }, { cursor: p1.nextCursor, limit: 3 });
    expect(p2.rows.map((r) => r.justification)).toEqual(["step 3", "step 2", "step 1"]);
    expect((await listActivity(ctx, perparim, { view: "resource", target: "emma" })).total).toEqual(exact(4));
    expect((await listActivity(ctx, perparim, { view: "resource", actor: "grace" })).total).toEqual(exact(7));
    expect((await listActivity(ctx, perparim, { view: "resource", actor: "sophia" })).total).toEqual(exact(0));
    expect((await listActivity(ctx, perparim, { view: "resource", action: "adminRemove" })).total).toEqual(exact(3));
    expect(
      (await listActivity(ctx, perparim, { view: "resource", action: "Add eligible member to role" })).total,
    ).toEqual(exact(4));
    expect(
      (await listActivity(ctx, perparim, { view: "resource", result: "failure" })).rows.map((r) => r.justification),
    ).toEqual(["step 6"]);
    expect(
      (await listActivity(ctx, perparim, { view: "resource", roleDefinitionId: USER_ADMINISTRATOR })).total,
    ).toEqual(exact(0));
    expect(
      (await listActivity(ctx, perparim, { view: "resource", since: new Date(clock.now().getTime() + 5 * 60_000) }))
        .total,
    ).toEqual(exact(2));
    expect((await listActivity(ctx, alex, { view: "mine" })).total).toEqual(exact(3));
    const all: string[] = [];
    for await (const r of iterateActivity(ctx, perparim, { view: "resource" }, 2)) all.push(r.justification ?? "");
    expect(all).toEqual(["step 6", "step 5", "step 4", "step 3", "step 2", "step 1", "step 0"]);
  });
});

describe("assignments blade", () => {
  let h: Awaited<ReturnType<typeof createTestDb>>;
  const clock = testClock(new Date("2026-11-22T09:00:00Z"));
  beforeAll(async () => {
    h = await createTestDb();
    await seedDemo(h.db, clock.now());
  });
  afterAll(async () => h.drop());

  it("lists each tab grouped by role, searches, pages both ways and counts", async () => {
    const { listBladeAssignments } = await import("./assignments-blade");
    const ctx = testCtx(h, clock);
    const eligible = await listBladeAssignments(ctx, perparim, { tab: "eligible" });
    expect(eligible.total).toEqual(exact(7));
    const roleOrder = eligible.rows.map((r) => r.roleName);
    expect([...roleOrder].sort()).toEqual(roleOrder);
    const emma = eligible.rows.find((r) => r.principalName === "Emma Smith");
    expect(emma).toMatchObject({
      roleName: "Helpdesk Administrator",
      principalType: "User",
      kind: "eligibility",
      memberType: "Direct",
    });
    expect(emma?.principalDetail).toBe(demoUsers.emma.userPrincipalName);
    expect(eligible.rows.find((r) => r.principalType === "Group")?.principalName).toBe("Helpdesk Tier 2");

    const active = await listBladeAssignments(ctx, perparim, { tab: "active" });
    expect(active.rows.map((r) => r.principalName).sort()).toEqual([
      "Build Pipeline",
      "Grace Miller",
      "Noah Wilson",
      "Perparim Abdullahu",
    ]);
    expect((await listBladeAssignments(ctx, perparim, { tab: "expired" })).total).toEqual(exact(0));

    const search = await listBladeAssignments(ctx, perparim, { tab: "eligible", search: "sophia.davis@" });
    expect(search.rows.map((r) => r.principalName)).toEqual(["Sophia Davis"]);
    expect(search.total).toEqual(exact(1));

    const p1 = await listBladeAssignments(ctx, perparim, { tab: "eligible", limit: 3 });
    const p2 = await listBladeAssignments(ctx, perparim, { tab: "eligible", limit: 3, cursor: p1.nextCursor });
    const p3 = await listBladeAssignments(ctx, perparim, { tab: "eligible", limit: 3, cursor: p2.nextCursor });
    expect([...p1.rows, ...p2.rows, ...p3.rows].map((r) => r.id)).toEqual(eligible.rows.map((r) => r.id));
    expect(p3.nextCursor).toBeNull();
    const back = await listBladeAssignments(ctx, perparim, { tab: "eligible", limit: 3, cursor: p2.prevCursor });
    expect(back.rows.map((r) => r.id)).toEqual(p1.rows.map((r) => r.id));
    expect(back.prevCursor).toBeNull();

    // A time-bound eligibility that ended yesterday shows on the Expired tab (the sweep need not have run).
    const { roleEligibilitySchedules } = await import("@/db/schema");
    await h.db.insert(roleEligibilitySchedules).values({
      principalId: demoUsers.liam.id,
      principalType: "User",
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: "/",
      startDateTime: new Date(clock.now().getTime() - days(10)),
      endDateTime: new Date(clock.now().getTime() - days(1)),
    });
    const expired = await listBladeAssignments(ctx, perparim, { tab: "expired" });
    expect(expired.rows.map((r) => [r.principalName, r.status])).toEqual([["Liam Carter", "Expired"]]);
    expect((await listBladeAssignments(ctx, perparim, { tab: "eligible" })).total).toEqual(exact(7));
  });
});

/**
 * The Groups blade's read model (PIM for Groups): keyset pages on the group's name, a name search, a fixed
 * number of statements whatever the rows shown, Forbidden for people who neither read PIM nor own a group, and
 * owners scoped to their own groups (with the Assignments blade and settings of their group open to them).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countStatements, days, hours } from "@/test/db";
import { pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import type { Principal, TestUser } from "@/test/fixtures/directory";
import { SECURITY_READER, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { manageGroup } from "@/lib/pim/use-cases/manage-group";
import { loadAssignmentsBlade } from "./assignments-blade";
import { listActivityFilterOptions } from "./activity-log";
import { listGroupsNotUnderPim, listGroupsUnderPim } from "./groups-under-pim";
import { getRoleSettingsView } from "./role-settings-view";

let w: PimWorld;
let reader: TestUser;
let plain: TestUser;
let owner: TestUser;
let owned: { g: Principal; member: string; ownerDef: string };
const managed: string[] = [];
const GROUPS = 23;

beforeAll(async () => {
  w = await pimWorld();
  w.clock.set(T0);
  [reader, plain, owner] = await w.d.users("Rita Reader", "Pat Plain", "Olive Owner");
  await w.d.active(reader, SECURITY_READER, { start: w.since });
  // 23 groups under PIM ("Team 00" … "Team 22"), each with an eligible and an active member; and groups not under PIM.
  for (let i = 0; i < GROUPS; i++) {
    const g = await w.d.group(`Team ${String(i).padStart(2, "0")}`);
    const m = await manageGroup(w.ctx, w.alice.actor(), { groupId: g.id });
    const u = await w.d.user(`Team member ${i}`);
    await w.d.eligible(u, m.memberDefinitionId, { start: w.since, end: new Date(T0.getTime() + days(30)) });
    await w.d.active(u, m.memberDefinitionId, { start: w.since, end: new Date(T0.getTime() + hours(1)) });
    managed.push(g.id);
  }
  for (let i = 0; i < 5; i++) await w.d.group(`Unmanaged ${i}`);
  const g = await w.d.group("Olive's Book Club", [], { isAssignableToRole: false, owners: [owner] });
  const m = await manageGroup(w.ctx, owner.actor(), { groupId: g.id });
  owned = { g, member: m.memberDefinitionId, ownerDef: m.ownerDefinitionId };
  await w.d.group("Olive's Garden Club", [], { isAssignableToRole: false, owners: [owner] });
  await w.d.group("Olive's Admins", [], { isAssignableToRole: true, owners: [owner] });
});
afterAll(async () => w.h.drop());

const statementsOf = async (fn: () => Promise<unknown>) => (await countStatements(fn)).statements.length;

describe("Groups blade: keyset pages and search", () => {
  it("walks every group under PIM forward and back in name order, each exactly once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    const pages: { cursor: string | null; names: string[] }[] = [];
    for (let i = 0; i < 10; i++) {
      const p = await listGroupsUnderPim(w.ctx, reader.actor(), { cursor, limit: 10 });
      pages.push({ cursor, names: p.groups.map((g) => g.displayName) });
      seen.push(...p.groups.map((g) => g.displayName));
      expect(p.total).toEqual({ n: GROUPS + 1, exact: true });
      if (!p.nextCursor) break;
      cursor = p.nextCursor;
    }
    const expected = [
      ...Array.from({ length: GROUPS }, (_, i) => `Team ${String(i).padStart(2, "0")}`),
      "Olive's Book Club",
    ].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
    expect(seen).toEqual(expected);
    expect(pages).toHaveLength(3);
    // back from the last page gives the middle page again
    const last = await listGroupsUnderPim(w.ctx, reader.actor(), { cursor: pages[2]?.cursor, limit: 10 });
    const back = await listGroupsUnderPim(w.ctx, reader.actor(), { cursor: last.prevCursor, limit: 10 });
    expect(back.groups.map((g) => g.displayName)).toEqual(pages[1]?.names);
    expect(last.nextCursor).toBeNull();
  });

  it("searches by name prefix, case-insensitively; counts and roles per row", async () => {
    const p = await listGroupsUnderPim(w.ctx, reader.actor(), { search: "team 1" });
    expect(p.groups.map((g) => g.displayName)).toEqual(Array.from({ length: 10 }, (_, i) => `Team 1${i}`));
    expect(p.total).toEqual({ n: 10, exact: true });
    expect(p.groups[0]).toMatchObject({
      eligibleCount: 1,
      activeCount: 1,
      canManageMembers: false,
      canSeeOwners: true,
    });
    const none = await listGroupsUnderPim(w.ctx, reader.actor(), { search: "unmanaged" });
    expect(none.groups).toEqual([]);
    // a malformed cursor reads as the first page
    const first = await listGroupsUnderPim(w.ctx, reader.actor(), { cursor: "%%%", limit: 5 });
    expect(first.groups.map((g) => g.displayName)[0]).toBe("Olive's Book Club");
  });

  it("costs the same few statements for 2 rows or 50, at any depth (≤ 10)", async () => {
    for (const who of [w.alice, reader, owner]) {
      const small = await statementsOf(() => listGroupsUnderPim(w.ctx, who.actor(), { limit: 2 }));
      const large = await statementsOf(() => listGroupsUnderPim(w.ctx, who.actor(), { limit: 50 }));
      const p1 = await listGroupsUnderPim(w.ctx, who.actor(), { limit: 2 });
      const deep = await statementsOf(() =>
        listGroupsUnderPim(w.ctx, who.actor(), { limit: 2, cursor: p1.nextCursor }),
      );
      const withCandidates = await statementsOf(() =>
        Promise.all([
          listGroupsUnderPim(w.ctx, who.actor(), { limit: 50 }),
          listGroupsNotUnderPim(w.ctx, who.actor(), { limit: 200 }),
        ]),
      );
      expect(large).toBe(small);
      expect(deep).toBe(small);
      expect(withCandidates).toBeLessThanOrEqual(10);
    }
  });
});

describe("Groups blade: who sees what", () => {
  it("Forbidden for someone who neither reads PIM nor owns a group", async () => {
    await rejects(listGroupsUnderPim(w.ctx, plain.actor()), "Forbidden", /owners/);
    await rejects(
      loadAssignmentsBlade(w.ctx, plain.actor(), { tab: "eligible", roleDefinitionId: owned.member }),
      "Forbidden",
    );
    await rejects(getRoleSettingsView(w.ctx, plain.actor(), { roleDefinitionId: owned.member }), "Forbidden");
    expect(await listGroupsNotUnderPim(w.ctx, plain.actor())).toEqual([]);
  });

  it("an owner sees only their groups and may manage the members, not the owners", async () => {
    const p = await listGroupsUnderPim(w.ctx, owner.actor());
    expect(p.viewer).toMatchObject({ reader: false, admin: false, owner: true });
    expect(p.groups.map((g) => [g.displayName, g.canManageMembers, g.canSeeOwners])).toEqual([
      ["Olive's Book Club", true, false],
    ]);
    // to bring under PIM: only the groups they own that are not role-assignable
    expect((await listGroupsNotUnderPim(w.ctx, owner.actor())).map((c) => c.displayName)).toEqual([
      "Olive's Garden Club",
    ]);
    const blade = await loadAssignmentsBlade(w.ctx, owner.actor(), { tab: "eligible", roleDefinitionId: owned.member });
    expect(blade.viewer.admin).toBe(true);
    // the Add form offers that one definition: nothing about the other groups under PIM
    expect(blade.policies.map((p) => p.roleDefinitionId)).toEqual([owned.member]);
    const ownersBlade = await loadAssignmentsBlade(w.ctx, owner.actor(), {
      tab: "eligible",
      roleDefinitionId: owned.ownerDef,
    });
    expect(ownersBlade.viewer.admin).toBe(false);
    expect((await getRoleSettingsView(w.ctx, owner.actor(), { roleDefinitionId: owned.member }))?.viewer.admin).toBe(
      true,
    );
    expect((await getRoleSettingsView(w.ctx, owner.actor(), { roleDefinitionId: owned.ownerDef }))?.viewer.admin).toBe(
      false,
    );
    // nothing on another group, nor a directory role, nor the whole blade
    const other = (await listGroupsUnderPim(w.ctx, w.alice.actor(), { search: "team 00" })).groups[0];
    await rejects(
      loadAssignmentsBlade(w.ctx, owner.actor(), { tab: "eligible", roleDefinitionId: other?.memberDefinitionId }),
      "Forbidden",
    );
    await rejects(getRoleSettingsView(w.ctx, owner.actor(), { roleDefinitionId: USER_ADMINISTRATOR }), "Forbidden");
    await rejects(loadAssignmentsBlade(w.ctx, owner.actor(), { tab: "eligible" }), "Forbidden");
  });

  it("a reader who owns a group may manage that group's members only; admins manage all", async () => {
    await w.d.addOwner({ id: managed[0] as string, type: "Group", displayName: "Team 00" }, reader);
    const p = await listGroupsUnderPim(w.ctx, reader.actor(), { search: "team 0" });
    expect(p.groups.map((g) => [g.displayName, g.canManageMembers]).slice(0, 2)).toEqual([
      ["Team 00", true],
      ["Team 01", false],
    ]);
    const a = await listGroupsUnderPim(w.ctx, w.alice.actor(), { search: "team 0" });
    expect(a.groups.every((g) => g.canManageMembers && g.canSeeOwners)).toBe(true);
    // the directory's blade offers directory roles only: the groups' access definitions (two per group under
    // PIM) have their own blades, and would make every load of the page grow with the groups
    const whole = await loadAssignmentsBlade(w.ctx, w.alice.actor(), { tab: "eligible" });
    const offered = new Set(whole.policies.map((x) => x.roleDefinitionId));
    expect(offered.has(USER_ADMINISTRATOR)).toBe(true);
    for (const g of a.groups) expect(offered.has(g.memberDefinitionId)).toBe(false);
    expect(offered.has(owned.member)).toBe(false);
    // Activity's role filter too, but for the definition a link already filters on
    const roles = (await listActivityFilterOptions(w.ctx)).roles.map((r) => r.id);
    expect(roles).toContain(USER_ADMINISTRATOR);
    expect(roles).not.toContain(owned.member);
    const linked = (await listActivityFilterOptions(w.ctx, { selectedRole: owned.member })).roles.map((r) => r.id);
    expect(linked).toContain(owned.member);
    expect(linked).not.toContain(a.groups[0]?.memberDefinitionId);
  });
});

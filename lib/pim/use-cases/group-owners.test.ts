import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { roleDefinitions, roleEligibilitySchedules } from "@/db/schema";
import { days, hours, minutes } from "@/test/db";
import { auditRows, pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import type { TestUser } from "@/test/fixtures/directory";
import { USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { checkGroupAccess } from "@/lib/pim/access/check-group-access";
import { isGroupOwner } from "@/lib/pim/groups/group-ownership";
import { pimRights } from "@/lib/pim/authz";
import { getRoleSettings } from "@/lib/pim/role-settings";
import { assignRole } from "./assign-role";
import { extendAssignment } from "./extend-assignment";
import { manageGroup } from "./manage-group";
import { removeAssignment } from "./remove-assignment";
import { renewAssignment } from "./renew-assignment";
import { updateAssignment } from "./update-assignment";
import { updateRoleSettings } from "./update-role-settings";

let w: PimWorld;
const at = (ms: number) => new Date(T0.getTime() + ms);
beforeAll(async () => {
  w = await pimWorld();
});
afterAll(async () => w.h.drop());

/** A non-role-assignable group owned (directory owner) by a new user, brought under PIM by that owner. */
async function ownedGroup(name: string) {
  w.clock.set(T0);
  const owner = await w.d.user(`${name} Owner`);
  const g = await w.d.group(name, [], { isAssignableToRole: false, owners: [owner] });
  const managed = await manageGroup(w.ctx, owner.actor(), { groupId: g.id, justification: "Our team's group" });
  return { g, owner, member: managed.memberDefinitionId, ownerDef: managed.ownerDefinitionId };
}

const eligibleFor = (actor: TestUser, definitionId: string, userId: string, end: Date | null = at(days(30))) =>
  assignRole(w.ctx, actor.actor(), {
    assignmentType: "Eligible",
    principalId: userId,
    principalType: "User",
    roleDefinitionId: definitionId,
    endDateTime: end,
    justification: "On the rota",
  });

describe("a group's owner brings it under PIM", () => {
  it("the owner of a non-role-assignable group can; audited as theirs", async () => {
    const { g, owner } = await ownedGroup("Design Reviewers");
    const defs = await w.h.db.select().from(roleDefinitions).where(eq(roleDefinitions.groupId, g.id));
    expect(defs.map((d) => d.accessId).sort()).toEqual(["member", "owner"]);
    const audit = (await auditRows(w.ctx, "group.manage")).filter((a) => a.target_id === g.id);
    expect(audit.map((a) => [a.result, a.actor_id])).toEqual([["success", owner.id]]);
  });

  it("the owner of a role-assignable group cannot; a non-owner cannot; both refusals audited, nothing written", async () => {
    w.clock.set(T0);
    const [owner, stranger] = await w.d.users("Assignable Owner", "Stranger");
    const assignable = await w.d.group("Tier 0 Operators", [], { isAssignableToRole: true, owners: [owner] });
    const plain = await w.d.group("Book Club", [], { isAssignableToRole: false, owners: [owner] });
    await rejects(manageGroup(w.ctx, owner.actor(), { groupId: assignable.id }), "Forbidden", /role-assignable/);
    await rejects(manageGroup(w.ctx, stranger.actor(), { groupId: plain.id }), "Forbidden", /owner of Book Club/);
    for (const g of [assignable, plain]) {
      expect(await w.h.db.select().from(roleDefinitions).where(eq(roleDefinitions.groupId, g.id))).toHaveLength(0);
    }
    const refused = (await auditRows(w.ctx, "group.manage")).filter(
      (a) => a.target_id === assignable.id || a.target_id === plain.id,
    );
    expect(refused.map((a) => [a.result, a.actor_id, a.target_id])).toEqual([
      ["failure", owner.id, assignable.id],
      ["failure", stranger.id, plain.id],
    ]);
    // an admin still may bring both
    await manageGroup(w.ctx, w.bob.actor(), { groupId: assignable.id });
    await manageGroup(w.ctx, w.bob.actor(), { groupId: plain.id });
  });

  it("bad input is refused with a clear message and nothing is written", async () => {
    const owner = await w.d.user("Typo Owner");
    await rejects(manageGroup(w.ctx, owner.actor(), { groupId: "not-a-uuid" }), "ValidationFailed", /Choose a group/);
  });
});

describe("an active owner manages the group's memberships and member settings", () => {
  it("adds, updates, extends, removes and renews member assignments of their group", async () => {
    const { g, owner, member } = await ownedGroup("Support Rota");
    const [eve, fay] = await w.d.users("Eve Member", "Fay Member");
    const e = await eligibleFor(owner, member, eve.id);
    const a = await assignRole(w.ctx, owner.actor({ mfaAt: T0 }), {
      assignmentType: "Active",
      principalId: fay.id,
      principalType: "User",
      roleDefinitionId: member,
      endDateTime: at(days(7)),
      justification: "Covering this week",
    });
    expect(
      (await checkGroupAccess(w.h.db, { principalId: fay.id, groupId: g.id, accessId: "member", at: T0 })).allowed,
    ).toBe(true);
    await updateAssignment(w.ctx, owner.actor(), {
      kind: "eligibility",
      scheduleId: e.schedule.id,
      endDateTime: at(days(20)),
      justification: "Shorter",
    });
    w.clock.set(at(hours(1)));
    await extendAssignment(w.ctx, owner.actor({ mfaAt: w.ctx.now() }), {
      kind: "assignment",
      scheduleId: a.schedule.id,
      endDateTime: at(days(10)),
      justification: "Another few days",
    });
    await removeAssignment(w.ctx, owner.actor(), {
      kind: "eligibility",
      scheduleId: e.schedule.id,
      justification: "Left the rota",
    });
    const renewed = await renewAssignment(w.ctx, owner.actor(), {
      kind: "eligibility",
      scheduleId: e.schedule.id,
      endDateTime: at(days(15)),
      justification: "Back on the rota",
    });
    expect(renewed.schedule.endDateTime).toEqual(at(days(15)));
    const ops = (await auditRows(w.ctx))
      .filter((r) => r.actor_id === owner.id && r.result === "success")
      .map((r) => r.operation);
    expect(ops).toEqual([
      "group.manage",
      "adminAssign",
      "adminAssign",
      "adminUpdate",
      "adminExtend",
      "adminRemove",
      "adminRenew",
    ]);
  });

  it("changes the member settings but not the owner settings nor a directory role's", async () => {
    const { owner, member, ownerDef } = await ownedGroup("Settings Rota");
    await updateRoleSettings(w.ctx, owner.actor(), { roleDefinitionId: member, activationMaxMinutes: 120 });
    expect((await getRoleSettings(w.h.db, member, "/")).activationMaxMinutes).toBe(120);
    await rejects(
      updateRoleSettings(w.ctx, owner.actor(), { roleDefinitionId: ownerDef, activationMaxMinutes: 120 }),
      "Forbidden",
    );
    await rejects(
      updateRoleSettings(w.ctx, owner.actor(), { roleDefinitionId: USER_ADMINISTRATOR, activationMaxMinutes: 120 }),
      "Forbidden",
    );
    await rejects(
      updateRoleSettings(w.ctx, owner.actor(), { roleDefinitionId: member, activationMaxMinutes: 5 }),
      "ValidationFailed",
      /at least 0.5 hours/,
    );
    expect((await getRoleSettings(w.h.db, member, "/")).activationMaxMinutes).toBe(120);
  });

  it("may not give ownership, nor touch another group's memberships; refusals audited", async () => {
    const a = await ownedGroup("Group A");
    const b = await ownedGroup("Group B");
    const x = await w.d.user("Xavier");
    await rejects(eligibleFor(a.owner, a.ownerDef, x.id), "Forbidden");
    await rejects(eligibleFor(a.owner, b.member, x.id), "Forbidden", /owner of Group B/);
    const onB = await eligibleFor(b.owner, b.member, x.id);
    w.clock.set(at(minutes(10)));
    await rejects(
      removeAssignment(w.ctx, a.owner.actor(), {
        kind: "eligibility",
        scheduleId: onB.schedule.id,
        justification: "x",
      }),
      "Forbidden",
      /owner of Group B/,
    );
    const [still] = await w.h.db
      .select()
      .from(roleEligibilitySchedules)
      .where(and(eq(roleEligibilitySchedules.id, onB.schedule.id)));
    expect(still?.status).toBe("Provisioned");
    const refusals = (await auditRows(w.ctx)).filter((r) => r.actor_id === a.owner.id && r.result === "failure");
    expect(refusals.map((r) => r.operation)).toEqual(["adminAssign", "adminAssign", "adminRemove"]);
  });

  it("PIM ownership counts only while active: an expired owner gets nothing, decided at the moment", async () => {
    const { g, member, ownerDef } = await ownedGroup("Timed Ownership");
    const [olga, y] = await w.d.users("Olga Timed Owner", "Yusuf");
    // Olga's ownership: active for 2 hours from T0 (given by an admin)
    await assignRole(w.ctx, w.alice.actor({ mfaAt: T0 }), {
      assignmentType: "Active",
      principalId: olga.id,
      principalType: "User",
      roleDefinitionId: ownerDef,
      endDateTime: at(hours(2)),
      justification: "Acting owner",
    });
    expect(await isGroupOwner(w.h.db, olga.id, g.id, at(hours(1)))).toBe(true);
    // the rights the chrome reads (the Groups menu entry): an owner, no PIM role
    expect(await pimRights(w.h.db, olga.id, at(hours(1)))).toEqual({ reader: false, admin: false, groupOwner: true });
    expect(await pimRights(w.h.db, olga.id, at(hours(2)))).toMatchObject({ groupOwner: false });
    expect(await pimRights(w.h.db, y.id, at(hours(1)))).toMatchObject({ groupOwner: false });
    expect(
      (await checkGroupAccess(w.h.db, { principalId: olga.id, groupId: g.id, accessId: "owner", at: at(hours(1)) }))
        .allowed,
    ).toBe(true);
    w.clock.set(at(hours(1)));
    await eligibleFor(olga, member, y.id);
    // the ownership ends at T0+2h; no sweep has run, the status is still Provisioned
    w.clock.set(at(hours(2)));
    expect(await isGroupOwner(w.h.db, olga.id, g.id, w.ctx.now())).toBe(false);
    const z = await w.d.user("Zoe");
    await rejects(eligibleFor(olga, member, z.id), "Forbidden", /owner of Timed Ownership/);
    await rejects(
      updateRoleSettings(w.ctx, olga.actor(), { roleDefinitionId: member, activationMaxMinutes: 60 }),
      "Forbidden",
    );
  });

  it("a disabled owner owns nothing", async () => {
    const { g, owner } = await ownedGroup("Disabled Owner Group");
    expect(await isGroupOwner(w.h.db, owner.id, g.id, T0)).toBe(true);
    await w.h.db.execute(sql`update users set account_enabled = false where id = ${owner.id}::uuid`);
    expect(await isGroupOwner(w.h.db, owner.id, g.id, T0)).toBe(false);
    expect(await pimRights(w.h.db, owner.id, T0)).toMatchObject({ groupOwner: false });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { roleAssignmentSchedules, roleDefinitions, scheduleRequests } from "@/db/schema";
import { days, hours, minutes } from "@/test/db";
import { auditRows, pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import type { Principal, TestUser } from "@/test/fixtures/directory";
import {
  AUTHENTICATION_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { checkAccess, effectiveRoles } from "@/lib/pim/access/check-access";
import { checkGroupAccess } from "@/lib/pim/access/check-group-access";
import { holdsAnyRoleNow } from "@/lib/pim/authz";
import { groupAccessDefinitionId } from "@/lib/pim/groups/access-definitions";
import { groupDefinitionsAmong, listGroupsNotUnderPim, listGroupsUnderPim } from "@/lib/pim/queries/groups-under-pim";
import { listRolesWithCounts } from "@/lib/pim/queries/list-roles-with-counts";
import { listBladeAssignments } from "@/lib/pim/queries/assignments-blade";
import { searchDirectory } from "@/lib/pim/queries/global-search";
import { activateRole } from "./activate-role";
import { assignRole } from "./assign-role";
import { cancelRequest } from "./cancel-request";
import { deactivateRole } from "./deactivate-role";
import { decideRequest } from "./decide-request";
import { expireDue } from "./expire-due";
import { manageGroup } from "./manage-group";
import { removeAssignment } from "./remove-assignment";
import { updateRoleSettings } from "./update-role-settings";

let w: PimWorld;
const at = (ms: number) => new Date(T0.getTime() + ms);
beforeAll(async () => {
  w = await pimWorld();
});
afterAll(async () => w.h.drop());

/** A role-assignable group holding Authentication Administrator (active, permanent), brought under PIM. */
async function helpdeskGroup(name: string) {
  w.clock.set(T0);
  const g = await w.d.group(name);
  await w.d.active(g, AUTHENTICATION_ADMINISTRATOR, { start: w.since });
  const managed = await manageGroup(w.ctx, w.alice.actor(), { groupId: g.id, justification: "PIM for helpdesk" });
  return { g, member: managed.memberDefinitionId, owner: managed.ownerDefinitionId };
}

async function eligibleMember(definitionId: string, name: string, end: Date | null = at(days(30))) {
  const u = await w.d.user(name);
  await assignRole(w.ctx, w.alice.actor(), {
    assignmentType: "Eligible",
    principalId: u.id,
    principalType: "User",
    roleDefinitionId: definitionId,
    endDateTime: end,
    justification: "On the helpdesk rota",
  });
  return u;
}

const authAdmin = (u: Principal, when: Date) =>
  checkAccess(w.h.db, { principalId: u.id, roleDefinitionId: AUTHENTICATION_ADMINISTRATOR, at: when });
const activate = (u: TestUser, definitionId: string, extra: Record<string, unknown> = {}) =>
  activateRole(w.ctx, u.actor({ mfaAt: w.ctx.now() }), {
    roleDefinitionId: definitionId,
    justification: "Password resets for the night shift",
    durationMinutes: 60,
    ...extra,
  });

describe("groups under management", () => {
  it("only an active GA/PRA brings a group under PIM, once; audited, refusals too", async () => {
    w.clock.set(T0);
    const g = await w.d.group("Finance Approvers");
    const carol = await w.d.user("Carol NotAdmin");
    await rejects(manageGroup(w.ctx, carol.actor(), { groupId: g.id }), "Forbidden", /Global Administrator/);
    const m = await manageGroup(w.ctx, w.bob.actor(), { groupId: g.id, justification: "govern it" });
    expect(await groupAccessDefinitionId(w.h.db, g.id, "member")).toBe(m.memberDefinitionId);
    expect(await groupAccessDefinitionId(w.h.db, g.id, "owner")).toBe(m.ownerDefinitionId);
    const defs = await w.h.db.select().from(roleDefinitions).where(eq(roleDefinitions.groupId, g.id));
    expect(defs.map((d) => [d.displayName, d.accessId, d.isPrivileged, d.allowedResourceActions]).sort()).toEqual([
      ["Finance Approvers (Member)", "member", false, []],
      ["Finance Approvers (Owner)", "owner", false, []],
    ]);
    await rejects(manageGroup(w.ctx, w.alice.actor(), { groupId: g.id }), "Conflict", /already managed by PIM/);
    const audit = (await auditRows(w.ctx, "group.manage")).filter((a) => a.target_id === g.id);
    expect(audit.map((a) => [a.result, a.actor_id])).toEqual([
      ["failure", carol.id],
      ["success", w.bob.id],
      ["failure", w.alice.id],
    ]);
    await rejects(groupAccessDefinitionId(w.h.db, (await w.d.group("Unmanaged")).id, "member"), "NotFound");
  });
});

describe("races and disabled people", () => {
  it("two admins bring one group under PIM at once: exactly one succeeds, one pair of definitions", async () => {
    w.clock.set(T0);
    const g = await w.d.group("Race Group");
    const results = await Promise.allSettled([
      manageGroup(w.ctx, w.alice.actor(), { groupId: g.id }),
      manageGroup(w.ctx, w.bob.actor(), { groupId: g.id }),
    ]);
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const defs = await w.h.db.select().from(roleDefinitions).where(eq(roleDefinitions.groupId, g.id));
    expect(defs.map((d) => d.accessId).sort()).toEqual(["member", "owner"]);
  });

  it("a disabled person's active membership grants neither the membership nor the group's roles", async () => {
    const { g, member } = await helpdeskGroup("Helpdesk Disabled");
    const u = await w.d.user("Soon Disabled");
    await w.d.active(u, member, { start: w.since, end: at(days(1)) });
    expect((await authAdmin(u, T0)).allowed).toBe(true);
    await w.h.db.execute(sql`update users set account_enabled = false where id = ${u.id}::uuid`);
    expect((await authAdmin(u, T0)).allowed).toBe(false);
    expect(
      (await checkGroupAccess(w.h.db, { principalId: u.id, groupId: g.id, accessId: "member", at: T0 })).allowed,
    ).toBe(false);
  });
});

describe("assignments of membership and ownership follow the role rules", () => {
  it("5-minute minimum, policy maximum, removal not within 5 minutes of creation", async () => {
    const { member, owner } = await helpdeskGroup("Helpdesk Rules");
    const u = await w.d.user("Rule Tester");
    const base = { principalId: u.id, principalType: "User" as const, justification: "rota" };
    await rejects(
      assignRole(w.ctx, w.alice.actor(), {
        ...base,
        assignmentType: "Eligible",
        roleDefinitionId: member,
        endDateTime: at(minutes(4)),
      }),
      "ExpirationRule",
      /at least 5 minutes/,
    );
    await updateRoleSettings(w.ctx, w.alice.actor(), {
      roleDefinitionId: owner,
      allowPermanentActive: false,
      activeMaxDays: 7,
    });
    await rejects(
      assignRole(w.ctx, w.alice.actor(), { ...base, assignmentType: "Active", roleDefinitionId: owner }),
      "ExpirationRule",
      /Permanent active assignments to Helpdesk Rules \(Owner\) are not allowed/,
    );
    const r = await assignRole(w.ctx, w.alice.actor(), {
      ...base,
      assignmentType: "Active",
      roleDefinitionId: owner,
      endDateTime: at(days(7)),
    });
    await rejects(
      removeAssignment(w.ctx, w.alice.actor(), { kind: "assignment", scheduleId: r.schedule.id, justification: "x" }),
      "ExpirationRule",
      /cannot be removed within 5 minutes/,
    );
    w.clock.set(at(minutes(6)));
    await removeAssignment(w.ctx, w.alice.actor(), {
      kind: "assignment",
      scheduleId: r.schedule.id,
      justification: "x",
    });
  });

  it("membership has no AU scope, no service principals, and a group is not a member of itself", async () => {
    const { g, member } = await helpdeskGroup("Helpdesk Targets");
    const au = await w.d.administrativeUnit("Targets Office");
    const u = await w.d.user("Target Person");
    const sp = await w.d.servicePrincipal("Target App");
    const base = { roleDefinitionId: member, justification: "rota", endDateTime: at(days(1)) };
    await rejects(
      assignRole(w.ctx, w.alice.actor(), {
        ...base,
        assignmentType: "Eligible",
        principalId: u.id,
        principalType: "User",
        directoryScopeId: au.scopeId,
      }),
      "ValidationFailed",
      /no administrative unit scope/,
    );
    await rejects(
      assignRole(w.ctx, w.alice.actor(), {
        ...base,
        assignmentType: "Active",
        principalId: sp.id,
        principalType: "ServicePrincipal",
      }),
      "ValidationFailed",
      /Only users and groups/,
    );
    await rejects(
      assignRole(w.ctx, w.alice.actor(), {
        ...base,
        assignmentType: "Eligible",
        principalId: g.id,
        principalType: "Group",
      }),
      "ValidationFailed",
      /member or owner of itself/,
    );
    await assignRole(w.ctx, w.alice.actor(), {
      ...base,
      assignmentType: "Eligible",
      principalId: u.id,
      principalType: "User",
    });
    await rejects(activate(u, member, { directoryScopeId: au.scopeId }), "ValidationFailed", /no administrative unit/);
  });

  it("ownership is answered by the group access check while its window lasts", async () => {
    const { g, owner } = await helpdeskGroup("Helpdesk Owners");
    const u = await w.d.user("Owner Person");
    await assignRole(w.ctx, w.alice.actor(), {
      assignmentType: "Active",
      principalId: u.id,
      principalType: "User",
      roleDefinitionId: owner,
      endDateTime: at(hours(2)),
      justification: "cover",
    });
    const q = { principalId: u.id, groupId: g.id, accessId: "owner" as const };
    expect((await checkGroupAccess(w.h.db, { ...q, at: T0 })).allowed).toBe(true);
    expect((await checkGroupAccess(w.h.db, { ...q, at: at(hours(2)) })).allowed).toBe(false);
    // ownership is not membership: no inherited role
    expect((await authAdmin(u, T0)).allowed).toBe(false);
    expect((await checkGroupAccess(w.h.db, { ...q, accessId: "member", at: T0 })).allowed).toBe(false);
  });
});

describe("activation of a membership, and what it grants", () => {
  it("Alex activates for 1 hour with justification and MFA, holds the group's role only inside the window (no sweep)", async () => {
    const { g, member } = await helpdeskGroup("Helpdesk Tier 2");
    await updateRoleSettings(w.ctx, w.alice.actor(), {
      roleDefinitionId: member,
      activationRequireMfa: true,
      activationRequireJustification: true,
      activationMaxMinutes: 120,
    });
    const alex = await eligibleMember(member, "Alex Wilber");
    expect((await authAdmin(alex, T0)).allowed).toBe(false);
    await rejects(
      activateRole(w.ctx, alex.actor(), { roleDefinitionId: member, justification: "x", durationMinutes: 60 }),
      "MfaRule",
    );
    await rejects(activate(alex, member, { justification: undefined }), "JustificationRule");
    await rejects(activate(alex, member, { durationMinutes: 180 }), "ExpirationRule", /at most 2 hours/);
    const r = await activate(alex, member);
    expect(r.status).toBe("Provisioned");
    const inside = await authAdmin(alex, at(minutes(59)));
    expect(inside.allowed).toBe(true);
    expect(inside.grantedBy).toEqual([expect.objectContaining({ memberType: "Group", viaGroupId: g.id })]);
    expect(
      (await checkGroupAccess(w.h.db, { principalId: alex.id, groupId: g.id, accessId: "member", at: T0 })).until,
    ).toEqual(at(hours(1)));
    expect((await effectiveRoles(w.h.db, alex.id, T0)).map((e) => e.roleName)).toContain(
      "Authentication Administrator",
    );
    // the instant the membership ends, the role is gone: nothing has swept
    expect((await authAdmin(alex, at(hours(1)))).allowed).toBe(false);
    expect((await effectiveRoles(w.h.db, alex.id, at(hours(1)))).map((e) => e.roleName)).not.toContain(
      "Authentication Administrator",
    );
    await rejects(activate(alex, member), "Conflict", /already active/);
    // deactivation (after 5 minutes) ends the inherited role at that moment
    w.clock.set(at(minutes(10)));
    await deactivateRole(w.ctx, alex.actor(), { scheduleId: r.schedule?.id as string });
    expect((await authAdmin(alex, at(minutes(10)))).allowed).toBe(false);
    expect((await authAdmin(alex, at(minutes(9)))).allowed).toBe(true);
  });

  it("a membership of a group holding PRA makes the member a PIM admin only while it lasts", async () => {
    w.clock.set(T0);
    const g = await w.d.group("PIM Operators");
    await w.d.active(g, PRIVILEGED_ROLE_ADMINISTRATOR, { start: w.since });
    const m = await manageGroup(w.ctx, w.alice.actor(), { groupId: g.id });
    const dana = await eligibleMember(m.memberDefinitionId, "Dana Ops");
    await activate(dana, m.memberDefinitionId);
    expect(await holdsAnyRoleNow(w.h.db, dana.id, [PRIVILEGED_ROLE_ADMINISTRATOR], at(minutes(30)))).toBe(true);
    expect(await holdsAnyRoleNow(w.h.db, dana.id, [PRIVILEGED_ROLE_ADMINISTRATOR], at(hours(1)))).toBe(false);
  });

  it("an eligibility held by a group counts for a member whose membership is active, only then", async () => {
    w.clock.set(T0);
    const g = await w.d.group("UA Pool");
    await w.d.eligible(g, USER_ADMINISTRATOR, { start: w.since });
    const m = await manageGroup(w.ctx, w.alice.actor(), { groupId: g.id });
    const erin = await eligibleMember(m.memberDefinitionId, "Erin Pool");
    await rejects(activate(erin, USER_ADMINISTRATOR), "EligibilityRule");
    await activate(erin, m.memberDefinitionId);
    const r = await activate(erin, USER_ADMINISTRATOR, { durationMinutes: 30 });
    expect(r.status).toBe("Provisioned");
  });

  it("two concurrent activations of one membership: exactly one lands", async () => {
    const { member } = await helpdeskGroup("Helpdesk Race");
    const u = await eligibleMember(member, "Racer One");
    const results = await Promise.allSettled([activate(u, member), activate(u, member)]);
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const rows = await w.h.db
      .select()
      .from(roleAssignmentSchedules)
      .where(eq(roleAssignmentSchedules.roleDefinitionId, member));
    expect(rows.filter((x) => x.principalId === u.id && x.assignmentType === "Activated")).toHaveLength(1);
  });

  it("approval: pending grants nothing; approve vs cancel race has one winner; approved membership grants the role", async () => {
    const { member } = await helpdeskGroup("Helpdesk Approval");
    await updateRoleSettings(w.ctx, w.alice.actor(), { roleDefinitionId: member, approvalRequired: true });
    const u = await eligibleMember(member, "Pending Person");
    const r = await activate(u, member);
    expect(r.status).toBe("PendingApproval");
    expect((await authAdmin(u, T0)).allowed).toBe(false);
    await rejects(
      decideRequest(w.ctx, u.actor(), { requestId: r.requestId, decision: "Approve", justification: "me" }),
      "Forbidden",
    );
    const race = await Promise.allSettled([
      decideRequest(w.ctx, w.bob.actor(), { requestId: r.requestId, decision: "Approve", justification: "ok" }),
      cancelRequest(w.ctx, u.actor(), { requestId: r.requestId }),
    ]);
    expect(race.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const [req] = await w.h.db.select().from(scheduleRequests).where(eq(scheduleRequests.id, r.requestId));
    const approved = race[0].status === "fulfilled";
    expect(req?.status).toBe(approved ? "Provisioned" : "Canceled");
    expect((await authAdmin(u, at(minutes(1)))).allowed).toBe(approved);
  });

  it("the sweep records an ended membership afterwards; access never waited for it", async () => {
    const { member } = await helpdeskGroup("Helpdesk Sweep");
    const u = await eligibleMember(member, "Sweep Person");
    const r = await activate(u, member);
    expect((await authAdmin(u, at(hours(1)))).allowed).toBe(false);
    w.clock.set(at(hours(2)));
    await expireDue(w.ctx);
    const [s] = await w.h.db
      .select()
      .from(roleAssignmentSchedules)
      .where(eq(roleAssignmentSchedules.id, r.schedule?.id as string));
    expect(s?.status).toBe("Expired");
  });
});

describe("property: a role inherited through a group is live exactly inside the membership's window", () => {
  it("for random windows and instants, checkAccess agrees with start <= t < end", async () => {
    const { g, member } = await helpdeskGroup("Helpdesk Property");
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 12; i++) {
      const u = await w.d.user(`Prop ${i}`);
      const start = at(Math.floor(rnd() * days(2)));
      const end = new Date(start.getTime() + minutes(5) + Math.floor(rnd() * hours(10)));
      await w.d.active(u, member, { start, end });
      for (let k = 0; k < 8; k++) {
        const t = at(Math.floor(rnd() * days(3)) - hours(6));
        const inside = start <= t && t < end;
        expect((await authAdmin(u, t)).allowed).toBe(inside);
        expect(
          (await checkGroupAccess(w.h.db, { principalId: u.id, groupId: g.id, accessId: "member", at: t })).allowed,
        ).toBe(inside);
      }
      for (const t of [start, new Date(end.getTime() - 1)]) expect((await authAdmin(u, t)).allowed).toBe(true);
      for (const t of [new Date(start.getTime() - 1), end]) expect((await authAdmin(u, t)).allowed).toBe(false);
    }
  });
});

describe("read models of groups under PIM", () => {
  it("the Groups blade lists managed groups with counts and held roles; readers only; Roles page leaves them out", async () => {
    const { g, member, owner } = await helpdeskGroup("Helpdesk Listing");
    await eligibleMember(member, "Listed Eligible");
    const act = await eligibleMember(member, "Listed Active");
    await activate(act, member);
    const outsider = await w.d.user("Not A Reader");
    await rejects(listGroupsUnderPim(w.ctx, outsider.actor()), "Forbidden");
    const { groups, viewer } = await listGroupsUnderPim(w.ctx, w.alice.actor());
    expect(viewer.admin).toBe(true);
    const row = groups.find((x) => x.groupId === g.id);
    expect(row).toMatchObject({
      displayName: "Helpdesk Listing",
      memberDefinitionId: member,
      ownerDefinitionId: owner,
      eligibleCount: 2,
      activeCount: 1,
      rolesHeld: ["Authentication Administrator"],
    });
    const unmanaged = await w.d.group("Helpdesk Unmanaged");
    const candidates = await listGroupsNotUnderPim(w.ctx, w.alice.actor(), { search: "helpdesk" });
    expect(candidates.map((c) => c.id)).toContain(unmanaged.id);
    expect(candidates.map((c) => c.id)).not.toContain(g.id);
    const defs = await groupDefinitionsAmong(w.ctx, [member, owner, USER_ADMINISTRATOR]);
    expect([...defs.entries()].map(([id, d]) => [id, d.accessId, d.groupName]).sort()).toEqual(
      [
        [member, "member", "Helpdesk Listing"],
        [owner, "owner", "Helpdesk Listing"],
      ].sort(),
    );
    const { roles } = await listRolesWithCounts(w.ctx, w.alice.actor());
    expect(roles.map((r) => r.id)).toContain(USER_ADMINISTRATOR);
    expect(roles.map((r) => r.id)).not.toContain(member);
    // The all-roles Assignments blade and the top bar's role results are directory roles only; the group's own
    // blade (its member definition) lists its memberships.
    const allRoles = await listBladeAssignments(w.ctx, w.alice.actor(), { tab: "eligible", search: "Listed" });
    expect(allRoles.rows.filter((r) => r.roleDefinitionId === member)).toEqual([]);
    const groupBlade = await listBladeAssignments(w.ctx, w.alice.actor(), {
      tab: "eligible",
      roleDefinitionId: member,
    });
    expect(groupBlade.rows.length).toBe(2);
    const found = await searchDirectory(w.ctx, w.alice.actor(), { q: "Helpdesk Listing" });
    expect(found.roles).toEqual([]);
  });
});

/**
 * PIM for Groups in the generated tenant: some groups are under PIM (a "member" and an "owner" access
 * definition each, as `manageGroup` makes them) with eligible and active memberships and ownerships, so the
 * access-check benchmark's group questions (and the Groups page) meet real data. Written after the bulk load
 * with ordinary inserts (the blade's name triggers fill the sort names). Counted inside the size's schedule
 * budget: the bulk phases make `plan.eligibilities` and `plan.assignments` fewer rows.
 */
import { randomUUID } from "node:crypto";
import { roleAssignmentSchedules, roleDefinitions, roleEligibilitySchedules } from "@/db/schema";
import type { Db } from "@/db/types";
import { HELPDESK_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { accessDefinitionName } from "@/lib/pim/groups/access-definitions";
import { activatorId, personas } from "./personas";
import type { SizeSpec } from "./sizes";

/** The directory role group 0 holds (what its active members inherit). */
export const PIM_GROUP_ROLE = HELPDESK_ADMINISTRATOR;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Per group: 4 eligible members + 1 eligible owner; 1 activated + 1 assigned membership + 1 assigned owner. */
const ELIG_PER_GROUP = 5;
const ASG_PER_GROUP = 3;

/** How many groups go under PIM (groups after the three special ones), and the schedules that takes. */
export function pimGroupPlan(spec: SizeSpec): { groups: number; eligibilities: number; assignments: number } {
  const groups = Math.max(1, Math.min(spec.groups - 3, Math.round(spec.groups * 0.4)));
  return { groups, eligibilities: groups * ELIG_PER_GROUP, assignments: groups * ASG_PER_GROUP + 1 };
}

type Row = Record<string, unknown>;

/**
 * Brings `groups` (ids `pimGroupId(j)`, already written) under PIM and writes their schedules. `someone()`
 * picks an ordinary user. Returns the rows written per table.
 */
export async function writePimGroups(
  db: Db,
  o: { now: Date; groups: { id: string; name: string }[]; someone: () => string; createdBy: string },
): Promise<{ definitions: number; eligibilities: number; assignments: number }> {
  const t = o.now.getTime();
  const since = new Date(t - 90 * DAY);
  const defs: Row[] = [];
  const elig: Row[] = [];
  const asg: Row[] = [];
  const sched = (principalId: string, roleDefinitionId: string, end: Date | null, start = since) => ({
    id: randomUUID(),
    principalId,
    principalType: "User",
    roleDefinitionId,
    directoryScopeId: "/",
    memberType: "Direct",
    status: "Provisioned",
    startDateTime: start,
    endDateTime: end,
    createdBy: o.createdBy,
    createdAt: start,
    updatedAt: start,
  });
  const assigned = (principalId: string, roleDefinitionId: string, end: Date | null) => ({
    ...sched(principalId, roleDefinitionId, end),
    assignmentType: "Assigned",
    eligibilityScheduleId: null,
    origin: "pim",
  });
  o.groups.forEach((g, j) => {
    const member = randomUUID();
    const owner = randomUUID();
    for (const [id, accessId] of [
      [member, "member"],
      [owner, "owner"],
    ] as const)
      defs.push({
        id,
        displayName: accessDefinitionName(g.name, accessId),
        description: `${accessId === "member" ? "Membership" : "Ownership"} of the group ${g.name}, governed by PIM.`,
        isBuiltIn: false,
        isPrivileged: false,
        groupId: g.id,
        accessId,
        createdAt: since,
      });
    const first = j === 0;
    // seven different people per group (no overlapping schedules of one person, as the engine would refuse)
    const fixed = first ? [activatorId(1), activatorId(0), personas.user.id] : [];
    const people = new Set<string>(fixed);
    while (people.size < 7 + fixed.length) people.add(o.someone());
    const [p0, p1, p2, p3, p4, p5, p6] = [...people].slice(fixed.length) as string[];
    // eligible members (the first of group 0 is activator 1: eligible only, never active)
    const eligible = [first ? activatorId(1) : (p0 as string), p1 as string, p2 as string, p3 as string];
    const eligRows = eligible.map((p, k) => sched(p, member, k % 2 ? new Date(t + (30 + j) * DAY) : null));
    elig.push(...eligRows, sched(p4 as string, owner, new Date(t + 180 * DAY)));
    // an activation of the second eligible member, live now (1 hour left)
    const from = eligRows[1] as Row;
    asg.push({
      ...sched(String(from.principalId), member, new Date(t + HOUR), new Date(t - HOUR)),
      assignmentType: "Activated",
      eligibilityScheduleId: from.id,
      origin: "pim",
    });
    // an assigned membership (group 0: activator 0, permanent) and an assigned ownership (group 0: Uma)
    asg.push(assigned(first ? activatorId(0) : (p5 as string), member, first ? null : new Date(t + 14 * DAY)));
    asg.push(assigned(first ? personas.user.id : (p6 as string), owner, null));
  });
  // group 0 holds a directory role: its active members inherit it while their membership lasts
  const g0 = o.groups[0];
  if (g0) asg.push({ ...assigned(g0.id, PIM_GROUP_ROLE, null), principalType: "Group" });
  await db.insert(roleDefinitions).values(defs as (typeof roleDefinitions.$inferInsert)[]);
  for (let i = 0; i < elig.length; i += 1000)
    await db
      .insert(roleEligibilitySchedules)
      .values(elig.slice(i, i + 1000) as (typeof roleEligibilitySchedules.$inferInsert)[]);
  for (let i = 0; i < asg.length; i += 1000)
    await db
      .insert(roleAssignmentSchedules)
      .values(asg.slice(i, i + 1000) as (typeof roleAssignmentSchedules.$inferInsert)[]);
  return { definitions: defs.length, eligibilities: elig.length, assignments: asg.length };
}

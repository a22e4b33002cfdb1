import { and, eq, gt, inArray, isNull, lte, ne, or } from "drizzle-orm";
import type { ApprovalStage } from "@/db/schema";
import { groupMembers, roleAssignmentSchedules, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { PIM_ADMIN_ROLE_IDS } from "@/lib/pim/directory/builtin-roles";
import { managesPim } from "../authz";

/** A portal user who receives a notice (in the bell, and by email when they have an address). */
export type Person = { userId: string; name: string; email: string | null };

const personCols = {
  userId: users.id,
  name: users.displayName,
  mail: users.mail,
  upn: users.userPrincipalName,
};

type PersonRow = { userId: string; name: string; mail: string | null; upn: string };

const looksLikeEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);

export function toPerson(r: PersonRow): Person {
  const email = r.mail && looksLikeEmail(r.mail) ? r.mail : looksLikeEmail(r.upn) ? r.upn : null;
  return { userId: r.userId, name: r.name, email };
}

function uniq(people: Person[]): Person[] {
  const seen = new Set<string>();
  return people.filter((p) => (seen.has(p.userId) ? false : (seen.add(p.userId), true)));
}

/** Enabled users by id, plus the enabled members of the given groups. */
export async function peopleOf(tx: Db, userIds: string[], groupIds: string[]): Promise<Person[]> {
  const out: Person[] = [];
  if (userIds.length > 0) {
    const rows = await tx
      .select(personCols)
      .from(users)
      .where(and(inArray(users.id, userIds), eq(users.accountEnabled, true)));
    out.push(...rows.map(toPerson));
  }
  if (groupIds.length > 0) {
    const rows = await tx
      .select(personCols)
      .from(groupMembers)
      .innerJoin(users, eq(users.id, groupMembers.userId))
      .where(and(inArray(groupMembers.groupId, groupIds), eq(users.accountEnabled, true)));
    out.push(...rows.map(toPerson));
  }
  return uniq(out).sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
}

/**
 * Holders of Global Administrator or Privileged Role Administrator at this moment (directly or
 * through a group): the "admins" of the notification matrix, and the default approvers.
 */
export async function pimAdmins(tx: Db, now: Date): Promise<Person[]> {
  const rows = await tx
    .select({ principalType: roleAssignmentSchedules.principalType, principalId: roleAssignmentSchedules.principalId })
    .from(roleAssignmentSchedules)
    .where(
      and(
        inArray(roleAssignmentSchedules.roleDefinitionId, [...PIM_ADMIN_ROLE_IDS]),
        managesPim(roleAssignmentSchedules.roleDefinitionId),
        eq(roleAssignmentSchedules.directoryScopeId, "/"),
        ne(roleAssignmentSchedules.status, "Canceled"),
        lte(roleAssignmentSchedules.startDateTime, now),
        or(isNull(roleAssignmentSchedules.endDateTime), gt(roleAssignmentSchedules.endDateTime, now)),
      ),
    );
  const userIds = rows.filter((r) => r.principalType === "User").map((r) => r.principalId);
  const groupIds = rows.filter((r) => r.principalType === "Group").map((r) => r.principalId);
  return peopleOf(tx, [...new Set(userIds)], [...new Set(groupIds)]);
}

/**
 * An audience's people, described rather than listed: the fan-out lets the database resolve it (notice-insert.ts),
 * so a notice to 400 admins never brings 400 people into Node. `resolvePeople` lists the same people.
 */
export type PeopleSource = {
  /** Enabled users by id. */
  userIds: string[];
  /** Enabled members of these groups. */
  groupIds: string[];
  /** The GA/PRA holders at the event's time (`pimAdmins`). */
  admins: boolean;
  /** Never these users (the requester is no approver of their own request). */
  exclude: string[];
};

const noOne: PeopleSource = { userIds: [], groupIds: [], admins: false, exclude: [] };

/** The people a principal stands for (`peopleOfPrincipal`), as a source. */
export function principalSource(
  principalType: "User" | "Group" | "ServicePrincipal",
  principalId: string,
): PeopleSource {
  if (principalType === "User") return { ...noOne, userIds: [principalId] };
  if (principalType === "Group") return { ...noOne, groupIds: [principalId] };
  return noOne;
}

export const adminsSource = (): PeopleSource => ({ ...noOne, admins: true });

/** `approversOf` as a source: the named users and groups of the stages, or the PIM admins when none are named. */
export function approversSource(stages: ApprovalStage[], excludeUserIds: (string | null | undefined)[]): PeopleSource {
  const named = stages.flatMap((s) => s.approvers ?? []);
  const exclude = [...new Set(excludeUserIds.filter((x): x is string => Boolean(x)))];
  if (named.length === 0) return { ...adminsSource(), exclude };
  return {
    userIds: [...new Set(named.filter((a) => a.type === "User").map((a) => a.id))],
    groupIds: [...new Set(named.filter((a) => a.type === "Group").map((a) => a.id))],
    admins: false,
    exclude,
  };
}

/** The people of a source, listed in Node (sorted by name): what the database resolves in the fan-out. */
export async function resolvePeople(tx: Db, now: Date, src: PeopleSource): Promise<Person[]> {
  const named = await peopleOf(tx, src.userIds, src.groupIds);
  const admins = src.admins ? await pimAdmins(tx, now) : [];
  const excluded = new Set(src.exclude);
  return uniq([...named, ...admins])
    .filter((p) => !excluded.has(p.userId))
    .sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
}

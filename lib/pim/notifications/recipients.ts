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

/** The people a subject's principal stands for (uses the user already loaded with the subject). */
export function holdersOf(
  tx: Db,
  s: { principalType: "User" | "Group" | "ServicePrincipal"; principalId: string; principalPeople?: Person[] },
) {
  return s.principalPeople ? Promise.resolve(s.principalPeople) : peopleOfPrincipal(tx, s.principalType, s.principalId);
}

/** The people behind a principal: a user is themself, a group is its members, a service principal nobody. */
export function peopleOfPrincipal(tx: Db, principalType: "User" | "Group" | "ServicePrincipal", principalId: string) {
  if (principalType === "User") return peopleOf(tx, [principalId], []);
  if (principalType === "Group") return peopleOf(tx, [], [principalId]);
  return Promise.resolve([] as Person[]);
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
 * Approvers of a request: the named users and members of named groups of the given stages; when
 * none are named, the PIM admins (Entra's rule). Never the requester (no self-approval).
 */
export async function approversOf(
  tx: Db,
  now: Date,
  stages: ApprovalStage[],
  excludeUserIds: (string | null | undefined)[],
): Promise<Person[]> {
  const named = stages.flatMap((s) => s.approvers ?? []);
  const people =
    named.length > 0
      ? await peopleOf(
          tx,
          [...new Set(named.filter((a) => a.type === "User").map((a) => a.id))],
          [...new Set(named.filter((a) => a.type === "Group").map((a) => a.id))],
        )
      : await pimAdmins(tx, now);
  const excluded = new Set(excludeUserIds.filter((x): x is string => Boolean(x)));
  return people.filter((p) => !excluded.has(p.userId));
}

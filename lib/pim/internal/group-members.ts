import { and, eq, inArray, notInArray } from "drizzle-orm";
import { groupMembers, users } from "@/db/schema";
import type { Db } from "@/db/types";
import type { AuditInput } from "../audit";
import type { Actor } from "../context";
import { PimError } from "../errors";
import { assertUsersExist, UUID } from "./provisioning";

type Group = { id: string; displayName: string };

async function names(tx: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** One audit row per member added or removed (target: the person), as Entra's audit log has them. */
async function memberRows(tx: Db, actor: Actor, g: Group, ids: string[], added: boolean): Promise<AuditInput[]> {
  const n = await names(tx, ids);
  return ids.map((id) => ({
    category: "GroupManagement",
    activity: added ? "Add member to group" : "Remove member from group",
    operation: added ? "scim.group.addMember" : "scim.group.removeMember",
    actor,
    target: { id, type: "User" as const, name: n.get(id) ?? id },
    details: { source: "SCIM", groupId: g.id, groupName: g.displayName },
  }));
}

/**
 * Membership changes of a group (locked by the caller), returning their audit rows. Access follows at the
 * moment of the next check: the access check reads group_members live. Adding a member already there, or
 * removing one who is not, changes nothing and writes no row (SCIM clients repeat themselves).
 */
export async function addMembers(tx: Db, now: Date, actor: Actor, g: Group, ids: string[]): Promise<AuditInput[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  await assertUsersExist(tx, unique, "members");
  const inserted = await tx
    .insert(groupMembers)
    .values(unique.map((userId) => ({ groupId: g.id, userId, addedAt: now })))
    .onConflictDoNothing()
    .returning({ userId: groupMembers.userId });
  return memberRows(
    tx,
    actor,
    g,
    inserted.map((r) => r.userId),
    true,
  );
}

export async function removeMembers(tx: Db, actor: Actor, g: Group, ids: string[] | "all"): Promise<AuditInput[]> {
  if (ids !== "all" && ids.length === 0) return [];
  // Removing someone who is not a member changes nothing; an id that is no user id at all is a mistake to say.
  const bad = ids === "all" ? undefined : ids.find((id) => !UUID.test(id));
  if (bad !== undefined) throw new PimError("ValidationFailed", `members: ${bad} is not a user id.`);
  const removed = await tx
    .delete(groupMembers)
    .where(
      ids === "all"
        ? eq(groupMembers.groupId, g.id)
        : and(eq(groupMembers.groupId, g.id), inArray(groupMembers.userId, [...new Set(ids)])),
    )
    .returning({ userId: groupMembers.userId });
  return memberRows(
    tx,
    actor,
    g,
    removed.map((r) => r.userId),
    false,
  );
}

/** The members become exactly `ids`: those not listed are removed, the new ones added. */
export async function replaceMembers(tx: Db, now: Date, actor: Actor, g: Group, ids: string[]): Promise<AuditInput[]> {
  const unique = [...new Set(ids)];
  await assertUsersExist(tx, unique, "members");
  const removed = await tx
    .delete(groupMembers)
    .where(
      unique.length
        ? and(eq(groupMembers.groupId, g.id), notInArray(groupMembers.userId, unique))
        : eq(groupMembers.groupId, g.id),
    )
    .returning({ userId: groupMembers.userId });
  const rows = await memberRows(
    tx,
    actor,
    g,
    removed.map((r) => r.userId),
    false,
  );
  return [...rows, ...(await addMembers(tx, now, actor, g, unique))];
}

import { and, eq } from "drizzle-orm";
import { groups, roleDefinitions } from "@/db/schema";
import type { Db } from "@/db/types";
import { PimError } from "../errors";

/**
 * PIM for Groups (issue 15). A group under PIM has two access definitions, "member" and "owner": rows of
 * role_definitions tied to the group (`group_id`, `access_id`), with no permissions of their own. Eligible and
 * active memberships/ownerships are ordinary schedules of them, so assignment, activation, approval, settings,
 * audit, notifications and the expiry sweep follow the role rules unchanged. What a membership grants is the
 * group's own roles, counted by the access check only while the membership's window covers the instant
 * (`principalAndGroups(…, at)`).
 */
export type GroupAccessId = "member" | "owner";
export const GROUP_ACCESS_IDS: readonly GroupAccessId[] = ["member", "owner"];

/** The display name of a group's access definition, e.g. "Helpdesk Tier 2 (Member)" (audit rows and lists show it). */
export const accessDefinitionName = (groupName: string, accessId: GroupAccessId) =>
  `${groupName} (${accessId === "member" ? "Member" : "Owner"})`;

export type GroupUnderPim = {
  groupId: string;
  groupName: string;
  isAssignableToRole: boolean;
  memberDefinitionId: string;
  ownerDefinitionId: string;
};

/** The id of the access definition for `accessId` on `groupId`, or NotFound when the group is not under PIM. */
export async function groupAccessDefinitionId(db: Db, groupId: string, accessId: GroupAccessId): Promise<string> {
  const [r] = await db
    .select({ id: roleDefinitions.id })
    .from(roleDefinitions)
    .where(and(eq(roleDefinitions.groupId, groupId), eq(roleDefinitions.accessId, accessId)))
    .limit(1);
  if (!r) throw new PimError("NotFound", "This group is not managed by PIM. Bring it under PIM first.");
  return r.id;
}

/** The group behind an access definition id (null for a directory role). */
export async function groupOfDefinition(
  db: Db,
  roleDefinitionId: string,
): Promise<{ groupId: string; accessId: GroupAccessId; groupName: string } | null> {
  const [r] = await db
    .select({ groupId: roleDefinitions.groupId, accessId: roleDefinitions.accessId, groupName: groups.displayName })
    .from(roleDefinitions)
    .innerJoin(groups, eq(groups.id, roleDefinitions.groupId))
    .where(eq(roleDefinitions.id, roleDefinitionId))
    .limit(1);
  return r && r.groupId && r.accessId ? { groupId: r.groupId, accessId: r.accessId, groupName: r.groupName } : null;
}

/**
 * The extra rules of a group's membership/ownership (PIM for Groups): it has no scope but the group (the
 * directory, "/"), only users and groups hold it (no service principals), and a group is not a member or owner
 * of itself. No-op for a directory role.
 */
export function checkGroupAccessTarget(
  role: { name: string; groupId?: string | null },
  scopeId: string,
  principal?: { id: string; type: "User" | "Group" | "ServicePrincipal" },
): void {
  if (!role.groupId) return;
  if (scopeId !== "/")
    throw new PimError("ValidationFailed", `${role.name} has no administrative unit scope; use the directory ("/").`);
  if (principal?.type === "ServicePrincipal")
    throw new PimError("ValidationFailed", `Only users and groups can be given ${role.name}.`);
  if (principal?.id === role.groupId)
    throw new PimError("ValidationFailed", "A group cannot be a member or owner of itself.");
}

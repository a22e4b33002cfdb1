import { and, eq } from "drizzle-orm";
import { groups, roleDefinitions } from "@/db/schema";
import { manageGroupInput, type ManageGroupInput } from "@/lib/validation/groups";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { assertMayBringUnderPim } from "../groups/group-ownership";
import { accessDefinitionName, GROUP_ACCESS_IDS, type GroupUnderPim } from "../groups/access-definitions";
import { auditChange, lockKey, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

export const MANAGE_GROUP_ACTIVITY = "Onboard group to PIM completed";

/**
 * Brings a group under PIM (Entra: Groups → Discover groups → Manage groups): creates the group's "member"
 * and "owner" access definitions, so its membership and ownership can be given as eligible or active and are
 * governed by their own settings (Entra's defaults until changed). An active Global Administrator or
 * Privileged Role Administrator may bring any group; an owner of a group that is not role-assignable may bring
 * that group (`assertMayBringUnderPim`). A group already under PIM is refused (Conflict). Audited.
 */
export async function manageGroup(ctx: Ctx, actor: Actor, raw: ManageGroupInput): Promise<GroupUnderPim> {
  const input = parseInput(manageGroupInput, raw);
  const meta: UseCaseMeta = {
    operation: "group.manage",
    activity: MANAGE_GROUP_ACTIVITY,
    category: "GroupManagement",
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    const [g] = await tx
      .select({ id: groups.id, name: groups.displayName, assignable: groups.isAssignableToRole })
      .from(groups)
      .where(eq(groups.id, input.groupId))
      .limit(1);
    if (!g) throw new PimError("NotFound", "The group was not found.");
    meta.target = { id: g.id, type: "Group", name: g.name };
    await assertMayBringUnderPim(tx, actor, now, { id: g.id, name: g.name, assignable: g.assignable });
    await lockKey(tx, `group.manage:${g.id}`);
    const existing = await tx
      .select({ id: roleDefinitions.id })
      .from(roleDefinitions)
      .where(and(eq(roleDefinitions.groupId, g.id)))
      .limit(1);
    if (existing.length > 0) throw new PimError("Conflict", `${g.name} is already managed by PIM.`);
    const ids: Record<string, string> = {};
    for (const accessId of GROUP_ACCESS_IDS) {
      const [row] = await tx
        .insert(roleDefinitions)
        .values({
          displayName: accessDefinitionName(g.name, accessId),
          description: `${accessId === "member" ? "Membership" : "Ownership"} of the group ${g.name}, governed by PIM.`,
          isBuiltIn: false,
          isPrivileged: false,
          groupId: g.id,
          accessId,
          createdAt: now,
        })
        .returning({ id: roleDefinitions.id });
      if (!row) throw new Error("insert returned no row");
      ids[accessId] = row.id;
    }
    await auditChange(tx, now, {
      activity: MANAGE_GROUP_ACTIVITY,
      operation: "group.manage",
      category: "GroupManagement",
      actor,
      target: meta.target,
      justification: input.justification,
      changed: [g.id, ids.member as string, ids.owner as string],
      details: { groupId: g.id, memberDefinitionId: ids.member, ownerDefinitionId: ids.owner },
    });
    return {
      groupId: g.id,
      groupName: g.name,
      isAssignableToRole: g.assignable,
      memberDefinitionId: ids.member as string,
      ownerDefinitionId: ids.owner as string,
    };
  });
}

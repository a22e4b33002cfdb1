import { and, eq, isNotNull } from "drizzle-orm";
import { groups } from "@/db/schema";
import { provisionedGroupFields, type GroupChange } from "@/lib/validation/provisioning";
import { writeAuditRows, type AuditInput } from "../audit";
import type { Actor, Ctx } from "../context";
import { notFound } from "../errors";
import { addMembers, removeMembers, replaceMembers } from "../internal/group-members";
import { assertProvisioningApp, UUID } from "../internal/provisioning";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

/**
 * SCIM `PUT` and `PATCH /Groups/{id}`: the changes apply in order (a PATCH's operations; a PUT is "set the
 * name, set the externalId, replace the members"), all in ONE transaction with the group row locked, so a
 * batch of member additions and removals lands whole or not at all. Each member added or removed is one
 * audit row; the access check sees the new membership at its next call. Only provisioned groups.
 */
export async function updateProvisionedGroup(
  ctx: Ctx,
  actor: Actor,
  groupId: string,
  changes: GroupChange[],
): Promise<{ id: string }> {
  const meta: UseCaseMeta = { category: "GroupManagement", activity: "Update group", operation: "scim.group.update" };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertProvisioningApp(tx, actor, now);
    if (!UUID.test(groupId)) throw notFound("The group");
    const [row] = await tx
      .select({ id: groups.id, displayName: groups.displayName, externalId: groups.externalId })
      .from(groups)
      .where(and(eq(groups.id, groupId), isNotNull(groups.provisionedBy)))
      .for("update");
    if (!row) throw notFound("The group");
    meta.target = { id: row.id, type: "Group", name: row.displayName };
    let { displayName, externalId } = row;
    const rows: AuditInput[] = [];
    for (const c of changes) {
      const g = { id: row.id, displayName };
      if (c.kind === "displayName" || c.kind === "externalId") {
        const next = parseInput(provisionedGroupFields, {
          displayName: c.kind === "displayName" ? c.value : displayName,
          externalId: c.kind === "externalId" ? c.value : externalId,
        });
        displayName = next.displayName;
        externalId = next.externalId;
      } else if (c.kind === "addMembers") rows.push(...(await addMembers(tx, now, actor, g, c.userIds)));
      else if (c.kind === "removeMembers") rows.push(...(await removeMembers(tx, actor, g, c.userIds)));
      else rows.push(...(await replaceMembers(tx, now, actor, g, c.userIds)));
    }
    const renamed = displayName !== row.displayName || externalId !== row.externalId;
    if (renamed) {
      await tx.update(groups).set({ displayName, externalId }).where(eq(groups.id, row.id));
      rows.unshift({
        category: "GroupManagement",
        activity: "Update group",
        operation: "scim.group.update",
        actor,
        target: { id: row.id, type: "Group", name: displayName },
        details: {
          source: "SCIM",
          from: { displayName: row.displayName, externalId: row.externalId },
          to: { displayName, externalId },
        },
      });
    }
    if (rows.length) await writeAuditRows(tx, now, rows);
    return { id: row.id };
  });
}

import { and, eq, isNotNull, sql } from "drizzle-orm";
import { groups, roleAssignmentSchedules, roleEligibilitySchedules } from "@/db/schema";
import { writeAuditRows } from "../audit";
import type { Actor, Ctx } from "../context";
import { notFound } from "../errors";
import { removeMembers } from "../internal/group-members";
import { assertProvisioningApp, UUID } from "../internal/provisioning";
import { rowsOf } from "../sql-rows";
import { runUseCase, type UseCaseMeta } from "../internal/tx";

/**
 * SCIM `DELETE /Groups/{id}`: every member is removed at once (their access through the group ends at the
 * next check). A group that never held a role is deleted; one with role history is kept, detached from
 * provisioning (no longer visible to SCIM) so its assignments and audit trail still name it, and admins
 * see an empty group to clean up. One transaction, audited as the provisioning application.
 */
export async function deprovisionGroup(ctx: Ctx, actor: Actor, groupId: string): Promise<void> {
  const meta: UseCaseMeta = { category: "GroupManagement", activity: "Delete group", operation: "scim.group.delete" };
  await runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertProvisioningApp(tx, actor, now);
    if (!UUID.test(groupId)) throw notFound("The group");
    const [row] = await tx
      .select({ id: groups.id, displayName: groups.displayName })
      .from(groups)
      .where(and(eq(groups.id, groupId), isNotNull(groups.provisionedBy)))
      .for("update");
    if (!row) throw notFound("The group");
    meta.target = { id: row.id, type: "Group", name: row.displayName };
    const memberRows = await removeMembers(tx, actor, row, "all");
    const [history] = rowsOf<{ n: number }>(
      await tx.execute(sql`
        select (exists (select 1 from ${roleEligibilitySchedules} where ${roleEligibilitySchedules.principalId} = ${row.id})
             or exists (select 1 from ${roleAssignmentSchedules} where ${roleAssignmentSchedules.principalId} = ${row.id}))::int as n`),
    );
    const keep = Number(history?.n ?? 0) > 0;
    if (keep) await tx.update(groups).set({ provisionedBy: null, externalId: null }).where(eq(groups.id, row.id));
    else await tx.delete(groups).where(eq(groups.id, row.id));
    await writeAuditRows(tx, now, [
      ...memberRows,
      {
        category: "GroupManagement",
        activity: "Delete group",
        operation: "scim.group.delete",
        actor,
        target: meta.target,
        details: { source: "SCIM", membersRemoved: memberRows.length, keptForRoleHistory: keep },
      },
    ]);
  });
}

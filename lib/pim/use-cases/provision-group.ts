import { groups } from "@/db/schema";
import { provisionedGroupFields } from "@/lib/validation/provisioning";
import { writeAuditRows } from "../audit";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { addMembers } from "../internal/group-members";
import { assertProvisioningApp } from "../internal/provisioning";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

/**
 * SCIM `POST /Groups`: a provisioning application creates a group (role-assignable, so admins can make it
 * eligible for roles) with its first members. Only groups made by provisioning are visible to SCIM: a
 * group made in the portal can never be changed by an identity provider. Audited as the application.
 */
export async function provisionGroup(
  ctx: Ctx,
  actor: Actor,
  raw: { displayName: string; externalId: string | null; memberIds: string[] },
): Promise<{ id: string }> {
  const input = parseInput(provisionedGroupFields, raw);
  const meta: UseCaseMeta = { category: "GroupManagement", activity: "Add group", operation: "scim.group.create" };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertProvisioningApp(tx, actor, now);
    const [row] = await tx
      .insert(groups)
      .values({
        displayName: input.displayName,
        externalId: input.externalId,
        provisionedBy: actor.id,
        isAssignableToRole: true,
        createdAt: now,
      })
      .returning({ id: groups.id });
    if (!row) throw new PimError("Conflict", "The group could not be created.");
    const g = { id: row.id, displayName: input.displayName };
    const memberRows = await addMembers(tx, now, actor, g, raw.memberIds);
    await writeAuditRows(tx, now, [
      {
        category: "GroupManagement",
        activity: "Add group",
        operation: "scim.group.create",
        actor,
        target: { id: row.id, type: "Group", name: input.displayName },
        details: { source: "SCIM", externalId: input.externalId, members: memberRows.length },
      },
      ...memberRows,
    ]);
    return row;
  });
}

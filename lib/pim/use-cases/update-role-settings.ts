import { and, eq, inArray } from "drizzle-orm";
import { groups, roleSettings, users } from "@/db/schema";
import { updateRoleSettingsInput, type UpdateRoleSettingsInput } from "@/lib/validation/pim";
import { assertMayManageAccess } from "../groups/group-ownership";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { loadRole, resolveScope } from "../internal/directory";
import { auditChange, parseInput, runUseCase } from "../internal/tx";
import { getRoleSettings, settingsFromRow, type RoleSettings } from "../role-settings";

const FIELDS = [
  "activationMaxMinutes",
  "activationRequireMfa",
  "activationRequireJustification",
  "activationRequireTicket",
  "approvalRequired",
  "approvalStages",
  "allowPermanentEligible",
  "eligibleMaxDays",
  "allowPermanentActive",
  "activeMaxDays",
  "activeRequireMfa",
  "activeRequireJustification",
  "notifications",
] as const;
type Field = (typeof FIELDS)[number];

/** JSON with sorted keys: jsonb hands objects back in its own key order. */
function stable(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
    .join(",")}}`;
}

const snapshot = (s: RoleSettings) => Object.fromEntries(FIELDS.map((f) => [f, s[f]])) as Pick<RoleSettings, Field>;

/**
 * Changes a role's settings (§3) — any subset of them; the rest keep their values. Only an actor holding
 * GA or PRA now. Named approvers must exist. The row is locked while it changes; the audit row carries
 * the settings before and after and the names of the changed fields.
 */
export async function updateRoleSettings(ctx: Ctx, actor: Actor, raw: UpdateRoleSettingsInput): Promise<RoleSettings> {
  const input = parseInput(updateRoleSettingsInput, raw);
  const meta = {
    operation: "roleSettings.update",
    activity: "Update role setting in PIM",
    role: null as { id: string; name: string } | null,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    const role = await loadRole(tx, input.roleDefinitionId);
    meta.role = { id: role.id, name: role.name };
    await assertMayManageAccess(tx, actor, now, role, "change role settings");
    await resolveScope(tx, input.directoryScopeId);
    await checkApprovers(tx, input.approvalStages ?? []);

    // make sure the row exists, then lock it: two admins saving at once apply one after the other
    const created = await tx
      .insert(roleSettings)
      .values({ roleDefinitionId: role.id, directoryScopeId: input.directoryScopeId })
      .onConflictDoNothing()
      .returning({ id: roleSettings.id });
    const [locked] = await tx
      .select()
      .from(roleSettings)
      .where(and(eq(roleSettings.roleDefinitionId, role.id), eq(roleSettings.directoryScopeId, input.directoryScopeId)))
      .for("update");
    if (!locked) throw new PimError("Conflict", "The role settings could not be read.");
    // a new scope-specific row starts from the directory's policy
    const before =
      created.length > 0 && input.directoryScopeId !== "/"
        ? await getRoleSettings(tx, role.id, "/")
        : settingsFromRow(locked);
    const next = { ...snapshot(before) };
    for (const f of FIELDS) if (input[f] !== undefined) (next as Record<Field, unknown>)[f] = input[f];
    const changedFields = FIELDS.filter((f) => stable(next[f]) !== stable(before[f]));

    // nothing to change: no write, no audit row (an audit row records a change)
    if (changedFields.length === 0 && created.length === 0) return settingsFromRow(locked);
    const [row] = await tx
      .update(roleSettings)
      .set({ ...next, updatedAt: now, updatedBy: actor.id })
      .where(eq(roleSettings.id, locked.id))
      .returning();
    if (!row) throw new PimError("Conflict", "The role settings could not be saved.");
    await auditChange(tx, now, {
      activity: "Update role setting in PIM",
      operation: "roleSettings.update",
      actor,
      role: meta.role,
      directoryScopeId: input.directoryScopeId,
      changed: [row.id],
      details: { changedFields, before: snapshot(before), after: next },
    });
    return settingsFromRow(row);
  });
}

async function checkApprovers(
  tx: Parameters<typeof loadRole>[0],
  stages: { approvers: { type: "User" | "Group"; id: string }[] }[],
) {
  const all = stages.flatMap((s) => s.approvers);
  const userIds = [...new Set(all.filter((a) => a.type === "User").map((a) => a.id))];
  const groupIds = [...new Set(all.filter((a) => a.type === "Group").map((a) => a.id))];
  const [u, g] = await Promise.all([
    userIds.length ? tx.select({ id: users.id }).from(users).where(inArray(users.id, userIds)) : Promise.resolve([]),
    groupIds.length
      ? tx.select({ id: groups.id }).from(groups).where(inArray(groups.id, groupIds))
      : Promise.resolve([]),
  ]);
  if (u.length !== userIds.length || g.length !== groupIds.length) {
    throw new PimError("ValidationFailed", "An approver does not exist in the directory.", {
      fieldErrors: { approvalStages: ["An approver does not exist in the directory."] },
    });
  }
}

import { and, asc, eq, isNull } from "drizzle-orm";
import { roleDefinitions, roleSettings } from "@/db/schema";
import type { Actor, Ctx } from "../context";
import { assertPimReader } from "./read-scope";

/** What the "Add assignments" form needs to know about each role's directory-wide settings (§3, assignment part). */
export type AssignmentPolicy = {
  roleDefinitionId: string;
  roleName: string;
  allowPermanentEligible: boolean;
  eligibleMaxDays: number;
  allowPermanentActive: boolean;
  activeMaxDays: number;
  activeRequireMfa: boolean;
  activeRequireJustification: boolean;
};

/**
 * Every enabled directory role with its assignment settings, in one query, so the form can offer "Permanently
 * eligible" only where allowed and show the maximum duration. The use case enforces the same rules.
 * PIM readers only (the Assignments blade's audience), else Forbidden.
 */
export async function listAssignmentPolicies(ctx: Ctx, actor: Actor): Promise<AssignmentPolicy[]> {
  await assertPimReader(ctx, actor, "the roles' assignment settings");
  return assignmentPolicies(ctx);
}

/**
 * The query itself, for read models that authorized already (the Assignments blade): the directory roles (the
 * blade's rows; the access definitions of groups under PIM, two per group, have their own blades and would
 * make the page grow with the groups), or only `roleDefinitionId`'s (one role's or one group's blade).
 */
export async function assignmentPolicies(ctx: Ctx, roleDefinitionId?: string): Promise<AssignmentPolicy[]> {
  const rows = await ctx.db
    .select({
      roleDefinitionId: roleDefinitions.id,
      roleName: roleDefinitions.displayName,
      allowPermanentEligible: roleSettings.allowPermanentEligible,
      eligibleMaxDays: roleSettings.eligibleMaxDays,
      allowPermanentActive: roleSettings.allowPermanentActive,
      activeMaxDays: roleSettings.activeMaxDays,
      activeRequireMfa: roleSettings.activeRequireMfa,
      activeRequireJustification: roleSettings.activeRequireJustification,
    })
    .from(roleDefinitions)
    .leftJoin(
      roleSettings,
      and(eq(roleSettings.roleDefinitionId, roleDefinitions.id), eq(roleSettings.directoryScopeId, "/")),
    )
    .where(
      and(
        eq(roleDefinitions.isEnabled, true),
        roleDefinitionId ? eq(roleDefinitions.id, roleDefinitionId) : isNull(roleDefinitions.groupId),
      ),
    )
    .orderBy(asc(roleDefinitions.displayName));
  // A role without a settings row follows Entra's defaults.
  return rows.map((r) => ({
    roleDefinitionId: r.roleDefinitionId,
    roleName: r.roleName,
    allowPermanentEligible: r.allowPermanentEligible ?? true,
    eligibleMaxDays: r.eligibleMaxDays ?? 365,
    allowPermanentActive: r.allowPermanentActive ?? true,
    activeMaxDays: r.activeMaxDays ?? 180,
    activeRequireMfa: r.activeRequireMfa ?? false,
    activeRequireJustification: r.activeRequireJustification ?? true,
  }));
}

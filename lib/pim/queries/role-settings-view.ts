import { and, eq } from "drizzle-orm";
import { roleDefinitions, roleSettings, type NotificationSettings } from "@/db/schema";
import { isSystemActor, type Actor, type Ctx } from "../context";
import { ownerRightsOn } from "../groups/group-ownership";
import { forbidden } from "../errors";
import { readRights } from "./read-scope";
import { principalNames } from "./search-principals";

const defaultRule = { defaultRecipients: true, additionalRecipients: [] as string[], criticalOnly: false };
const defaultRecipients = () => ({
  admin: { ...defaultRule },
  assignee: { ...defaultRule },
  approver: { ...defaultRule },
});

/** Entra's default notification matrix: everyone by default, nothing extra. */
export const defaultNotifications = (): NotificationSettings => ({
  eligibleAssigned: defaultRecipients(),
  activeAssigned: defaultRecipients(),
  eligibleActivated: defaultRecipients(),
});

/**
 * One role's directory-wide settings for the settings page, with the approvers' names resolved
 * (a deleted approver shows as "(deleted)" so an admin sees it and removes it). PIM readers only (else
 * Forbidden); `viewer.admin` says whether the actor may edit them. Null when the role does not exist.
 * At most six statements (rights, the role, the named approvers by kind) whatever the number of approvers.
 */
export async function getRoleSettingsView(ctx: Ctx, actor: Actor, query: { roleDefinitionId: string }) {
  const { roleDefinitionId } = query;
  const rights = await readRights(ctx, actor);
  // A group's owner sees the group's settings and edits its member settings (PIM for Groups).
  const owner =
    !rights.admin && !isSystemActor(actor)
      ? await ownerRightsOn(ctx.db, actor.id, roleDefinitionId, ctx.now())
      : { see: false, manage: false };
  if (!rights.reader && !owner.see) {
    throw forbidden(
      "Role settings are visible to Privileged Role Administrators, Global Administrators, security readers and, for a group under PIM, the group's owners.",
    );
  }
  const viewer = { reader: rights.reader, admin: rights.admin || owner.manage };
  const [row] = await ctx.db
    .select({ role: roleDefinitions, settings: roleSettings })
    .from(roleDefinitions)
    .leftJoin(
      roleSettings,
      and(eq(roleSettings.roleDefinitionId, roleDefinitions.id), eq(roleSettings.directoryScopeId, "/")),
    )
    .where(eq(roleDefinitions.id, roleDefinitionId));
  if (!row) return null;
  const s = row.settings;
  const stages = s?.approvalStages ?? [];
  const names = await principalNames(
    ctx,
    stages.flatMap((st) => st.approvers.map((a) => a.id)),
  );
  return {
    viewer,
    role: { id: row.role.id, displayName: row.role.displayName, description: row.role.description },
    updatedAt: s?.updatedAt ?? null,
    settings: {
      activationMaxMinutes: s?.activationMaxMinutes ?? 480,
      activationRequireMfa: s?.activationRequireMfa ?? false,
      activationRequireJustification: s?.activationRequireJustification ?? true,
      activationRequireTicket: s?.activationRequireTicket ?? false,
      approvalRequired: s?.approvalRequired ?? false,
      approvalStages: stages.map((st) => ({
        mode: st.mode,
        required: st.required,
        approvers: st.approvers.map((a) => ({
          id: a.id,
          type: a.type,
          displayName: names.get(a.id)?.displayName ?? "(deleted)",
        })),
        /** Hours the stage may wait for its decision (24 unless set). */
        escalationHours: st.escalationHours ?? 24,
      })),
      allowPermanentEligible: s?.allowPermanentEligible ?? true,
      eligibleMaxDays: s?.eligibleMaxDays ?? 365,
      allowPermanentActive: s?.allowPermanentActive ?? true,
      activeMaxDays: s?.activeMaxDays ?? 180,
      activeRequireMfa: s?.activeRequireMfa ?? false,
      activeRequireJustification: s?.activeRequireJustification ?? true,
      notifications: s?.notifications ?? defaultNotifications(),
    },
  };
}
export type RoleSettingsView = NonNullable<Awaited<ReturnType<typeof getRoleSettingsView>>>;

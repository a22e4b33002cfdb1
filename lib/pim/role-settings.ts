import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { roleSettings, type ApprovalStage, type NotificationSettings } from "@/db/schema";
import type { Db } from "@/db/types";
import { defaultNotificationSettings } from "./notifications/settings";
import { DEFAULT_ROLE_SETTINGS } from "./rules/constants";

/** Every setting of §3 for one role (and scope), as the engine enforces them. */
export type RoleSettings = {
  roleDefinitionId: string;
  /** The scope of the row that applies ("/" = directory-wide policy). */
  directoryScopeId: string;
  activationMaxMinutes: number;
  activationRequireMfa: boolean;
  activationRequireJustification: boolean;
  activationRequireTicket: boolean;
  approvalRequired: boolean;
  /** Empty with approvalRequired = one stage, any one of the PRA/GA holders (Entra's default). */
  approvalStages: ApprovalStage[];
  allowPermanentEligible: boolean;
  eligibleMaxDays: number;
  allowPermanentActive: boolean;
  activeMaxDays: number;
  activeRequireMfa: boolean;
  activeRequireJustification: boolean;
  notifications: NotificationSettings;
  /** True when no settings row exists and Entra's defaults apply. */
  isDefault: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
};

export function defaultRoleSettings(roleDefinitionId: string, directoryScopeId = "/"): RoleSettings {
  return {
    roleDefinitionId,
    directoryScopeId,
    ...DEFAULT_ROLE_SETTINGS,
    approvalStages: [],
    notifications: defaultNotificationSettings(),
    isDefault: true,
    updatedAt: null,
    updatedBy: null,
  };
}

type Row = typeof roleSettings.$inferSelect;

export function settingsFromRow(row: Row): RoleSettings {
  return {
    roleDefinitionId: row.roleDefinitionId,
    directoryScopeId: row.directoryScopeId,
    activationMaxMinutes: row.activationMaxMinutes,
    activationRequireMfa: row.activationRequireMfa,
    activationRequireJustification: row.activationRequireJustification,
    activationRequireTicket: row.activationRequireTicket,
    approvalRequired: row.approvalRequired,
    approvalStages: row.approvalStages ?? [],
    allowPermanentEligible: row.allowPermanentEligible,
    eligibleMaxDays: row.eligibleMaxDays,
    allowPermanentActive: row.allowPermanentActive,
    activeMaxDays: row.activeMaxDays,
    activeRequireMfa: row.activeRequireMfa,
    activeRequireJustification: row.activeRequireJustification,
    notifications: row.notifications ?? defaultNotificationSettings(),
    isDefault: false,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

/**
 * The settings that govern `roleDefinitionId` at `directoryScopeId`: the scope's own row when one exists,
 * else the directory-wide ("/") row, else Entra's defaults (§3: 8 h activation, justification on, no
 * approval, permanent allowed, 365 d eligible / 180 d active maximum, justification on active assignment).
 */
export async function getRoleSettings(db: Db, roleDefinitionId: string, directoryScopeId = "/"): Promise<RoleSettings> {
  const scopes = directoryScopeId === "/" ? ["/"] : [directoryScopeId, "/"];
  const rows = await db
    .select()
    .from(roleSettings)
    .where(and(eq(roleSettings.roleDefinitionId, roleDefinitionId), inArray(roleSettings.directoryScopeId, scopes)))
    // the specific scope sorts before "/"
    .orderBy(desc(sql`${roleSettings.directoryScopeId} <> '/'`));
  const row = rows[0];
  return row ? settingsFromRow(row) : defaultRoleSettings(roleDefinitionId, "/");
}

export { parseIsoDuration, toIsoDuration } from "@/lib/pim/rules/durations";
export type { RoleSettings } from "@/lib/pim/role-settings";
import type { UpdateRoleSettingsInput } from "@/lib/validation/pim";
/** The settings fields a rule PATCH may change (role and scope are added by the caller). */
export type UpdateRoleSettingsInputLike = Omit<
  Partial<UpdateRoleSettingsInput>,
  "roleDefinitionId" | "directoryScopeId"
>;

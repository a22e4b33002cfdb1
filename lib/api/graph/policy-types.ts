export { parseIsoDuration, toIsoDuration, type RoleSettings } from "@/lib/pim";
import type { UpdateRoleSettingsInput } from "@/lib/validation/pim";
/** The settings fields a rule PATCH may change (role and scope are added by the caller). */
export type UpdateRoleSettingsInputLike = Omit<
  Partial<UpdateRoleSettingsInput>,
  "roleDefinitionId" | "directoryScopeId"
>;

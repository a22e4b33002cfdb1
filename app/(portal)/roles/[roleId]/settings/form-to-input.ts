import type { UpdateRoleSettingsInput } from "@/lib/validation/pim";
import type { RoleSettingsFormOut } from "./schema";

/**
 * The settings form's values (hours, stages as edited) as the `updateRoleSettings` input for the directory
 * scope. The use case authorizes, validates again and audits before/after; this only translates.
 */
export function settingsFormToInput(roleId: string, form: RoleSettingsFormOut): UpdateRoleSettingsInput {
  const { activationMaxHours, approvalStages, ...rest } = form;
  return {
    ...rest,
    roleDefinitionId: roleId,
    directoryScopeId: "/",
    activationMaxMinutes: Math.round(activationMaxHours * 60),
    approvalStages: approvalStages.map((s) => ({
      mode: s.mode,
      ...(s.mode === "nOfM" && s.required ? { required: s.required } : {}),
      approvers: s.approvers.map((a) => ({ type: a.type, id: a.id })),
      escalationHours: s.escalationHours,
    })),
  } satisfies UpdateRoleSettingsInput;
}

import type { Actor, Ctx } from "@/lib/pim/context";
import { updateRoleSettings } from "@/lib/pim";
import type { RoleSettingsFormOut } from "./schema";

/** Where the settings page meets the engine's role-settings use case (authorizes, validates, audits before/after). */
export async function engineUpdateRoleSettings(
  ctx: Ctx,
  actor: Actor,
  roleId: string,
  form: RoleSettingsFormOut,
): Promise<void> {
  const { activationMaxHours, approvalStages, ...rest } = form;
  await updateRoleSettings(ctx, actor, {
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
  });
}

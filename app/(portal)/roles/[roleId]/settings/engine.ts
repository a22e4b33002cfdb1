import type { Actor, Ctx } from "@/lib/pim/context";
import { PimError } from "@/lib/pim/errors";
import type { RoleSettingsFormOut } from "./schema";

/** Where the settings page meets the engine's role-settings use case (authorizes, validates, audits before/after). */
export async function engineUpdateRoleSettings(ctx: Ctx, actor: Actor, roleId: string, form: RoleSettingsFormOut): Promise<void> {
  void ctx;
  void actor;
  void roleId;
  void form;
  throw new PimError("Conflict", "Saving role settings is not wired to the engine yet.");
}

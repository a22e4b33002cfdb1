/**
 * "Who manages PIM" (PIM Settings): Global Administrators and Privileged Role Administrators (Entra's rule and
 * the default), or Global Administrators only. The setting only narrows §2's rule, never widens it. Lockout
 * protection: narrowing to Global Administrators only is refused unless the actor holds Global Administrator
 * now (so nobody removes their own rights, and an active Global Administrator keeps PIM managed). Audited with
 * the choice before and after and the reason; changes are serialised.
 */
import { eq, sql } from "drizzle-orm";
import { directorySettings } from "@/db/schema";
import { setPimManagersInput, type PimManagers, type SetPimManagersInput } from "@/lib/validation/governance";
import { assertPimAdmin, holdsAnyRoleNow } from "../authz";
import type { Actor, Ctx } from "../context";
import { GLOBAL_ADMINISTRATOR } from "../directory/builtin-roles";
import { PimError } from "../errors";
import { pimManagersOf } from "../governance/pim-settings";
import { auditChange, lockKey, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

export async function setPimManagers(
  ctx: Ctx,
  actor: Actor,
  raw: SetPimManagersInput,
): Promise<{ pimManagers: PimManagers; changed: boolean }> {
  const input = parseInput(setPimManagersInput, raw);
  const meta: UseCaseMeta = {
    category: "Governance",
    operation: "pimSettings.managers",
    activity: "Change who manages PIM",
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await lockKey(tx, "pim-settings");
    await assertPimAdmin(tx, actor, now, "change who manages PIM");
    const [row] = await tx
      .select({ s: directorySettings.pimSettings })
      .from(directorySettings)
      .where(eq(directorySettings.id, 1));
    const before = pimManagersOf(row?.s);
    if (before === input.pimManagers) return { pimManagers: before, changed: false };
    if (
      input.pimManagers === "globalAdministratorsOnly" &&
      !(await holdsAnyRoleNow(tx, actor.id, [GLOBAL_ADMINISTRATOR], now))
    )
      throw new PimError(
        "LockoutProtection",
        "Only someone holding Global Administrator now may limit PIM management to Global Administrators: you would lose your own rights to manage PIM.",
      );
    await tx
      .update(directorySettings)
      .set({
        pimSettings: sql`${directorySettings.pimSettings} || jsonb_build_object('pimManagers', ${input.pimManagers}::text)`,
        updatedAt: now,
      })
      .where(eq(directorySettings.id, 1));
    await auditChange(tx, now, {
      category: "Governance",
      activity: "Change who manages PIM",
      operation: "pimSettings.managers",
      actor,
      justification: input.justification,
      changed: ["pim_settings.pimManagers"],
      details: { before, after: input.pimManagers },
    });
    return { pimManagers: input.pimManagers, changed: true };
  });
}

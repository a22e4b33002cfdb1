import { eq, sql } from "drizzle-orm";
import { directorySettings } from "@/db/schema";
import { pimSettingsInput, type PimSettings } from "@/lib/validation/governance";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { loadPimSettings } from "../governance/pim-settings";
import { auditChange, lockKey, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

/**
 * PIM Settings: the notification sender, alert evaluation interval and access review defaults. GA or PRA
 * held now; audited with the settings before and after and the names of the changed ones.
 */
export async function updatePimSettings(ctx: Ctx, actor: Actor, raw: PimSettings): Promise<PimSettings> {
  const input = parseInput(pimSettingsInput, raw);
  const meta: UseCaseMeta = {
    category: "Governance",
    operation: "pimSettings.update",
    activity: "Update PIM settings",
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await lockKey(tx, "pim-settings");
    await assertPimAdmin(tx, actor, now, "change PIM settings");
    const before = await loadPimSettings(tx);
    // The form's settings replace the stored ones; "who manages PIM" has its own use case and is kept.
    const json = JSON.stringify(input);
    await tx
      .update(directorySettings)
      .set({
        pimSettings: sql`case when ${directorySettings.pimSettings} ? 'pimManagers'
          then ${json}::jsonb || jsonb_build_object('pimManagers', ${directorySettings.pimSettings} -> 'pimManagers')
          else ${json}::jsonb end`,
        updatedAt: now,
      })
      .where(eq(directorySettings.id, 1));
    const settingsChanged = (Object.keys(input) as (keyof PimSettings)[]).filter((k) => input[k] !== before[k]);
    await auditChange(tx, now, {
      category: "Governance",
      activity: "Update PIM settings",
      operation: "pimSettings.update",
      actor,
      changed: ["pim_settings"],
      details: { settingsChanged, before, after: input },
    });
    return input;
  });
}

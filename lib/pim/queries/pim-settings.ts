import { eq } from "drizzle-orm";
import { directorySettings } from "@/db/schema";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { parsePimSettings, pimManagersOf } from "../governance/pim-settings";
import { pimAdmins } from "../notifications/recipients";
import { readRights } from "./read-scope";

/**
 * PIM Settings for PIM readers: the settings, who may manage PIM (the setting), and who manages PIM now (the
 * people holding Global Administrator, or Privileged Role Administrator when the setting lets it, at this
 * moment, directly or through a group; at most 200).
 */
export async function getPimSettings(ctx: Ctx, actor: Actor) {
  const rights = await readRights(ctx, actor);
  if (!rights.reader) throw new PimError("Forbidden", "Only PIM administrators and readers may see the PIM settings.");
  const [[row], managers] = await Promise.all([
    ctx.db.select({ s: directorySettings.pimSettings }).from(directorySettings).where(eq(directorySettings.id, 1)),
    pimAdmins(ctx.db, ctx.now()),
  ]);
  return {
    settings: parsePimSettings(row?.s ?? null),
    pimManagers: pimManagersOf(row?.s),
    managers: managers.slice(0, 200),
    viewer: { admin: rights.admin },
  };
}

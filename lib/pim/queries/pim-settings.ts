import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { loadPimSettings } from "../governance/pim-settings";
import { pimAdmins } from "../notifications/recipients";
import { readRights } from "./read-scope";

/**
 * PIM Settings for PIM readers: the settings, and who manages PIM now (the people holding Global
 * Administrator or Privileged Role Administrator at this moment, directly or through a group; at most 200).
 */
export async function getPimSettings(ctx: Ctx, actor: Actor) {
  const rights = await readRights(ctx, actor);
  if (!rights.reader) throw new PimError("Forbidden", "Only PIM administrators and readers may see the PIM settings.");
  const [settings, managers] = await Promise.all([loadPimSettings(ctx.db), pimAdmins(ctx.db, ctx.now())]);
  return { settings, managers: managers.slice(0, 200), viewer: { admin: rights.admin } };
}

"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionError, invalidInput, type ActionResult } from "@/lib/actions/result";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { getCtx } from "@/lib/server-db";
import { engineUpdateRoleSettings } from "./engine";
import { roleSettingsForm } from "./schema";

/** Saves every setting of one role; the use case authorizes (PRA/GA now), validates and audits before/after. */
export async function updateRoleSettingsAction(
  roleId: string,
  raw: unknown,
): Promise<ActionResult<{ roleId: string }>> {
  const id = z.uuid().safeParse(roleId);
  if (!id.success) return invalidInput(id.error);
  // The browser sends the parsed form (recipients as arrays); accept either shape by re-joining arrays.
  const normalized = normalizeRecipients(raw);
  const parsed = roleSettingsForm.safeParse(normalized);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const ctx = await getCtx();
    await engineUpdateRoleSettings(ctx, actorFromUser(user), id.data, parsed.data);
    revalidatePath(`/roles/${id.data}/settings`);
    revalidatePath("/roles");
    revalidatePath("/assignments");
    return { ok: true, data: { roleId: id.data } };
  } catch (err) {
    return actionError(err);
  }
}

function normalizeRecipients(raw: unknown): unknown {
  if (!raw || typeof raw !== "object") return raw;
  const r = raw as { notifications?: Record<string, Record<string, { additionalRecipients?: unknown }>> };
  if (!r.notifications) return raw;
  const n: Record<string, Record<string, unknown>> = {};
  for (const [ev, rows] of Object.entries(r.notifications)) {
    n[ev] = {};
    for (const [who, rule] of Object.entries(rows ?? {})) {
      const add = rule?.additionalRecipients;
      n[ev][who] = { ...rule, additionalRecipients: Array.isArray(add) ? add.join(", ") : add };
    }
  }
  return { ...r, notifications: n };
}

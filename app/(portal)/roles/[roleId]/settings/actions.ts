"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { updateRoleSettings } from "@/lib/pim/use-cases/update-role-settings";
import { settingsFormToInput } from "./form-to-input";
import { roleSettingsForm } from "./schema";

/** The browser sends the parsed form (recipients as arrays); accept either shape by re-joining arrays. */
function joinRecipients(raw: unknown): unknown {
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

const saveRoleSettings = defineAction({
  input: z.preprocess(joinRecipients, roleSettingsForm.extend({ roleId: z.uuid() })),
  run: (ctx, actor, { roleId, ...form }) => updateRoleSettings(ctx, actor, settingsFormToInput(roleId, form)),
  revalidate: ({ roleId }) => [`/roles/${roleId}/settings`, "/roles", "/assignments"],
  data: (_result, { roleId }) => ({ roleId }),
});

/** Saves every setting of one role; the use case authorizes (PRA/GA now), validates and audits before/after. */
export async function updateRoleSettingsAction(roleId: string, raw: unknown) {
  return saveRoleSettings(raw && typeof raw === "object" ? { ...raw, roleId } : raw);
}

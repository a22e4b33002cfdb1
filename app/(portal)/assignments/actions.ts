"use server";

import { revalidatePath } from "next/cache";
import { actionError, describeFailure, invalidInput, type ActionResult } from "@/lib/actions/result";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { getCtx } from "@/lib/server-db";
import { engineAdd, engineRowAction } from "./engine";
import { addAssignmentsForm, rowActionForm } from "./schemas";

export type AddResult = { principalId: string; displayName: string; ok: boolean; code?: string; message?: string };

/**
 * "Add assignments": one request per member, each its own use-case call (its own transaction, audit
 * row and notifications), so one refused member does not undo the others; the panel lists refusals.
 * The use case authorizes (PRA/GA active now) and enforces the role's settings.
 */
export async function addAssignmentsAction(raw: unknown): Promise<ActionResult<{ results: AddResult[] }>> {
  const parsed = addAssignmentsForm.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const ctx = await getCtx();
    const actor = actorFromUser(user);
    const results: AddResult[] = [];
    for (const m of parsed.data.members) {
      try {
        await engineAdd(ctx, actor, parsed.data, m);
        results.push({ principalId: m.id, displayName: m.displayName, ok: true });
      } catch (err) {
        // Not allowed at all: answer once, as a whole.
        if (isPimError(err) && (err.code === "Forbidden" || err.code === "Unauthenticated")) throw err;
        if (!isPimError(err)) throw err;
        results.push({
          principalId: m.id,
          displayName: m.displayName,
          ok: false,
          code: err.code,
          message: describeFailure(err),
        });
      }
    }
    revalidatePath("/assignments");
    return { ok: true, data: { results } };
  } catch (err) {
    return actionError(err);
  }
}

/** Update, Extend, Renew or Remove one row. */
export async function rowAssignmentAction(raw: unknown): Promise<ActionResult<{ scheduleId: string }>> {
  const parsed = rowActionForm.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const ctx = await getCtx();
    await engineRowAction(ctx, actorFromUser(user), parsed.data);
    revalidatePath("/assignments");
    return { ok: true, data: { scheduleId: parsed.data.scheduleId } };
  } catch (err) {
    return actionError(err);
  }
}

"use server";

import { defineAction } from "@/lib/actions/define-action";
import { describeFailure } from "@/lib/actions/result";
import { assignRole } from "@/lib/pim/use-cases/assign-role";
import { extendAssignment } from "@/lib/pim/use-cases/extend-assignment";
import { removeAssignment } from "@/lib/pim/use-cases/remove-assignment";
import { renewAssignment } from "@/lib/pim/use-cases/renew-assignment";
import { updateAssignment } from "@/lib/pim/use-cases/update-assignment";
import type { Actor, Ctx } from "@/lib/pim/context";
import { isPimError } from "@/lib/pim/errors";
import { addFormToAssignRoleInput, rowFormToChange, type RowChange } from "./form-to-input";
import { addAssignmentsForm, rowActionForm } from "./schemas";

export type AddResult = { principalId: string; displayName: string; ok: boolean; code?: string; message?: string };

/**
 * "Add assignments": one request per member, each its own use-case call (its own transaction, audit
 * row and notifications), so one refused member does not undo the others; the panel lists refusals.
 * The use case authorizes (PRA/GA active now) and enforces the role's settings.
 */
export const addAssignmentsAction = defineAction({
  input: addAssignmentsForm,
  run: async (ctx, actor, form) => {
    const results: AddResult[] = [];
    for (const m of form.members) {
      try {
        await assignRole(ctx, actor, addFormToAssignRoleInput(form, m));
        results.push({ principalId: m.id, displayName: m.displayName, ok: true });
      } catch (err) {
        // Not allowed at all: answer once, as a whole.
        if (!isPimError(err) || err.code === "Forbidden" || err.code === "Unauthenticated") throw err;
        results.push({
          principalId: m.id,
          displayName: m.displayName,
          ok: false,
          code: err.code,
          message: describeFailure(err),
        });
      }
    }
    return { results };
  },
  revalidate: ["/assignments"],
});

async function applyRowChange(ctx: Ctx, actor: Actor, change: RowChange): Promise<void> {
  switch (change.action) {
    case "remove":
      await removeAssignment(ctx, actor, change.input);
      return;
    case "update":
      await updateAssignment(ctx, actor, change.input);
      return;
    case "extend":
      await extendAssignment(ctx, actor, change.input);
      return;
    case "renew":
      await renewAssignment(ctx, actor, change.input);
      return;
  }
}

/** Update, Extend, Renew or Remove one row. */
export const rowAssignmentAction = defineAction({
  input: rowActionForm,
  run: (ctx, actor, form) => applyRowChange(ctx, actor, rowFormToChange(form)),
  revalidate: ["/assignments"],
  data: (_result, form) => ({ scheduleId: form.scheduleId }),
});

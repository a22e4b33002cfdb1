"use server";

import { revalidatePath } from "next/cache";
import { actionError, invalidInput, type ActionResult } from "@/lib/actions/result";
import { hashPassword } from "@/lib/auth/password";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { createUserInput } from "@/lib/validation/create-user";
import { getCtx } from "@/lib/server-db";
import { createUser, type CreatedUser } from "@/lib/pim/use-cases/create-user";
import { setUserEnabled, type SetUserEnabledResult } from "@/lib/pim/use-cases/set-user-enabled";
import { setUserEnabledInput } from "@/lib/validation/set-user-enabled";

/**
 * "+ New user". A server action is a public endpoint: the page hiding the button is not the check.
 * The use case authorizes on database state (an active User Administrator or Global Administrator now).
 */
export async function createUserAction(raw: unknown): Promise<ActionResult<CreatedUser>> {
  const parsed = createUserInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const ctx = await getCtx();
    const created = await createUser(ctx, actorFromUser(user), parsed.data, { hashPassword });
    revalidatePath("/users");
    return { ok: true, data: created };
  } catch (err) {
    return actionError(err);
  }
}

/**
 * "Disable" / "Enable" on a row. The use case authorizes on database state (User Administrator or Global
 * Administrator now; GA or PRA for a privileged person; never oneself or the last GA) and does the rest
 * in one transaction.
 */
export async function setUserEnabledAction(raw: unknown): Promise<ActionResult<SetUserEnabledResult>> {
  const parsed = setUserEnabledInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const result = await setUserEnabled(await getCtx(), actorFromUser(user), parsed.data);
    revalidatePath("/users");
    return { ok: true, data: result };
  } catch (err) {
    return actionError(err);
  }
}

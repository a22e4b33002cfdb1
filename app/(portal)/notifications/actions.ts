"use server";

import { revalidatePath } from "next/cache";
import { actionError, invalidInput, type ActionResult } from "@/lib/actions/result";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { getCtx } from "@/lib/server-db";
import {
  markAllNotificationsRead,
  markNotificationsRead,
  markNotificationsReadInput,
  retryDeliveries,
  retryDeliveriesInput,
} from "@/lib/pim/notifications/inbox";

/** Marks the caller's own notices read (other people's ids are ignored by the use case). */
export async function markNotificationsReadAction(raw: unknown): Promise<ActionResult<{ changed: number }>> {
  const parsed = markNotificationsReadInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const changed = await markNotificationsRead(await getCtx(), actorFromUser(user), parsed.data);
    revalidatePath("/", "layout"); // the bell in the top bar
    return { ok: true, data: { changed } };
  } catch (err) {
    return actionError(err);
  }
}

export async function markAllNotificationsReadAction(): Promise<ActionResult<{ changed: number }>> {
  try {
    const user = await requireActionUser();
    const changed = await markAllNotificationsRead(await getCtx(), actorFromUser(user));
    revalidatePath("/", "layout");
    return { ok: true, data: { changed } };
  } catch (err) {
    return actionError(err);
  }
}

/** GA/PRA only (checked on database state in the use case): puts failed emails back in the queue. */
export async function retryDeliveriesAction(raw: unknown): Promise<ActionResult<{ queued: number }>> {
  const parsed = retryDeliveriesInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const queued = await retryDeliveries(await getCtx(), actorFromUser(user), parsed.data);
    revalidatePath("/notifications");
    return { ok: true, data: { queued } };
  } catch (err) {
    return actionError(err);
  }
}

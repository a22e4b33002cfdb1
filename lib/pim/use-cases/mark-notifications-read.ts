import { and, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { notifications } from "@/db/schema";
import type { Db } from "@/db/types";
import { markNotificationsReadInput, type MarkNotificationsReadInput } from "@/lib/validation/notifications";
import type { Actor, Ctx } from "../context";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

const meta = (): UseCaseMeta => ({
  category: "Notifications",
  activity: "Mark notifications read",
  operation: "notifications.read",
});

/** Sets read_at on the actor's own unread notices matching `which`; not audited (it changes only the reader's view). */
async function markRead(tx: Db, now: Date, actor: Actor, which?: SQL): Promise<number> {
  const changed = await tx
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.recipientUserId, actor.id), isNull(notifications.readAt), which))
    .returning({ id: notifications.id });
  return changed.length;
}

/** Marks the actor's own notices read; ids of other people's notices are ignored. Returns how many changed. */
export async function markNotificationsRead(ctx: Ctx, actor: Actor, raw: MarkNotificationsReadInput): Promise<number> {
  const input = parseInput(markNotificationsReadInput, raw);
  return runUseCase(ctx, actor, meta(), (tx, now) => markRead(tx, now, actor, inArray(notifications.id, input.ids)));
}

/** Marks every notice of the actor read. Returns how many changed. */
export async function markAllNotificationsRead(ctx: Ctx, actor: Actor): Promise<number> {
  return runUseCase(ctx, actor, meta(), (tx, now) => markRead(tx, now, actor));
}

import type { Db } from "@/db/types";
import type { NotificationEvent } from "./events";

/**
 * Writes the outbox rows for one event inside the caller's transaction.
 * (Recipient resolution, templates and delivery are implemented in this folder by the notifications work.)
 */
export async function emitNotification(tx: Db, now: Date, event: NotificationEvent): Promise<void> {
  void tx;
  void now;
  void event;
}

import { and, eq, inArray } from "drizzle-orm";
import { notifications } from "@/db/schema";
import { retryDeliveriesInput, type RetryDeliveriesInput } from "@/lib/validation/notifications";
import { writeAudit } from "../audit";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

/** Puts failed emails back in the queue (e.g. after fixing SMTP settings). GA/PRA only, audited. */
export async function retryDeliveries(ctx: Ctx, actor: Actor, raw: RetryDeliveriesInput): Promise<number> {
  const input = parseInput(retryDeliveriesInput, raw);
  const meta: UseCaseMeta = {
    category: "Notifications",
    activity: "Retry notification delivery",
    operation: "notifications.retry",
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "retry email delivery");
    const rows = await tx
      .update(notifications)
      .set({ status: "pending", attempts: 0, nextAttemptAt: now, lockedUntil: null })
      .where(and(eq(notifications.status, "failed"), inArray(notifications.id, input.ids)))
      .returning({ id: notifications.id });
    if (rows.length > 0) {
      await writeAudit(tx, now, {
        activity: "Retry notification delivery",
        operation: "notifications.retry",
        category: "Notifications",
        actor,
        details: { count: rows.length, ids: rows.map((r) => r.id) },
      });
    }
    return rows.length;
  });
}

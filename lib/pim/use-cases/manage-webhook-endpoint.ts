import { and, eq, ne } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import {
  deleteWebhookEndpointInput,
  redeliverWebhookInput,
  setWebhookEndpointEnabledInput,
  type DeleteWebhookEndpointInput,
  type RedeliverWebhookInput,
  type SetWebhookEndpointEnabledInput,
} from "@/lib/validation/webhooks";
import { writeAudit } from "../audit";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { notFound, PimError } from "../errors";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

const meta = (activity: string, operation: string): UseCaseMeta => ({ category: "Webhooks", activity, operation });

/**
 * Enable or disable an endpoint (GA or PRA now). Enabling clears the failure count and the reason of an
 * automatic disable; the deliveries that waited meanwhile go out at the next pass. Conditional update.
 */
export async function setWebhookEndpointEnabled(ctx: Ctx, actor: Actor, raw: SetWebhookEndpointEnabledInput) {
  const input = parseInput(setWebhookEndpointEnabledInput, raw);
  const m = meta(input.enabled ? "Enable webhook endpoint" : "Disable webhook endpoint", "webhook.setEnabled");
  return runUseCase(ctx, actor, m, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "manage webhooks");
    const [row] = await tx
      .update(webhookEndpoints)
      .set(
        input.enabled
          ? { enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0, updatedAt: now }
          : { enabled: false, disabledAt: now, disabledReason: `Disabled by ${actor.displayName}.`, updatedAt: now },
      )
      .where(and(eq(webhookEndpoints.id, input.endpointId), ne(webhookEndpoints.enabled, input.enabled)))
      .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
    if (!row)
      throw new PimError("Conflict", `The endpoint is missing or already ${input.enabled ? "enabled" : "disabled"}.`);
    await writeAudit(tx, now, {
      category: "Webhooks",
      activity: m.activity,
      operation: m.operation,
      actor,
      details: { endpointId: row.id, url: row.url, enabled: input.enabled },
    });
    return { id: row.id };
  });
}

/** Deletes an endpoint and its delivery log (GA or PRA now). Audited with its URL. */
export async function deleteWebhookEndpoint(ctx: Ctx, actor: Actor, raw: DeleteWebhookEndpointInput) {
  const input = parseInput(deleteWebhookEndpointInput, raw);
  const m = meta("Delete webhook endpoint", "webhook.delete");
  return runUseCase(ctx, actor, m, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "manage webhooks");
    const [row] = await tx
      .delete(webhookEndpoints)
      .where(eq(webhookEndpoints.id, input.endpointId))
      .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
    if (!row) throw notFound("The endpoint");
    await writeAudit(tx, now, {
      category: "Webhooks",
      activity: m.activity,
      operation: m.operation,
      actor,
      details: { endpointId: row.id, url: row.url },
    });
    return { id: row.id };
  });
}

/**
 * Redeliver (GA or PRA now): the delivery is due again at once with a fresh attempt budget, the same
 * `webhook-id` (receivers deduplicate) and the same body. Not while it is being sent.
 */
export async function redeliverWebhook(ctx: Ctx, actor: Actor, raw: RedeliverWebhookInput) {
  const input = parseInput(redeliverWebhookInput, raw);
  const m = meta("Redeliver webhook event", "webhook.redeliver");
  return runUseCase(ctx, actor, m, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "redeliver webhook events");
    const [row] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", attempts: 0, nextAttemptAt: now, lockedUntil: null })
      .where(and(eq(webhookDeliveries.id, input.deliveryId), ne(webhookDeliveries.status, "sending")))
      .returning({
        id: webhookDeliveries.id,
        endpointId: webhookDeliveries.endpointId,
        messageId: webhookDeliveries.messageId,
      });
    if (!row) throw new PimError("Conflict", "The delivery is missing or being sent right now.");
    await writeAudit(tx, now, {
      category: "Webhooks",
      activity: m.activity,
      operation: m.operation,
      actor,
      details: { deliveryId: row.id, endpointId: row.endpointId, messageId: row.messageId },
    });
    return { id: row.id, endpointId: row.endpointId };
  });
}

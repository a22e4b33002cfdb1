import { randomBytes } from "node:crypto";
import { webhookEndpoints } from "@/db/schema";
import { createWebhookEndpointInput, type CreateWebhookEndpointInput } from "@/lib/validation/webhooks";
import { writeAudit } from "../audit";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

/** The endpoint's signing secret is stored encrypted: the adapter passes the cipher (lib/auth/secret-box.ts). */
export type WebhookSecretDeps = { encrypt: (plain: string) => string };

/**
 * "+ Add endpoint" on the Webhooks page (GA or PRA now): the URL, the events it receives, and a new signing
 * secret in the Standard Webhooks form (`whsec_` + base64 of 24 random bytes), shown once. Audited.
 */
export async function createWebhookEndpoint(
  ctx: Ctx,
  actor: Actor,
  raw: CreateWebhookEndpointInput,
  deps: WebhookSecretDeps,
): Promise<{ id: string; secret: string; url: string }> {
  const input = parseInput(createWebhookEndpointInput, raw);
  const meta: UseCaseMeta = { category: "Webhooks", activity: "Add webhook endpoint", operation: "webhook.create" };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "manage webhooks");
    const secret = `whsec_${randomBytes(24).toString("base64")}`;
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        url: input.url,
        description: input.description ?? null,
        eventTypes: input.eventTypes,
        secretEncrypted: deps.encrypt(secret),
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: webhookEndpoints.id });
    if (!row) throw new PimError("Conflict", "The endpoint could not be added.");
    await writeAudit(tx, now, {
      category: "Webhooks",
      activity: "Add webhook endpoint",
      operation: "webhook.create",
      actor,
      details: { endpointId: row.id, url: input.url, eventTypes: input.eventTypes },
    });
    return { id: row.id, secret, url: input.url };
  });
}

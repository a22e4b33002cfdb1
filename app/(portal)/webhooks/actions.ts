"use server";

import { defineAction } from "@/lib/actions/define-action";
import { encryptSecret } from "@/lib/auth/secret-box";
import { createWebhookEndpoint } from "@/lib/pim/use-cases/create-webhook-endpoint";
import {
  deleteWebhookEndpoint,
  redeliverWebhook,
  setWebhookEndpointEnabled,
} from "@/lib/pim/use-cases/manage-webhook-endpoint";
import {
  createWebhookEndpointInput,
  deleteWebhookEndpointInput,
  redeliverWebhookInput,
  setWebhookEndpointEnabledInput,
} from "@/lib/validation/webhooks";

/** Adds an endpoint; its signing secret is returned once (stored encrypted under AUTH_SECRET). */
export const createWebhookEndpointAction = defineAction({
  input: createWebhookEndpointInput,
  run: (ctx, actor, input) => createWebhookEndpoint(ctx, actor, input, { encrypt: (s) => encryptSecret(s) }),
  revalidate: ["/webhooks"],
  data: (r) => ({ id: r.id, secret: r.secret, url: r.url }),
});

export const setWebhookEndpointEnabledAction = defineAction({
  input: setWebhookEndpointEnabledInput,
  run: setWebhookEndpointEnabled,
  revalidate: (i) => ["/webhooks", `/webhooks/${i.endpointId}`],
});

export const deleteWebhookEndpointAction = defineAction({
  input: deleteWebhookEndpointInput,
  run: deleteWebhookEndpoint,
  revalidate: ["/webhooks"],
});

export const redeliverWebhookAction = defineAction({
  input: redeliverWebhookInput,
  run: redeliverWebhook,
  revalidate: (_i, r) => [`/webhooks/${r.endpointId}`],
});

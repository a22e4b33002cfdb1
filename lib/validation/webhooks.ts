import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "@/lib/pim/notifications/webhook-types";
import { optionalText, storableString } from "./text";

const asList = (v: unknown) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** "+ Add endpoint" on the Webhooks page. */
export const createWebhookEndpointInput = z.object({
  url: storableString({ message: "Enter the endpoint URL." })
    .trim()
    .min(1, { message: "Enter the endpoint URL." })
    .max(2000, { message: "At most 2,000 characters." })
    .refine(
      (u) => {
        try {
          const p = new URL(u);
          return (p.protocol === "https:" || p.protocol === "http:") && !p.username && !p.password && !p.hash;
        } catch {
          return false;
        }
      },
      { message: "Enter an http:// or https:// URL without a user name, password or #fragment." },
    ),
  description: optionalText(200),
  eventTypes: z.preprocess(
    asList,
    z
      .array(z.enum(WEBHOOK_EVENT_TYPES, { message: "Choose events from the list." }))
      .min(1, { message: "Choose at least one event." }),
  ),
});
export type CreateWebhookEndpointInput = z.input<typeof createWebhookEndpointInput>;

export const setWebhookEndpointEnabledInput = z.object({
  endpointId: z.uuid({ message: "Choose an endpoint." }),
  enabled: z.boolean(),
});
export type SetWebhookEndpointEnabledInput = z.input<typeof setWebhookEndpointEnabledInput>;

export const deleteWebhookEndpointInput = z.object({ endpointId: z.uuid({ message: "Choose an endpoint." }) });
export type DeleteWebhookEndpointInput = z.input<typeof deleteWebhookEndpointInput>;

export const redeliverWebhookInput = z.object({ deliveryId: z.uuid({ message: "Choose a delivery." }) });
export type RedeliverWebhookInput = z.input<typeof redeliverWebhookInput>;

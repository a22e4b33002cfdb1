import "@/lib/validation/zod-config";
import { z } from "zod";

/** The bell's and Notifications page's "mark read": ids of the caller's own notices. */
export const markNotificationsReadInput = z.object({
  ids: z
    .array(z.uuid({ message: "Choose one or more notifications." }))
    .min(1, { message: "Choose one or more notifications." })
    .max(100),
});
export type MarkNotificationsReadInput = z.infer<typeof markNotificationsReadInput>;

/** "Retry" on the delivery problems list: ids of failed emails. */
export const retryDeliveriesInput = z.object({
  ids: z
    .array(z.uuid({ message: "Choose one or more failed emails." }))
    .min(1, { message: "Choose one or more failed emails." })
    .max(200),
});
export type RetryDeliveriesInput = z.infer<typeof retryDeliveriesInput>;

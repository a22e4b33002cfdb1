"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { markAllNotificationsRead, markNotificationsRead } from "@/lib/pim/use-cases/mark-notifications-read";
import { retryDeliveries } from "@/lib/pim/use-cases/retry-deliveries";
import { markNotificationsReadInput, retryDeliveriesInput } from "@/lib/validation/notifications";

/** The bell in the top bar sits in the root layout. */
const bell = [{ path: "/", type: "layout" }] as const;

/** Marks the caller's own notices read (other people's ids are ignored by the use case). */
export const markNotificationsReadAction = defineAction({
  input: markNotificationsReadInput,
  run: markNotificationsRead,
  revalidate: bell,
  data: (changed) => ({ changed }),
});

/** Takes no input (whatever is sent is ignored): marks every notice of the caller read. */
export const markAllNotificationsReadAction = defineAction({
  input: z.unknown(),
  run: (ctx, actor) => markAllNotificationsRead(ctx, actor),
  revalidate: bell,
  data: (changed) => ({ changed }),
});

/** GA/PRA only (checked on database state in the use case): puts failed emails back in the queue. */
export const retryDeliveriesAction = defineAction({
  input: retryDeliveriesInput,
  run: retryDeliveries,
  revalidate: ["/notifications"],
  data: (queued) => ({ queued }),
});

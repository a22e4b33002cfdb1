/** Webhook event types: no imports, so forms in the browser can list them. */
/** The event types an endpoint may subscribe to (Webhooks page), in the order they are listed. */
export const WEBHOOK_EVENT_TYPES = [
  "role.assigned",
  "role.activated",
  "role.deactivated",
  "role.removed",
  "role.expired",
  "membership.assigned",
  "membership.activated",
  "membership.deactivated",
  "membership.removed",
  "membership.expired",
  "request.pending",
  "request.approved",
  "request.denied",
  "request.canceled",
  "request.timedOut",
  "alert.raised",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  "role.assigned": "A role was assigned (eligible or active).",
  "role.activated": "Someone activated an eligible role.",
  "role.deactivated": "Someone deactivated their activated role.",
  "role.removed": "An assignment was removed (or ended because the person was disabled).",
  "role.expired": "An assignment or activation reached its end.",
  "membership.assigned": "A group membership or ownership under PIM was assigned (eligible or active).",
  "membership.activated": "Someone activated an eligible group membership or ownership.",
  "membership.deactivated": "Someone deactivated their activated group membership or ownership.",
  "membership.removed": "A group membership or ownership under PIM was removed.",
  "membership.expired": "A group membership or ownership under PIM reached its end.",
  "request.pending": "A request waits for approval.",
  "request.approved": "A request was approved.",
  "request.denied": "A request was denied.",
  "request.canceled": "A request was canceled.",
  "request.timedOut": "A request was not decided in time.",
  "alert.raised": "A security alert was raised (e.g. the audit chain verification found a break).",
};

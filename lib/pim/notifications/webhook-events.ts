import { eq } from "drizzle-orm";
import { groups, roleDefinitions, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { Db } from "@/db/types";
import type { NotificationEvent } from "./events";
import { requestSubject, scheduleSubject, type Subject } from "./subject";
import type { WebhookEventType } from "./webhook-types";

export { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_DESCRIPTIONS, type WebhookEventType } from "./webhook-types";

type Payload = { type: WebhookEventType; data: Record<string, unknown> };

function typeOf(event: NotificationEvent, s: Subject): WebhookEventType | null {
  switch (event.type) {
    case "eligibleAssigned":
    case "activeAssigned":
      return "role.assigned";
    case "roleActivated":
      return "role.activated";
    case "roleDeactivated":
      return "role.deactivated";
    case "assignmentRemoved":
      return s.request?.action === "selfDeactivate" ? "role.deactivated" : "role.removed";
    case "expired":
      return "role.expired";
    case "activationPendingApproval":
      return "request.pending";
    case "requestApproved":
      return "request.approved";
    case "requestDenied":
      return "request.denied";
    case "requestCanceled":
      return "request.canceled";
    case "requestTimedOut":
      return "request.timedOut";
    default:
      return null; // expiringSoon reminders are for people, not for systems
  }
}

async function subjectOf(tx: Db, event: NotificationEvent): Promise<Subject | null> {
  switch (event.type) {
    case "eligibleAssigned":
      return scheduleSubject(tx, "eligibility", event.scheduleId, event.requestId);
    case "activeAssigned":
    case "roleActivated":
    case "roleDeactivated":
      return scheduleSubject(tx, "assignment", event.scheduleId, event.requestId);
    case "assignmentRemoved":
    case "expired":
      return scheduleSubject(tx, event.kind, event.scheduleId, "requestId" in event ? event.requestId : null);
    case "activationPendingApproval":
    case "requestApproved":
    case "requestDenied":
    case "requestCanceled":
    case "requestTimedOut":
      return requestSubject(tx, event.requestId);
    default:
      return null;
  }
}

async function groupOfDefinition(
  tx: Db,
  roleId: string,
): Promise<{ groupId: string; groupName: string; accessId: string } | null> {
  const [g] = await tx
    .select({ groupId: groups.id, groupName: groups.displayName, accessId: roleDefinitions.accessId })
    .from(roleDefinitions)
    .innerJoin(groups, eq(groups.id, roleDefinitions.groupId))
    .where(eq(roleDefinitions.id, roleId));
  return g ? { groupId: g.groupId, groupName: g.groupName, accessId: g.accessId ?? "member" } : null;
}

/** The webhook payload of a notification event (Standard Webhooks' `{type, timestamp, data}`), or null. */
export async function webhookPayload(tx: Db, event: NotificationEvent): Promise<Payload | null> {
  if (event.type === "alertRaised")
    return {
      type: "alert.raised",
      data: {
        alert: event.alertKey,
        severity: event.severity,
        description: event.description,
        affectedCount: event.affectedCount,
        raisedAt: event.raisedAt,
        ...(event.details ? { details: event.details } : {}),
      },
    };
  const s = await subjectOf(tx, event);
  if (!s) return null;
  const roleType = typeOf(event, s);
  if (!roleType) return null;
  // PIM for Groups: a group's membership or ownership is a role definition of the group (its access definition);
  // systems get it as a membership.* event naming the group and the access, not as a role.
  const group = await groupOfDefinition(tx, s.roleId);
  const type =
    group && roleType.startsWith("role.") ? (roleType.replace(/^role\./, "membership.") as WebhookEventType) : roleType;
  const r = s.request;
  return {
    type,
    data: {
      ...(group ? { group: { id: group.groupId, displayName: group.groupName }, accessId: group.accessId } : {}),
      assignmentKind: s.kind === "eligibility" ? "eligible" : "active",
      assignmentType: s.assignmentType,
      principal: { id: s.principalId, type: s.principalType, displayName: s.principalName },
      role: { id: s.roleId, displayName: s.roleName },
      directoryScope: { id: s.scopeId, displayName: s.scopeName },
      startDateTime: (s.start ?? r?.startDateTime)?.toISOString() ?? null,
      endDateTime: s.end?.toISOString() ?? null,
      ...(r
        ? {
            request: {
              id: r.id,
              action: r.action,
              status: r.status,
              justification: r.justification,
              ticketNumber: r.ticketNumber,
              ticketSystem: r.ticketSystem,
            },
          }
        : {}),
      ...("approverId" in event ? { approverId: event.approverId } : {}),
    },
  };
}

/**
 * Queues the webhook deliveries of fanned-out events, in the fan-out's transaction (so an event becomes its
 * notices and its deliveries together, exactly once). One delivery per subscribed endpoint and event;
 * `message_id` (`msg_<event id>`) is the Standard Webhooks `webhook-id`, the same for every endpoint and on
 * every retry, so a receiver can deduplicate. A disabled endpoint still gets its deliveries queued: they wait
 * and go out once it is enabled again (nothing is lost while a receiver is down).
 */
export async function queueWebhookDeliveries(
  tx: Db,
  now: Date,
  events: { id: number; createdAt: Date; event: NotificationEvent }[],
): Promise<number> {
  const endpoints = await tx
    .select({ id: webhookEndpoints.id, types: webhookEndpoints.eventTypes })
    .from(webhookEndpoints);
  if (endpoints.length === 0) return 0;
  const rows: (typeof webhookDeliveries.$inferInsert)[] = [];
  for (const e of events) {
    const payload = await webhookPayload(tx, e.event);
    if (!payload) continue;
    const messageId = `msg_${e.id}`;
    const body = JSON.stringify({
      type: payload.type,
      timestamp: e.createdAt.toISOString(),
      data: { id: messageId, ...payload.data },
    });
    for (const ep of endpoints) {
      if (!ep.types.includes(payload.type)) continue;
      rows.push({
        endpointId: ep.id,
        messageId,
        eventType: payload.type,
        body,
        status: "pending",
        nextAttemptAt: now,
        createdAt: now,
      });
    }
  }
  let n = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const r = await tx
      .insert(webhookDeliveries)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing()
      .returning({ id: webhookDeliveries.id });
    n += r.length;
  }
  return n;
}

/**
 * End-to-end seed for the notifications spec (never in the demo). Repeatable: fixed ids, ON CONFLICT DO
 * NOTHING, and the failed email is made only once.
 * - Bruno Bounce had a Global Reader eligibility that expired yesterday; the "expired" notice to him went
 *   through the real outbox and delivery code, and his mailbox refused it (SMTP 550), so admins find one
 *   failed email under Delivery problems on the Notifications page.
 */
import { and, eq } from "drizzle-orm";
import { notifications, roleEligibilitySchedules, scheduleRequests } from "@/db/schema";
import type { Db } from "@/db/types";
import { demoUsers } from "@/db/demo-directory";
import { e2eUsers } from "./directory";
import { GLOBAL_READER } from "@/lib/pim/directory/builtin-roles";
import { emitNotification } from "@/lib/pim/notifications/emit";
import { deliverDue, type MailTransport } from "@/lib/notify/deliver";

export const E2E_BOUNCE_ELIGIBILITY_ID = "50000000-0000-4000-8000-0000000000f2";

const DAY = 86_400_000;

async function eligibility(
  db: Db,
  id: string,
  requestId: string,
  principalId: string,
  start: Date,
  end: Date | null,
  expired: boolean,
) {
  await db
    .insert(scheduleRequests)
    .values({
      id: requestId,
      requestType: "eligibility",
      action: "adminAssign",
      status: "Provisioned",
      principalId,
      principalType: "User",
      roleDefinitionId: GLOBAL_READER,
      directoryScopeId: "/",
      requestorId: demoUsers.perparim.id,
      requestorType: "User",
      justification: "End-to-end tests",
      startDateTime: start,
      expirationType: end ? "afterDateTime" : "noExpiration",
      endDateTime: end,
      targetScheduleId: id,
      createdDateTime: start,
      completedDateTime: start,
    })
    .onConflictDoNothing();
  await db
    .insert(roleEligibilitySchedules)
    .values({
      id,
      principalId,
      principalType: "User",
      roleDefinitionId: GLOBAL_READER,
      directoryScopeId: "/",
      status: expired ? "Expired" : "Provisioned",
      startDateTime: start,
      endDateTime: end,
      createdUsing: requestId,
      createdBy: demoUsers.perparim.id,
      createdAt: start,
      updatedAt: expired && end ? end : start,
    })
    .onConflictDoNothing();
}

/** The seed's mail server: Bruno's mailbox does not exist (a permanent refusal); nobody else is expected. */
const bouncingServer = (bounce: string): MailTransport => ({
  async sendMail(m) {
    if (m.to.toLowerCase() === bounce) {
      throw Object.assign(new Error(`550 5.1.1 <${m.to}>: Recipient address rejected: mailbox unavailable`), {
        responseCode: 550,
      });
    }
    throw new Error("e2e seed: no mail server for other recipients");
  },
});

export async function seedE2eBounce(db: Db, now = new Date()): Promise<void> {
  const since = new Date(now.getTime() - 30 * DAY);
  await eligibility(
    db,
    E2E_BOUNCE_ELIGIBILITY_ID,
    "60000000-0000-4000-8000-0000000000f2",
    e2eUsers.bounce.id,
    since,
    new Date(now.getTime() - DAY),
    true,
  );

  const [already] = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.recipientUserId, e2eUsers.bounce.id), eq(notifications.eventType, "expired")))
    .limit(1);
  if (already) return;
  await db.transaction((tx) =>
    emitNotification(tx, now, { type: "expired", kind: "eligibility", scheduleId: E2E_BOUNCE_ELIGIBILITY_ID }),
  );
  await deliverDue(db, now, {
    transport: bouncingServer(e2eUsers.bounce.userPrincipalName.toLowerCase()),
    from: "PIM Portal <pim@localhost>",
  });
}

/**
 * Test-only helpers: a small directory inserted directly (no use cases), for the notification and
 * delivery tests. Imported only by *.test.ts files and the bench.
 */
import { eq } from "drizzle-orm";
import { seedBuiltins } from "@/db/seed";
import {
  groupMembers,
  groups,
  notifications,
  roleAssignmentSchedules,
  roleEligibilitySchedules,
  roleSettings,
  scheduleRequests,
  users,
  type ApprovalStage,
  type NotificationSettings,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { fanOutEvents } from "@/lib/pim/notifications/fan-out";
import {
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";

export const ids = {
  alice: "00000000-0000-4000-a000-00000000a11c", // Global Administrator (active, permanent)
  bob: "00000000-0000-4000-a000-000000000b0b", // Privileged Role Administrator (active, permanent)
  carol: "00000000-0000-4000-a000-0000000ca201", // eligible User Administrator
  dave: "00000000-0000-4000-a000-00000000da7e", // named approver
  erin: "00000000-0000-4000-a000-00000000e214", // member of the approvers group
  approvers: "00000000-0000-4000-a000-0000000a6601",
};

export const email = (name: keyof typeof ids) => `${name}@contoso.test`;

export async function seedPeople(db: Db, now: Date): Promise<void> {
  await seedBuiltins(db, "Contoso");
  const person = (id: string, name: string, mail: string) => ({
    id,
    displayName: name,
    userPrincipalName: mail,
    mail,
  });
  await db
    .insert(users)
    .values([
      person(ids.alice, "Alice Admin", email("alice")),
      person(ids.bob, "Bob Roles", email("bob")),
      person(ids.carol, "Carol User", email("carol")),
      person(ids.dave, "Dave Approver", email("dave")),
      person(ids.erin, "Erin Group", email("erin")),
    ]);
  await db.insert(groups).values({ id: ids.approvers, displayName: "Approvers" });
  await db.insert(groupMembers).values({ groupId: ids.approvers, userId: ids.erin });
  const longAgo = new Date(now.getTime() - 30 * 86_400_000);
  await db.insert(roleAssignmentSchedules).values([
    {
      principalId: ids.alice,
      principalType: "User",
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      assignmentType: "Assigned",
      startDateTime: longAgo,
    },
    {
      principalId: ids.bob,
      principalType: "User",
      roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
      assignmentType: "Assigned",
      startDateTime: longAgo,
    },
  ]);
}

export async function setNotificationSettings(db: Db, roleId: string, settings: NotificationSettings | null) {
  await db.update(roleSettings).set({ notifications: settings }).where(eq(roleSettings.roleDefinitionId, roleId));
}

export async function eligibility(
  db: Db,
  now: Date,
  principalId = ids.carol,
  end: Date | null = null,
  roleId = USER_ADMINISTRATOR,
) {
  const [row] = await db
    .insert(roleEligibilitySchedules)
    .values({ principalId, principalType: "User", roleDefinitionId: roleId, startDateTime: now, endDateTime: end })
    .returning();
  if (!row) throw new Error("insert failed");
  return row;
}

export async function activation(db: Db, start: Date, end: Date, principalId = ids.carol, roleId = USER_ADMINISTRATOR) {
  const elig = await eligibility(db, start, principalId, null, roleId);
  const [row] = await db
    .insert(roleAssignmentSchedules)
    .values({
      principalId,
      principalType: "User",
      roleDefinitionId: roleId,
      assignmentType: "Activated",
      startDateTime: start,
      endDateTime: end,
      eligibilityScheduleId: elig.id,
    })
    .returning();
  if (!row) throw new Error("insert failed");
  return row;
}

export async function pendingRequest(db: Db, now: Date, stages: ApprovalStage[] = [], principalId = ids.carol) {
  const [row] = await db
    .insert(scheduleRequests)
    .values({
      requestType: "assignment",
      action: "selfActivate",
      status: "PendingApproval",
      principalId,
      principalType: "User",
      roleDefinitionId: USER_ADMINISTRATOR,
      requestorId: principalId,
      requestorType: "User",
      justification: "Need to add a user <b>now</b>",
      ticketNumber: "INC-42",
      ticketSystem: "ServiceNow",
      startDateTime: now,
      expirationType: "afterDuration",
      duration: "PT4H",
      approvalStages: stages,
      createdDateTime: now,
      approvalDeadline: new Date(now.getTime() + 86_400_000),
    })
    .returning();
  if (!row) throw new Error("insert failed");
  return row;
}

/** The notices, after a fan-out pass over the queued events (as the delivery worker runs it first). */
export async function outbox(db: Db, now = new Date()) {
  await fanOutEvents(db, now);
  return db.select().from(notifications).orderBy(notifications.createdAt, notifications.id);
}

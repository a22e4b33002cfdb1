/**
 * End-to-end seed for the users-disable spec (never in the demo). Repeatable: fixed ids, ON CONFLICT DO NOTHING.
 * Oscar Orphan is eligible (permanently, directory-wide) for Helpdesk Administrator, which he activates
 * (no approval), and for Groups Administrator, which needs Liam's approval (his request stays pending).
 */
import { roleEligibilitySchedules, scheduleRequests } from "./schema";
import type { Db } from "./types";
import { demoUsers } from "./demo-directory";
import { e2eUsers } from "./e2e-directory";
import { GROUPS_ADMINISTRATOR, HELPDESK_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";

const ELIGIBILITIES = [
  {
    id: "50000000-0000-4000-8000-0000000000e7",
    requestId: "60000000-0000-4000-8000-0000000000e7",
    role: HELPDESK_ADMINISTRATOR,
  },
  {
    id: "50000000-0000-4000-8000-0000000000e8",
    requestId: "60000000-0000-4000-8000-0000000000e8",
    role: GROUPS_ADMINISTRATOR,
  },
];

export async function seedE2eDisable(db: Db, now: Date): Promise<void> {
  const start = new Date(now.getTime() - 86_400_000);
  for (const e of ELIGIBILITIES) {
    const common = {
      principalId: e2eUsers.orphan.id,
      principalType: "User" as const,
      roleDefinitionId: e.role,
      directoryScopeId: "/",
    };
    await db
      .insert(scheduleRequests)
      .values({
        id: e.requestId,
        requestType: "eligibility",
        action: "adminAssign",
        status: "Provisioned",
        ...common,
        requestorId: demoUsers.perparim.id,
        requestorType: "User",
        justification: "End-to-end tests",
        startDateTime: start,
        expirationType: "noExpiration",
        targetScheduleId: e.id,
        createdDateTime: start,
        completedDateTime: start,
      })
      .onConflictDoNothing();
    await db
      .insert(roleEligibilitySchedules)
      .values({
        id: e.id,
        ...common,
        status: "Provisioned",
        startDateTime: start,
        endDateTime: null,
        createdUsing: e.requestId,
        createdBy: demoUsers.perparim.id,
        createdAt: start,
        updatedAt: start,
      })
      .onConflictDoNothing();
  }
}

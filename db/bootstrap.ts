import { sql } from "drizzle-orm";
import type { Db } from "./types";
import { roleAssignmentSchedules, scheduleRequests, users } from "./schema";
import { seedBuiltins } from "./seed";
import { GLOBAL_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { hashPassword } from "@/lib/auth/password";
import { writeAudit } from "@/lib/pim/audit";
import { systemActor } from "@/lib/pim/context";

export type BootstrapInput = { tenantName: string; email: string; password: string; displayName: string };

/**
 * A production start on an empty directory: built-in roles and settings, then a first Global Administrator
 * (permanent active, audited). Does nothing when any user exists, so it is safe on every start.
 */
export async function bootstrapFirstAdmin(
  db: Db,
  input: BootstrapInput,
  now = new Date(),
): Promise<"created" | "skipped"> {
  await seedBuiltins(db, input.tenantName);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    // Serialise concurrent starters: only the first one on an empty directory creates the admin.
    await tx.execute(sql`select pg_advisory_xact_lock(727003)`);
    const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(users);
    if (n > 0) return "skipped" as const;
    const [admin] = await tx
      .insert(users)
      .values({
        displayName: input.displayName,
        userPrincipalName: input.email,
        mail: input.email.toLowerCase(),
        passwordHash,
      })
      .returning({ id: users.id });
    if (!admin) throw new Error("bootstrap: user insert returned nothing");
    const [req] = await tx
      .insert(scheduleRequests)
      .values({
        requestType: "assignment",
        action: "adminAssign",
        status: "Provisioned",
        principalId: admin.id,
        principalType: "User",
        roleDefinitionId: GLOBAL_ADMINISTRATOR,
        requestorType: "ServicePrincipal",
        justification: "First Global Administrator created at bootstrap",
        startDateTime: now,
        expirationType: "noExpiration",
        createdDateTime: now,
        completedDateTime: now,
      })
      .returning({ id: scheduleRequests.id });
    const [schedule] = await tx
      .insert(roleAssignmentSchedules)
      .values({
        principalId: admin.id,
        principalType: "User",
        roleDefinitionId: GLOBAL_ADMINISTRATOR,
        assignmentType: "Assigned",
        origin: "pim",
        startDateTime: now,
        createdUsing: req?.id,
        createdAt: now,
      })
      .returning({ id: roleAssignmentSchedules.id });
    await tx
      .update(scheduleRequests)
      .set({ targetScheduleId: schedule?.id })
      .where(sql`${scheduleRequests.id} = ${req?.id}`);
    await writeAudit(tx, now, {
      activity: "Add member to role outside of PIM (bootstrap)",
      operation: "bootstrap.firstAdmin",
      actor: systemActor,
      target: { id: admin.id, type: "User", name: input.displayName },
      role: { id: GLOBAL_ADMINISTRATOR, name: "Global Administrator" },
      directoryScopeId: "/",
      requestId: req?.id ?? null,
      justification: "First Global Administrator created at bootstrap",
    });
    return "created" as const;
  });
}

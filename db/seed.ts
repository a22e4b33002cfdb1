import { eq, sql } from "drizzle-orm";
import type { Db } from "./types";
import {
  administrativeUnits,
  directorySettings,
  groupMembers,
  groups,
  roleAssignmentSchedules,
  roleDefinitions,
  roleEligibilitySchedules,
  roleSettings,
  scheduleRequests,
  servicePrincipals,
  userMfa,
  users,
} from "./schema";
import { builtinRoles, PIM_ADMIN_ROLE_IDS } from "@/lib/pim/directory/builtin-roles";
import { hashPassword } from "@/lib/auth/password";
import { decryptSecret, encryptSecret } from "@/lib/auth/secret-box";
import {
  DEMO_PASSWORD,
  DEMO_TENANT_NAME,
  demoAdministrativeUnits,
  demoGroups,
  demoRoleSettings,
  demoSchedules,
  demoServicePrincipals,
  demoUsers,
} from "./demo-directory";

/** Built-in role definitions and their default (Entra) settings. Repeatable: existing rows are kept. */
export async function seedBuiltins(db: Db, tenantName: string): Promise<void> {
  await db.insert(directorySettings).values({ id: 1, tenantName }).onConflictDoNothing();
  await db
    .insert(roleDefinitions)
    .values(
      builtinRoles.map((r) => ({
        id: r.id,
        templateId: r.id,
        displayName: r.displayName,
        description: r.description,
        allowedResourceActions: r.allowedResourceActions,
        isBuiltIn: true,
        isPrivileged: (PIM_ADMIN_ROLE_IDS as readonly string[]).includes(r.id),
      })),
    )
    .onConflictDoNothing();
  await db
    .insert(roleSettings)
    .values(builtinRoles.map((r) => ({ roleDefinitionId: r.id, directoryScopeId: "/" })))
    .onConflictDoNothing();
}

export type SeedSummary = { users: number; schedules: number };

/**
 * Loads the demo directory. Repeatable: every row has a fixed id and is inserted with ON CONFLICT DO NOTHING,
 * so a second run adds nothing and keeps whatever people did in the portal since.
 */
export async function seedDemo(db: Db, now = new Date()): Promise<SeedSummary> {
  await seedBuiltins(db, DEMO_TENANT_NAME);
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    await tx.insert(administrativeUnits).values(Object.values(demoAdministrativeUnits)).onConflictDoNothing();
    await tx
      .insert(users)
      .values(
        Object.values(demoUsers).map((u) => ({
          id: u.id,
          displayName: u.displayName,
          userPrincipalName: u.userPrincipalName,
          mail: u.userPrincipalName.toLowerCase(),
          jobTitle: u.jobTitle,
          department: u.department,
          managerId: "managerId" in u ? u.managerId : null,
          passwordHash,
          createdAt: since,
        })),
      )
      .onConflictDoNothing();
    await tx
      .insert(groups)
      .values(
        Object.values(demoGroups).map((g) => ({
          id: g.id,
          displayName: g.displayName,
          description: g.description,
          createdAt: since,
        })),
      )
      .onConflictDoNothing();
    await tx
      .insert(groupMembers)
      .values(Object.values(demoGroups).flatMap((g) => g.members.map((userId) => ({ groupId: g.id, userId }))))
      .onConflictDoNothing();
    await tx.insert(servicePrincipals).values(Object.values(demoServicePrincipals)).onConflictDoNothing();

    for (const s of demoRoleSettings) {
      const { roleDefinitionId, ...overrides } = s;
      const existing = await tx
        .select({ updatedBy: roleSettings.updatedBy })
        .from(roleSettings)
        .where(sql`${roleSettings.roleDefinitionId} = ${roleDefinitionId} and ${roleSettings.directoryScopeId} = '/'`);
      // Only settings nobody has edited yet take the demo values (edits made in the portal survive a re-seed).
      if (existing[0]?.updatedBy) continue;
      await tx
        .update(roleSettings)
        .set(overrides)
        .where(sql`${roleSettings.roleDefinitionId} = ${roleDefinitionId} and ${roleSettings.directoryScopeId} = '/'`);
    }

    for (const s of demoSchedules) {
      await tx
        .insert(scheduleRequests)
        .values({
          id: s.requestId,
          requestType: s.kind,
          action: "adminAssign",
          status: "Provisioned",
          principalId: s.principalId,
          principalType: s.principalType,
          roleDefinitionId: s.roleDefinitionId,
          directoryScopeId: s.directoryScopeId,
          requestorId: demoUsers.perparim.id,
          requestorType: "User",
          justification: "Demo directory",
          startDateTime: since,
          expirationType: "noExpiration",
          targetScheduleId: s.id,
          createdDateTime: since,
          completedDateTime: since,
        })
        .onConflictDoNothing();
      const common = {
        id: s.id,
        principalId: s.principalId,
        principalType: s.principalType,
        roleDefinitionId: s.roleDefinitionId,
        directoryScopeId: s.directoryScopeId,
        status: "Provisioned" as const,
        startDateTime: since,
        endDateTime: null,
        createdUsing: s.requestId,
        createdBy: demoUsers.perparim.id,
        createdAt: since,
        updatedAt: since,
      };
      if (s.kind === "eligibility") await tx.insert(roleEligibilitySchedules).values(common).onConflictDoNothing();
      else
        await tx
          .insert(roleAssignmentSchedules)
          .values({ ...common, assignmentType: "Assigned", origin: "pim" })
          .onConflictDoNothing();
    }
  });

  // MFA: enrolled with the public demo seeds. If AUTH_SECRET changed since the last seed, re-encrypt.
  for (const u of Object.values(demoUsers)) {
    const [row] = await db.select({ s: userMfa.secretEncrypted }).from(userMfa).where(eq(userMfa.userId, u.id));
    if (!row) {
      await db
        .insert(userMfa)
        .values({ userId: u.id, secretEncrypted: encryptSecret(u.totpSecret), enrolledAt: since })
        .onConflictDoNothing();
      continue;
    }
    let readable = false;
    try {
      readable = row.s ? decryptSecret(row.s) === u.totpSecret : false;
    } catch {
      readable = false;
    }
    if (!readable)
      await db
        .update(userMfa)
        .set({ secretEncrypted: encryptSecret(u.totpSecret), enrolledAt: since })
        .where(eq(userMfa.userId, u.id));
  }
  return { users: Object.keys(demoUsers).length, schedules: demoSchedules.length };
}

/**
 * Factories for the end-to-end tests, run inside the e2e server (app/api/test/factory, a test-build-only
 * route): with PGlite only the server process may open the database, so specs create their data through it.
 * Each call makes new rows with fresh ids; the caller picks unique names (e2e/factories.ts adds a suffix).
 */
import { randomUUID } from "node:crypto";
import { Secret } from "otpauth";
import { eq } from "drizzle-orm";
import {
  groupOwners,
  groups,
  roleAssignmentSchedules,
  roleDefinitions,
  roleEligibilitySchedules,
  scheduleRequests,
  userMfa,
  users,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { DEMO_PASSWORD, demoUsers } from "@/db/demo-directory";
import { hashPassword } from "@/lib/auth/password";
import { encryptSecret } from "@/lib/auth/secret-box";

export type MadeUser = { id: string; displayName: string; userPrincipalName: string; totpSecret: string };

let passwordHash: Promise<string> | null = null;

export async function makeUser(
  db: Db,
  now: Date,
  o: {
    displayName: string;
    userPrincipalName: string;
    enrolled: boolean;
    enabled: boolean;
    jobTitle?: string;
    department?: string;
  },
): Promise<MadeUser> {
  passwordHash ??= hashPassword(DEMO_PASSWORD);
  const id = randomUUID();
  const totpSecret = o.enrolled ? new Secret({ size: 20 }).base32 : "";
  await db.insert(users).values({
    id,
    displayName: o.displayName,
    userPrincipalName: o.userPrincipalName,
    mail: o.userPrincipalName.toLowerCase(),
    jobTitle: o.jobTitle ?? null,
    department: o.department ?? null,
    passwordHash: await passwordHash,
    accountEnabled: o.enabled,
    createdAt: now,
  });
  if (o.enrolled)
    await db.insert(userMfa).values({ userId: id, secretEncrypted: encryptSecret(totpSecret), enrolledAt: now });
  return { id, displayName: o.displayName, userPrincipalName: o.userPrincipalName, totpSecret };
}

async function roleId(db: Db, role: string): Promise<string> {
  const [r] = await db
    .select({ id: roleDefinitions.id })
    .from(roleDefinitions)
    .where(eq(roleDefinitions.displayName, role));
  if (!r) throw new Error(`no role named ${role}`);
  return r.id;
}

/** A standing eligible (or active) assignment made by Perparim (the break-glass admin) a day ago. */
export async function makeSchedule(
  db: Db,
  now: Date,
  o: {
    kind: "eligibility" | "assignment";
    principalId: string;
    principalType?: "User" | "Group";
    role: string;
    scope: string;
    endDays: number | null;
  },
): Promise<{ id: string }> {
  const id = randomUUID();
  const requestId = randomUUID();
  const start = new Date(now.getTime() - 86_400_000);
  const end = o.endDays === null ? null : new Date(now.getTime() + o.endDays * 86_400_000);
  const common = {
    principalId: o.principalId,
    principalType: o.principalType ?? ("User" as const),
    roleDefinitionId: await roleId(db, o.role),
    directoryScopeId: o.scope,
  };
  await db.transaction(async (tx) => {
    await tx.insert(scheduleRequests).values({
      id: requestId,
      requestType: o.kind,
      action: "adminAssign",
      status: "Provisioned",
      ...common,
      requestorId: demoUsers.perparim.id,
      requestorType: "User",
      justification: "End-to-end test data",
      startDateTime: start,
      expirationType: end ? "afterDateTime" : "noExpiration",
      endDateTime: end,
      targetScheduleId: id,
      createdDateTime: start,
      completedDateTime: start,
    });
    const row = {
      id,
      ...common,
      status: "Provisioned" as const,
      startDateTime: start,
      endDateTime: end,
      createdUsing: requestId,
      createdBy: demoUsers.perparim.id,
      createdAt: start,
      updatedAt: start,
    };
    if (o.kind === "eligibility") await tx.insert(roleEligibilitySchedules).values(row);
    else await tx.insert(roleAssignmentSchedules).values({ ...row, assignmentType: "Assigned", origin: "pim" });
  });
  return { id };
}

/** A role-assignable group (no members) holding `activeRoles` permanently (active assignments made a day ago). */
export async function makeGroup(
  db: Db,
  now: Date,
  o: { displayName: string; activeRoles: string[]; isAssignableToRole?: boolean; ownerIds?: string[] },
): Promise<{ id: string; displayName: string }> {
  const id = randomUUID();
  await db
    .insert(groups)
    .values({ id, displayName: o.displayName, isAssignableToRole: o.isAssignableToRole ?? true, createdAt: now });
  if (o.ownerIds?.length) await db.insert(groupOwners).values(o.ownerIds.map((userId) => ({ groupId: id, userId })));
  for (const role of o.activeRoles)
    await makeSchedule(db, now, {
      kind: "assignment",
      principalId: id,
      principalType: "Group",
      role,
      scope: "/",
      endDays: null,
    });
  return { id, displayName: o.displayName };
}

import { eq } from "drizzle-orm";
import { roleAssignmentSchedules as ras, roleEligibilitySchedules as res, scheduleRequests } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Actor } from "../context";

export type ScheduleKind = "eligibility" | "assignment";
export type ScheduleStatus = "Granted" | "Provisioned" | "Expired" | "Revoked" | "Canceled";

/** The columns both schedule tables share, plus the assignment-only ones (null for eligibilities). */
export type ScheduleRow = {
  kind: ScheduleKind;
  id: string;
  principalId: string;
  principalType: "User" | "Group" | "ServicePrincipal";
  roleDefinitionId: string;
  directoryScopeId: string;
  memberType: "Direct" | "Group";
  status: ScheduleStatus;
  startDateTime: Date;
  endDateTime: Date | null;
  assignmentType: "Assigned" | "Activated" | null;
  eligibilityScheduleId: string | null;
  createdAt: Date;
};

export const LIVE: ScheduleStatus[] = ["Provisioned", "Granted"];
export const isLive = (s: { status: string }) => s.status === "Provisioned" || s.status === "Granted";
/** The window covers `at` (status not Canceled): the one rule that decides access. */
export const coversAt = (s: ScheduleRow, at: Date) =>
  s.status !== "Canceled" && s.startDateTime <= at && (s.endDateTime === null || s.endDateTime > at);
/** Live and not yet over at `at` (in force now or starting later). */
export const notOverAt = (s: ScheduleRow, at: Date) => isLive(s) && (s.endDateTime === null || s.endDateTime > at);

function fromElig(r: typeof res.$inferSelect): ScheduleRow {
  return { kind: "eligibility", ...pick(r), assignmentType: null, eligibilityScheduleId: null };
}
function fromAssign(r: typeof ras.$inferSelect): ScheduleRow {
  return {
    kind: "assignment",
    ...pick(r),
    assignmentType: r.assignmentType,
    eligibilityScheduleId: r.eligibilityScheduleId,
  };
}
function pick(r: typeof res.$inferSelect | typeof ras.$inferSelect) {
  return {
    id: r.id,
    principalId: r.principalId,
    principalType: r.principalType,
    roleDefinitionId: r.roleDefinitionId,
    directoryScopeId: r.directoryScopeId,
    memberType: r.memberType,
    status: r.status,
    startDateTime: r.startDateTime,
    endDateTime: r.endDateTime,
    createdAt: r.createdAt,
  };
}

/** Reads and row-locks a schedule (`FOR UPDATE`) for the rest of the transaction; null when absent. */
export async function lockSchedule(tx: Db, kind: ScheduleKind, id: string): Promise<ScheduleRow | null> {
  if (kind === "eligibility") {
    const [r] = await tx.select().from(res).where(eq(res.id, id)).for("update");
    return r ? fromElig(r) : null;
  }
  const [r] = await tx.select().from(ras).where(eq(ras.id, id)).for("update");
  return r ? fromAssign(r) : null;
}

export type NewSchedule = {
  principalId: string;
  principalType: ScheduleRow["principalType"];
  roleDefinitionId: string;
  directoryScopeId: string;
  status: ScheduleStatus;
  startDateTime: Date;
  endDateTime: Date | null;
  assignmentType?: "Assigned" | "Activated";
  eligibilityScheduleId?: string | null;
  createdUsing: string | null;
  createdBy: string | null;
};

export async function insertSchedule(tx: Db, kind: ScheduleKind, now: Date, v: NewSchedule): Promise<ScheduleRow> {
  const common = {
    principalId: v.principalId,
    principalType: v.principalType,
    roleDefinitionId: v.roleDefinitionId,
    directoryScopeId: v.directoryScopeId,
    memberType: "Direct" as const,
    status: v.status,
    startDateTime: v.startDateTime,
    endDateTime: v.endDateTime,
    createdUsing: v.createdUsing,
    createdBy: v.createdBy,
    createdAt: now,
    updatedAt: now,
  };
  if (kind === "eligibility") {
    const [r] = await tx.insert(res).values(common).returning();
    if (!r) throw new Error("insert failed");
    return fromElig(r);
  }
  const [r] = await tx
    .insert(ras)
    .values({
      ...common,
      assignmentType: v.assignmentType ?? "Assigned",
      eligibilityScheduleId: v.eligibilityScheduleId ?? null,
      // Made through the engine (a row inserted any other way defaults to 'external': the "outside PIM" alert).
      origin: "pim",
    })
    .returning();
  if (!r) throw new Error("insert failed");
  return fromAssign(r);
}

export type SchedulePatch = { status?: ScheduleStatus; startDateTime?: Date; endDateTime?: Date | null };

/** Updates a schedule the caller has locked; returns the new row. */
export async function patchSchedule(
  tx: Db,
  kind: ScheduleKind,
  id: string,
  now: Date,
  patch: SchedulePatch,
): Promise<ScheduleRow> {
  const set = { ...patch, updatedAt: now };
  if (kind === "eligibility") {
    const [r] = await tx.update(res).set(set).where(eq(res.id, id)).returning();
    if (!r) throw new Error("update failed");
    return fromElig(r);
  }
  const [r] = await tx.update(ras).set(set).where(eq(ras.id, id)).returning();
  if (!r) throw new Error("update failed");
  return fromAssign(r);
}

export type NewRequest = {
  requestType: ScheduleKind;
  action: (typeof scheduleRequests.$inferInsert)["action"];
  status: (typeof scheduleRequests.$inferInsert)["status"];
  principalId: string;
  principalType: ScheduleRow["principalType"];
  roleDefinitionId: string;
  directoryScopeId: string;
  justification?: string | null;
  ticketNumber?: string | null;
  ticketSystem?: string | null;
  startDateTime?: Date | null;
  endDateTime?: Date | null;
  duration?: string | null;
  targetScheduleId?: string | null;
  eligibilityScheduleId?: string | null;
  approvalStages?: (typeof scheduleRequests.$inferInsert)["approvalStages"];
  approvalDeadline?: Date | null;
  mfaVerified?: boolean;
  completed: boolean;
};

export type RequestRow = typeof scheduleRequests.$inferSelect;

/** Records a schedule request (every change is one, Graph's model). */
export async function insertRequest(tx: Db, now: Date, actor: Actor, v: NewRequest): Promise<RequestRow> {
  const { completed, ...rest } = v;
  const [r] = await tx
    .insert(scheduleRequests)
    .values({
      ...rest,
      expirationType: v.endDateTime ? (v.duration ? "afterDuration" : "afterDateTime") : "noExpiration",
      requestorId: actor.id,
      requestorType: actor.type,
      createdDateTime: now,
      completedDateTime: completed ? now : null,
      clientIp: actor.clientIp ?? null,
      userAgent: actor.userAgent ?? null,
    })
    .returning();
  if (!r) throw new Error("insert failed");
  return r;
}

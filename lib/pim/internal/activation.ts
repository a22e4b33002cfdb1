import { and, asc, desc, eq, gt, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { roleAssignmentSchedules as ras, roleEligibilitySchedules as res, scheduleRequests } from "@/db/schema";
import type { Db } from "@/db/types";
import { principalAndGroups } from "../access/check-access";
import { PimError } from "../errors";
import { MAX_START_AHEAD_DAYS, MAX_START_AHEAD_MS, MIN_SCHEDULE_MS, START_SKEW_MS } from "../rules/constants";
import { utc } from "../rules/durations";
import type { RoleInfo } from "./directory";
import { expireDueSchedules, staleActivationOf } from "./expiry";
import { insertSchedule, lockSchedule, patchSchedule, type ScheduleRow } from "./schedules";
import { lockKey } from "./tx";

/**
 * Finds and row-locks the eligibility a user activates: held directly or through a group the user belongs
 * to now, for the role, at the requested scope or the directory, live, and covering `start`. Direct
 * eligibilities and exact scopes are preferred, then the latest end. The lock serialises concurrent
 * activations of the same eligibility.
 */
export async function lockEligibilityFor(
  tx: Db,
  userId: string,
  role: RoleInfo,
  scopeId: string,
  scopeName: string,
  start: Date,
  eligibilityScheduleId?: string,
): Promise<ScheduleRow> {
  const candidates = await tx
    .select({ id: res.id, start: res.startDateTime, end: res.endDateTime })
    .from(res)
    .where(
      and(
        sql`${res.principalId} in ${principalAndGroups(userId, start)}`,
        eq(res.roleDefinitionId, role.id),
        sql`${res.directoryScopeId} in (${"/"}, ${scopeId})`,
        inArray(res.status, ["Provisioned", "Granted"]),
        or(isNull(res.endDateTime), gt(res.endDateTime, start)),
        eligibilityScheduleId ? eq(res.id, eligibilityScheduleId) : undefined,
      ),
    )
    .orderBy(
      desc(sql`${res.principalId} = ${userId}::uuid`),
      desc(sql`${res.directoryScopeId} = ${scopeId}`),
      sql`${res.endDateTime} desc nulls first`,
      asc(res.id),
    );
  const usable = candidates.find((c) => c.start <= start);
  if (!usable) {
    const later = candidates[0];
    if (later)
      throw new PimError(
        "EligibilityRule",
        `Your eligibility for ${role.name} starts at ${utc(later.start)}; activate it from then.`,
      );
    throw new PimError("EligibilityRule", `You are not eligible for ${role.name} at ${scopeName}.`);
  }
  const locked = await lockSchedule(tx, "eligibility", usable.id);
  // re-check under the lock: an admin may have removed or shortened it meanwhile
  if (
    !locked ||
    (locked.status !== "Provisioned" && locked.status !== "Granted") ||
    (locked.endDateTime !== null && locked.endDateTime <= start)
  ) {
    throw new PimError("EligibilityRule", `Your eligibility for ${role.name} has just ended.`);
  }
  return locked;
}

/**
 * Refuses a second activation while one is live for the same person, role and scope (or an admin-given
 * active assignment covers it), and a second pending request. A stale activation whose end has passed
 * is first recorded as expired (as the sweep would), so it cannot block the unique index.
 * With `replaceScheduled`, activations of the person for this role that have not started yet (scheduled,
 * Granted with a future start) and would collide are canceled first, with their requests: a new activation
 * replaces a scheduled one. Returns the canceled schedules. Without it, a scheduled one is refused by name.
 */
export async function assertNotAlreadyActive(
  tx: Db,
  now: Date,
  userId: string,
  role: RoleInfo,
  scopeId: string,
  eligibility: ScheduleRow,
  exceptRequestId?: string,
  opts: { replaceScheduled?: boolean } = {},
): Promise<ReplacedActivation[]> {
  // One activation check at a time per person and role: two activations through different eligibilities
  // (direct and through a group, or two scopes) lock different rows, so the row lock alone would not
  // serialise them. Held to commit; the second one then sees the first's activation or request.
  await lockKey(tx, `activate:${userId}:${role.id}`);
  await expireDueSchedules(tx, now, "assignment", {
    limit: 10,
    skipLocked: false,
    where: staleActivationOf(eligibility.id, userId),
  });
  const replaced = opts.replaceScheduled
    ? await cancelScheduledActivations(tx, now, userId, role, scopeId, eligibility)
    : [];
  const [active] = await tx
    .select({ id: ras.id, start: ras.startDateTime, end: ras.endDateTime, type: ras.assignmentType })
    .from(ras)
    .where(
      and(
        eq(ras.principalId, userId),
        eq(ras.roleDefinitionId, role.id),
        sql`${ras.directoryScopeId} in (${"/"}, ${scopeId})`,
        inArray(ras.status, ["Provisioned", "Granted"]),
        or(isNull(ras.endDateTime), gt(ras.endDateTime, now)),
      ),
    )
    .limit(1);
  if (active) {
    if (active.type === "Assigned")
      throw new PimError("Conflict", `You already hold ${role.name} through an active assignment.`, {
        reason: "AssignmentExists",
      });
    if (active.start > now)
      throw new PimError(
        "Conflict",
        `${role.name} is scheduled to activate at ${utc(active.start)}. Cancel the scheduled activation on Pending requests, then ask again.`,
        { reason: "AssignmentExists" },
      );
    throw new PimError(
      "Conflict",
      `${role.name} is already active${active.end ? ` until ${utc(active.end)}` : ""}. Extend it instead of activating it again.`,
      { reason: "AssignmentExists" },
    );
  }
  const [pending] = await tx
    .select({ id: scheduleRequests.id })
    .from(scheduleRequests)
    .where(
      and(
        eq(scheduleRequests.principalId, userId),
        eq(scheduleRequests.roleDefinitionId, role.id),
        eq(scheduleRequests.directoryScopeId, scopeId),
        eq(scheduleRequests.action, "selfActivate"),
        eq(scheduleRequests.status, "PendingApproval"),
        gt(scheduleRequests.approvalDeadline, now),
        exceptRequestId ? ne(scheduleRequests.id, exceptRequestId) : undefined,
      ),
    )
    .limit(1);
  if (pending)
    throw new PimError(
      "Conflict",
      `You already have a pending request to activate ${role.name}. Cancel it or wait for the decision.`,
      { reason: "PendingRequestExists" },
    );
  return replaced;
}

/**
 * Cancels the person's scheduled activations of the role that a new activation at `scopeId` would collide
 * with (same eligibility, or a scope that covers or equals it), with their Granted requests. Row-locked.
 */
async function cancelScheduledActivations(
  tx: Db,
  now: Date,
  userId: string,
  role: RoleInfo,
  scopeId: string,
  eligibility: ScheduleRow,
): Promise<ReplacedActivation[]> {
  const found = await tx
    .select({ id: ras.id })
    .from(ras)
    .where(
      and(
        eq(ras.principalId, userId),
        eq(ras.roleDefinitionId, role.id),
        eq(ras.assignmentType, "Activated"),
        eq(ras.status, "Granted"),
        gt(ras.startDateTime, now),
        or(sql`${ras.directoryScopeId} in (${"/"}, ${scopeId})`, eq(ras.eligibilityScheduleId, eligibility.id)),
      ),
    );
  const out: ReplacedActivation[] = [];
  for (const { id } of found) {
    const s = await lockSchedule(tx, "assignment", id);
    if (!s || s.status !== "Granted" || s.startDateTime <= now) continue;
    const schedule = await patchSchedule(tx, "assignment", id, now, { status: "Canceled" });
    const requests = await tx
      .update(scheduleRequests)
      .set({ status: "Canceled", completedDateTime: now })
      .where(
        and(
          eq(scheduleRequests.principalId, userId),
          eq(scheduleRequests.targetScheduleId, id),
          eq(scheduleRequests.action, "selfActivate"),
          eq(scheduleRequests.status, "Granted"),
        ),
      )
      .returning({ id: scheduleRequests.id });
    out.push({ ...schedule, canceledRequestIds: requests.map((r) => r.id) });
  }
  return out;
}

/** A scheduled activation canceled to make way for a new one, with the requests canceled with it (to audit). */
export type ReplacedActivation = ScheduleRow & { canceledRequestIds: string[] };

/** The activation window: from `start` for `durationMs`, never past the eligibility's end (§4). */
export function activationWindow(
  role: RoleInfo,
  eligibility: ScheduleRow,
  start: Date,
  durationMs: number,
): { start: Date; end: Date } {
  const wanted = start.getTime() + durationMs;
  const end = eligibility.endDateTime ? Math.min(wanted, eligibility.endDateTime.getTime()) : wanted;
  if (end - start.getTime() < MIN_SCHEDULE_MS) {
    throw new PimError(
      "ExpirationRule",
      `Your eligibility for ${role.name} ends at ${utc(eligibility.endDateTime ?? start)}: too soon to activate.`,
    );
  }
  return { start, end: new Date(end) };
}

/**
 * The start of an activation: now without a custom start; a custom start in the future as given. A start in the
 * past (beyond a few minutes of clock skew) or more than 30 days ahead is refused with a field message, never
 * silently moved.
 */
export function activationStart(requested: Date | undefined, now: Date): Date {
  if (!requested) return now;
  const field = (message: string) =>
    new PimError("ValidationFailed", message, { fieldErrors: { startDateTime: [message] } });
  if (requested.getTime() < now.getTime() - START_SKEW_MS)
    throw field(
      "The start time is in the past. Choose a time from now on, or leave the custom start time off to activate now.",
    );
  if (requested.getTime() > now.getTime() + MAX_START_AHEAD_MS)
    throw field(`A custom start can be at most ${MAX_START_AHEAD_DAYS} days from now.`);
  return requested > now ? requested : now;
}

/** Creates the activation schedule for a user (memberType Direct on the user; keeps the eligibility id). */
export async function insertActivation(
  tx: Db,
  now: Date,
  userId: string,
  role: RoleInfo,
  scopeId: string,
  eligibility: ScheduleRow,
  window: { start: Date; end: Date },
  createdBy: string,
) {
  return insertSchedule(tx, "assignment", now, {
    principalId: userId,
    principalType: "User",
    roleDefinitionId: role.id,
    directoryScopeId: scopeId,
    status: window.start > now ? "Granted" : "Provisioned",
    startDateTime: window.start,
    endDateTime: window.end,
    assignmentType: "Activated",
    eligibilityScheduleId: eligibility.id,
    createdUsing: eligibility.id,
    createdBy,
  });
}

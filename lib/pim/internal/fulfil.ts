import type { Db } from "@/db/types";
import { isPimError } from "../errors";
import { getRoleSettings } from "../role-settings";
import { parseIsoDuration } from "../rules/durations";
import { activationWindow, assertNotAlreadyActive, insertActivation } from "./activation";
import { assertNoOverlap, checkAssignmentWindow, checkPrincipal } from "./assignment-rules";
import { loadPrincipal, resolveScope, userEnabledLocked, type RoleInfo } from "./directory";
import { insertSchedule, lockSchedule, notOverAt, patchSchedule, type RequestRow } from "./schedules";

export type Fulfilment =
  | { status: "Provisioned" | "Granted"; scheduleId: string; created: boolean }
  | { status: "Failed"; failureReason: string };

/**
 * Carries out a request whose last approval stage has just passed, re-checking the facts at this moment
 * (the eligibility may have ended, the person may have activated meanwhile). A rule failure here does not
 * undo the decision: the request ends Failed with the reason.
 */
export async function fulfilApprovedRequest(tx: Db, now: Date, r: RequestRow, role: RoleInfo): Promise<Fulfilment> {
  try {
    if (r.action === "selfActivate") return await activate(tx, now, r, role);
    if (r.action === "selfExtend") return await extend(tx, now, r, role);
    if (r.action === "selfRenew") return await renew(tx, now, r, role);
    return { status: "Failed", failureReason: `Requests of type ${r.action} are not approved here.` };
  } catch (err) {
    if (isPimError(err)) return { status: "Failed", failureReason: err.message };
    throw err;
  }
}

async function activate(tx: Db, now: Date, r: RequestRow, role: RoleInfo): Promise<Fulfilment> {
  if (r.principalType === "User" && !(await userEnabledLocked(tx, r.principalId))) {
    return { status: "Failed", failureReason: "The requester's account is disabled." };
  }
  const elig = r.eligibilityScheduleId ? await lockSchedule(tx, "eligibility", r.eligibilityScheduleId) : null;
  const start = r.startDateTime && r.startDateTime > now ? r.startDateTime : now;
  if (!elig || !notOverAt(elig, start) || elig.startDateTime > start) {
    return {
      status: "Failed",
      failureReason: `The eligibility for ${role.name} ended before the request was approved.`,
    };
  }
  const durationMs =
    parseIsoDuration(r.duration) ??
    (r.endDateTime && r.startDateTime ? r.endDateTime.getTime() - r.startDateTime.getTime() : 0);
  const window = activationWindow(role, elig, start, durationMs);
  await assertNotAlreadyActive(tx, now, r.principalId, role, r.directoryScopeId, elig, r.id);
  const s = await insertActivation(
    tx,
    now,
    r.principalId,
    role,
    r.directoryScopeId,
    elig,
    window,
    r.requestorId ?? r.principalId,
  );
  return { status: s.status === "Granted" ? "Granted" : "Provisioned", scheduleId: s.id, created: true };
}

async function extend(tx: Db, now: Date, r: RequestRow, role: RoleInfo): Promise<Fulfilment> {
  const s = r.targetScheduleId ? await lockSchedule(tx, r.requestType, r.targetScheduleId) : null;
  if (!s || !notOverAt(s, now))
    return { status: "Failed", failureReason: "The assignment ended before the extension was approved." };
  let end = r.endDateTime;
  if (s.assignmentType === "Activated" && s.eligibilityScheduleId) {
    const e = await lockSchedule(tx, "eligibility", s.eligibilityScheduleId);
    if (e?.endDateTime && (end === null || end > e.endDateTime)) end = e.endDateTime;
  }
  if (end !== null && s.endDateTime !== null && end <= s.endDateTime) {
    return { status: "Failed", failureReason: "The requested end is not later than the current end." };
  }
  // The role's assignment rules as they are now (an admin may have tightened them since the request).
  if (s.assignmentType !== "Activated") {
    checkAssignmentWindow(
      await getRoleSettings(tx, role.id, s.directoryScopeId),
      role,
      s.kind,
      s.startDateTime,
      end,
      now,
    );
  }
  await patchSchedule(tx, s.kind, s.id, now, { endDateTime: end });
  return { status: "Provisioned", scheduleId: s.id, created: false };
}

async function renew(tx: Db, now: Date, r: RequestRow, role: RoleInfo): Promise<Fulfilment> {
  const principal = await loadPrincipal(tx, r.principalType, r.principalId);
  checkPrincipal(principal, r.requestType);
  const scopeName = await resolveScope(tx, r.directoryScopeId);
  // Re-checked at approval time: the requested end may have passed while waiting, or the rules changed.
  checkAssignmentWindow(
    await getRoleSettings(tx, role.id, r.directoryScopeId),
    role,
    r.requestType,
    now,
    r.endDateTime,
    now,
  );
  await assertNoOverlap(tx, r.requestType, principal, role, r.directoryScopeId, scopeName, now, r.endDateTime);
  const s = await insertSchedule(tx, r.requestType, now, {
    principalId: r.principalId,
    principalType: r.principalType,
    roleDefinitionId: role.id,
    directoryScopeId: r.directoryScopeId,
    status: "Provisioned",
    startDateTime: now,
    endDateTime: r.endDateTime,
    assignmentType: "Assigned",
    createdUsing: r.targetScheduleId,
    createdBy: r.requestorId,
  });
  return { status: "Provisioned", scheduleId: s.id, created: true };
}

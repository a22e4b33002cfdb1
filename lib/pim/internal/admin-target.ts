import type { Db } from "@/db/types";
import { PimError } from "../errors";
import { getRoleSettings, type RoleSettings } from "../role-settings";
import { loadPrincipal, loadRole, resolveScope, type PrincipalInfo, type RoleInfo } from "./directory";
import { lockSchedule, type ScheduleKind, type ScheduleRow } from "./schedules";
import type { Actor } from "../context";
import { auditChange, type UseCaseMeta } from "./tx";

export type AdminTarget = {
  schedule: ScheduleRow;
  role: RoleInfo;
  principal: PrincipalInfo;
  scopeName: string;
  settings: RoleSettings;
};

/** Locks the schedule an admin acts on and loads what the rules and the audit row need. */
export async function lockAdminTarget(
  tx: Db,
  kind: ScheduleKind,
  scheduleId: string,
  meta: UseCaseMeta,
): Promise<AdminTarget> {
  const schedule = await lockSchedule(tx, kind, scheduleId);
  if (!schedule)
    throw new PimError("NotFound", `The ${kind === "eligibility" ? "eligible" : "active"} assignment was not found.`);
  const role = await loadRole(tx, schedule.roleDefinitionId);
  const principal = await loadPrincipal(tx, schedule.principalType, schedule.principalId).catch(() => ({
    id: schedule.principalId,
    type: schedule.principalType,
    name: "(deleted principal)",
    enabled: false,
    assignable: false,
  }));
  const scopeName = await resolveScope(tx, schedule.directoryScopeId).catch(() => schedule.directoryScopeId);
  meta.role = { id: role.id, name: role.name };
  meta.target = { id: principal.id, type: principal.type, name: principal.name };
  meta.directoryScopeId = schedule.directoryScopeId;
  const settings = await getRoleSettings(tx, role.id, schedule.directoryScopeId);
  return { schedule, role, principal, scopeName, settings };
}

/**
 * The audit row of an admin change to a schedule (Update, Remove, Extend, Renew): who did it to whom, the
 * role and scope, the request, and what the admin said (justification and ticket); `changed` and `details`
 * say what moved.
 */
export function auditAdminChange(
  tx: Db,
  now: Date,
  actor: Actor,
  meta: UseCaseMeta,
  s: ScheduleRow,
  change: {
    activity: string;
    operation: string;
    requestId: string;
    input: { justification?: string | null; ticketNumber?: string | null; ticketSystem?: string | null };
    changed: string[];
    details: Record<string, unknown>;
  },
): Promise<void> {
  const { input, ...rest } = change;
  return auditChange(tx, now, {
    ...rest,
    actor,
    target: meta.target,
    role: meta.role,
    directoryScopeId: s.directoryScopeId,
    justification: input.justification,
    ticketNumber: input.ticketNumber,
    ticketSystem: input.ticketSystem,
  });
}

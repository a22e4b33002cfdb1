import { and, eq, gt, isNull, lt, lte, ne, or, sql } from "drizzle-orm";
import { roleAssignmentSchedules as ras, roleEligibilitySchedules as res } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Actor } from "../context";
import { PIM_ADMIN_ROLE_IDS } from "../directory/builtin-roles";
import { PimError } from "../errors";
import { emitNotification } from "../notifications/emit";
import { MFA_RECENT_MS, MIN_SCHEDULE_MS, ms } from "../rules/constants";
import { humanDays, utc } from "../rules/durations";
import type { RoleSettings } from "../role-settings";
import type { PrincipalInfo, RoleInfo } from "./directory";
import { coversAt, LIVE, patchSchedule, type ScheduleKind, type ScheduleRow } from "./schedules";
import { auditChange, lockKey, mfaIsRecent } from "./tx";

export const kindWord = (k: ScheduleKind) => (k === "eligibility" ? "eligible" : "active");

/** Entra's activity names for admin changes, e.g. "Add eligible member to role in PIM completed (timebound)". */
export function adminActivity(
  verb: "Add" | "Update" | "Remove" | "Extend" | "Renew",
  kind: ScheduleKind,
  end?: Date | null,
): string {
  const member = kind === "eligibility" ? "eligible member" : "member";
  const prep = verb === "Add" ? "to" : verb === "Remove" ? "from" : "in";
  const suffix =
    verb === "Add" || verb === "Renew" || verb === "Extend" ? (end === null ? " (permanent)" : " (timebound)") : "";
  return `${verb} ${member} ${prep} role in PIM completed${suffix}`;
}

/**
 * The assignment rules of §2/§3 for a window [start, end) given by an admin: permanent allowed?, maximum
 * length (measured from `from`, default the start), the 5-minute minimum, an end in the future.
 */
export function checkAssignmentWindow(
  s: RoleSettings,
  role: RoleInfo,
  kind: ScheduleKind,
  start: Date,
  end: Date | null,
  now: Date,
  from: Date = start,
): void {
  const word = kindWord(kind);
  const allowPermanent = kind === "eligibility" ? s.allowPermanentEligible : s.allowPermanentActive;
  const maxDays = kind === "eligibility" ? s.eligibleMaxDays : s.activeMaxDays;
  if (end === null) {
    if (!allowPermanent) {
      throw new PimError(
        "ExpirationRule",
        `Permanent ${word} assignments to ${role.name} are not allowed; choose an end within ${humanDays(maxDays)}.`,
      );
    }
    return;
  }
  if (end.getTime() <= start.getTime())
    throw new PimError(
      "ExpirationRule",
      end.getTime() <= now.getTime()
        ? "The end date is in the past. Choose an end after the start."
        : "The end date is before the start. Choose an end after the start.",
    );
  if (end.getTime() - start.getTime() < MIN_SCHEDULE_MS)
    throw new PimError("ExpirationRule", `An assignment must last at least ${MIN_SCHEDULE_MS / 60_000} minutes.`);
  if (end.getTime() - now.getTime() < MIN_SCHEDULE_MS)
    throw new PimError("ExpirationRule", `The end must be at least ${MIN_SCHEDULE_MS / 60_000} minutes from now.`);
  if (!allowPermanent && end.getTime() - from.getTime() > maxDays * ms.DAY) {
    throw new PimError(
      "ExpirationRule",
      `${capital(word)} assignments to ${role.name} can last at most ${humanDays(maxDays)}.`,
    );
  }
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Active assignment policy: justification and MFA when the role's settings require them. */
export function checkActiveAssignmentExtras(
  s: RoleSettings,
  role: RoleInfo,
  actor: Actor,
  now: Date,
  justification: string | undefined,
): boolean {
  if (s.activeRequireJustification && !justification) {
    throw new PimError("JustificationRule", `A justification is required to assign ${role.name} as active.`);
  }
  const mfa = mfaIsRecent(actor, now);
  if (s.activeRequireMfa && !mfa) {
    throw new PimError(
      "MfaRule",
      `Assigning ${role.name} as active requires multifactor authentication in the last ${MFA_RECENT_MS / 60_000} minutes.`,
    );
  }
  return mfa;
}

/** Principal checks for an admin assignment: enabled, role-assignable group, service principals active only. */
export function checkPrincipal(p: PrincipalInfo, kind: ScheduleKind): void {
  if (p.type === "ServicePrincipal" && kind === "eligibility") {
    throw new PimError("EligibilityRule", "Service principals can only hold active assignments.");
  }
  if (!p.enabled) throw new PimError("ValidationFailed", `${p.name} is disabled and cannot be assigned a role.`);
  if (p.type === "Group" && !p.assignable)
    throw new PimError("ValidationFailed", `The group ${p.name} cannot be assigned to roles.`);
}

/**
 * Refuses a second overlapping schedule of the same kind for the same principal, role and scope (Graph:
 * RoleAssignmentExists). Serialised per key with an advisory lock so two admins cannot both add one.
 */
export async function assertNoOverlap(
  tx: Db,
  kind: ScheduleKind,
  p: PrincipalInfo,
  role: RoleInfo,
  scopeId: string,
  scopeName: string,
  start: Date,
  end: Date | null,
  exceptId?: string,
) {
  await lockKey(tx, `assign:${kind}:${p.id}:${role.id}:${scopeId}`);
  const t = kind === "eligibility" ? res : ras;
  const overlapping = await tx
    .select({ id: t.id, end: t.endDateTime })
    .from(t)
    .where(
      and(
        eq(t.principalId, p.id),
        eq(t.roleDefinitionId, role.id),
        eq(t.directoryScopeId, scopeId),
        sql`${t.status} in ('Provisioned','Granted')`,
        or(isNull(t.endDateTime), gt(t.endDateTime, start)),
        end ? lt(t.startDateTime, end) : undefined,
        kind === "assignment" ? eq(ras.assignmentType, "Assigned") : undefined,
        exceptId ? ne(t.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  const o = overlapping[0];
  if (o) {
    throw new PimError(
      "Conflict",
      `${p.name} already has an ${kindWord(kind)} assignment to ${role.name} at ${scopeName}${o.end ? ` until ${utc(o.end)}` : ""}. Update or extend it instead.`,
      { reason: "AssignmentExists" },
    );
  }
}

/**
 * Lockout protection (§2): the last active Global Administrator or Privileged Role Administrator cannot be
 * removed or cut short. Counts the other admin-given (Assigned) assignments of the role at the directory
 * in force at `now` held by an enabled user, a service principal, or a group with an enabled member.
 * Serialised per role so two admins removing the last two holders cannot both succeed.
 */
export async function assertNotLastAdmin(
  tx: Db,
  s: ScheduleRow,
  role: RoleInfo,
  who: string,
  now: Date,
): Promise<void> {
  if (s.kind !== "assignment" || s.assignmentType !== "Assigned" || s.directoryScopeId !== "/") return;
  if (!(PIM_ADMIN_ROLE_IDS as readonly string[]).includes(s.roleDefinitionId) || !coversAt(s, now)) return;
  await lockKey(tx, `lockout:${s.roleDefinitionId}`);
  const others = await tx
    .select({ id: ras.id })
    .from(ras)
    .where(
      and(
        eq(ras.roleDefinitionId, s.roleDefinitionId),
        eq(ras.directoryScopeId, "/"),
        eq(ras.assignmentType, "Assigned"),
        ne(ras.id, s.id),
        ne(ras.status, "Canceled"),
        lte(ras.startDateTime, now),
        or(isNull(ras.endDateTime), gt(ras.endDateTime, now)),
        sql`(
          (${ras.principalType} = 'User' and exists (select 1 from users u where u.id = ${ras.principalId} and u.account_enabled))
          or (${ras.principalType} = 'ServicePrincipal' and exists (select 1 from service_principals sp where sp.id = ${ras.principalId} and sp.account_enabled))
          or (${ras.principalType} = 'Group' and exists (select 1 from group_members gm join users u on u.id = gm.user_id where gm.group_id = ${ras.principalId} and u.account_enabled))
        )`,
      ),
    )
    .limit(1);
  if (others.length === 0) {
    throw new PimError(
      "LockoutProtection",
      `${who} is the last active ${role.name}. Assign another active ${role.name} before removing this assignment.`,
    );
  }
}

/**
 * An activation never outlives its eligibility: when an eligibility ends at `end`, every live activation
 * from it that would run past `end` is cut to it (Revoked when that is now). Each is audited.
 */
export async function clampActivations(
  tx: Db,
  now: Date,
  actor: Actor | null,
  eligibility: ScheduleRow,
  end: Date,
  reason: string,
  role: RoleInfo,
  requestId: string | null,
) {
  const rows = await tx
    .select({ id: ras.id, principalId: ras.principalId, start: ras.startDateTime })
    .from(ras)
    .where(
      and(
        eq(ras.eligibilityScheduleId, eligibility.id),
        sql`${ras.status} in ${sql.raw(`('${LIVE.join("','")}')`)}`,
        or(isNull(ras.endDateTime), gt(ras.endDateTime, end)),
      ),
    )
    .for("update");
  for (const r of rows) {
    const endsNow = end.getTime() <= now.getTime();
    const notStarted = r.start.getTime() >= end.getTime();
    const patched = await patchSchedule(tx, "assignment", r.id, now, {
      endDateTime: notStarted ? r.start : end,
      ...(endsNow || notStarted ? { status: notStarted ? "Canceled" : "Revoked" } : {}),
    });
    await auditChange(tx, now, {
      activity: endsNow
        ? `Remove member from role (PIM activation ended: ${reason})`
        : `Update member in role (PIM activation shortened: ${reason})`,
      operation: "schedule.clamp",
      actor,
      target: { id: r.principalId, type: "User", name: await userName(tx, r.principalId) },
      role: { id: role.id, name: role.name },
      directoryScopeId: patched.directoryScopeId,
      requestId,
      changed: [r.id],
      details: {
        scheduleId: r.id,
        eligibilityScheduleId: eligibility.id,
        endDateTime: patched.endDateTime?.toISOString() ?? null,
      },
    });
    if (endsNow)
      await emitNotification(tx, now, { type: "assignmentRemoved", kind: "assignment", scheduleId: r.id, requestId });
  }
}

async function userName(tx: Db, id: string): Promise<string> {
  const r = await tx.execute(sql`select display_name from users where id = ${id}`);
  const rows = (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { display_name: string }[];
  return rows[0]?.display_name ?? id;
}

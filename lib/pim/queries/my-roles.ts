import { sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { roleAssignmentSchedules, roleEligibilitySchedules } from "@/db/schema";
import type { Actor, Ctx } from "../context";
import {
  DEFAULT_ROLE_SETTINGS,
  EXPIRED_LIST_MS,
  EXTEND_WINDOW_MS,
  REMOVE_GRACE_MS,
  RENEW_WINDOW_MS,
} from "../rules/constants";
import { rowsOf, toDate } from "../sql-rows";
import { heldByMeOrMyGroups, liveSchedule } from "./read-scope";

const e = alias(roleEligibilitySchedules, "e");
const a = alias(roleAssignmentSchedules, "a");

/** Columns every tab reads, as they come back from the driver (timestamps as Date or ISO text). */
type NamedRow = {
  id: string;
  role_definition_id: string;
  directory_scope_id: string;
  principal_type: "User" | "Group" | "ServicePrincipal";
  principal_id: string;
  start_date_time: Date | string;
  end_date_time: Date | string | null;
  role_name: string;
  role_description: string | null;
  scope_name: string;
  via_group_name: string | null;
};

/** Scope name, role name and the holder's group (when held through one), shared by the three tabs. */
const names = (t: string) =>
  sql.raw(`
    rd.display_name as role_name, rd.description as role_description,
    case when ${t}.directory_scope_id = '/' then 'Directory' else coalesce(au.display_name, ${t}.directory_scope_id) end as scope_name,
    case when ${t}.principal_type = 'Group' then g.display_name end as via_group_name`);
const joins = (t: string) =>
  sql.raw(`
  join role_definitions rd on rd.id = ${t}.role_definition_id
  left join administrative_units au on ${t}.directory_scope_id = '/administrativeUnits/' || au.id::text
  left join groups g on ${t}.principal_type = 'Group' and g.id = ${t}.principal_id`);

/**
 * The effective-settings rule as a lateral row: the role's settings at the schedule's scope when a row
 * exists there, else the directory-wide row (null columns: Entra's defaults, applied by the caller).
 */
const effectiveSettings = (roleColumn: SQL | typeof e.roleDefinitionId, scopeColumn: typeof e.directoryScopeId) => sql`
  left join lateral (
    select rs.activation_max_minutes, rs.activation_require_mfa, rs.activation_require_justification,
           rs.activation_require_ticket, rs.approval_required
      from role_settings rs
     where rs.role_definition_id = ${roleColumn} and rs.directory_scope_id in ('/', ${scopeColumn})
     order by (rs.directory_scope_id <> '/') desc limit 1) pol on true`;

/** Narrows a policy flag from the settings row (null = no row: the default applies). */
const flag = (v: boolean | null, fallback: boolean) => (v === null ? fallback : v);
const date = (v: Date | string) => toDate(v) as Date;

export type MyEligibleRole = {
  scheduleId: string;
  roleDefinitionId: string;
  roleName: string;
  roleDescription: string;
  directoryScopeId: string;
  scopeName: string;
  memberType: "Direct" | "Group";
  viaGroupId: string | null;
  viaGroupName: string | null;
  startDateTime: Date;
  endDateTime: Date | null;
  /** What the Activate form must show and ask for (the role's settings at this scope). */
  policy: {
    activationMaxMinutes: number;
    requireMfa: boolean;
    requireJustification: boolean;
    requireTicket: boolean;
    approvalRequired: boolean;
  };
  /** The actor's live activation of this eligibility that has started, if any (then no Activate). */
  activation: { scheduleId: string; startDateTime: Date; endDateTime: Date | null } | null;
  /** The actor's scheduled activation (starts later): shown as Scheduled; Activate stays offered (it replaces it). */
  scheduledActivation: { scheduleId: string; startDateTime: Date; endDateTime: Date | null } | null;
  /** A pending activation request of the actor for this role and scope. */
  pendingRequestId: string | null;
  /** Self-extension is offered when the eligibility ends within 14 days. */
  canRequestExtension: boolean;
};

/**
 * My roles › Eligible assignments: eligibilities held by the actor directly or through a group, live and
 * not over, with the role's activation policy, the current activation and any pending request. One query.
 */
export async function listMyEligibleRoles(ctx: Ctx, actor: Actor): Promise<MyEligibleRole[]> {
  const now = ctx.now();
  const me = actor.id;
  const iso = now.toISOString();
  type Row = NamedRow & {
    activation_max_minutes: number | null;
    activation_require_mfa: boolean | null;
    activation_require_justification: boolean | null;
    activation_require_ticket: boolean | null;
    approval_required: boolean | null;
    act_id: string | null;
    act_start: Date | string | null;
    act_end: Date | string | null;
    pending_id: string | null;
  };
  const res = await ctx.db.execute(sql`
    select e.id, e.role_definition_id, e.directory_scope_id, e.principal_type, e.principal_id, e.start_date_time, e.end_date_time, ${names("e")},
      pol.activation_max_minutes, pol.activation_require_mfa, pol.activation_require_justification, pol.activation_require_ticket, pol.approval_required,
      act.id as act_id, act.start_date_time as act_start, act.end_date_time as act_end,
      (select r.id from schedule_requests r where r.principal_id = ${me}::uuid and r.role_definition_id = e.role_definition_id
         and r.action = 'selfActivate' and r.status = 'PendingApproval' and r.approval_deadline > ${iso}::timestamptz
         order by r.created_date_time desc limit 1) as pending_id
    from role_eligibility_schedules e ${joins("e")}
    ${effectiveSettings(e.roleDefinitionId, e.directoryScopeId)}
    left join lateral (
      select a.id, a.start_date_time, a.end_date_time from role_assignment_schedules a
      where a.eligibility_schedule_id = e.id and a.principal_id = ${me}::uuid and a.assignment_type = 'Activated'
        and a.status in ('Provisioned','Granted') and (a.end_date_time is null or a.end_date_time > ${iso}::timestamptz)
      order by a.start_date_time limit 1) act on true
    where ${heldByMeOrMyGroups(e.principalId, me, now)} and ${liveSchedule(e, now)}
    order by rd.display_name, scope_name, e.id
    limit 500`);
  return rowsOf<Row>(res).map((r) => {
    const end = toDate(r.end_date_time);
    const viaGroup = r.principal_type === "Group";
    const act =
      r.act_id && r.act_start
        ? { scheduleId: r.act_id, startDateTime: date(r.act_start), endDateTime: toDate(r.act_end) }
        : null;
    return {
      scheduleId: r.id,
      roleDefinitionId: r.role_definition_id,
      roleName: r.role_name,
      roleDescription: r.role_description ?? "",
      directoryScopeId: r.directory_scope_id,
      scopeName: r.scope_name,
      memberType: viaGroup ? "Group" : "Direct",
      viaGroupId: viaGroup ? r.principal_id : null,
      viaGroupName: r.via_group_name,
      startDateTime: date(r.start_date_time),
      endDateTime: end,
      policy: {
        activationMaxMinutes: r.activation_max_minutes ?? DEFAULT_ROLE_SETTINGS.activationMaxMinutes,
        requireMfa: flag(r.activation_require_mfa, DEFAULT_ROLE_SETTINGS.activationRequireMfa),
        requireJustification: flag(
          r.activation_require_justification,
          DEFAULT_ROLE_SETTINGS.activationRequireJustification,
        ),
        requireTicket: flag(r.activation_require_ticket, DEFAULT_ROLE_SETTINGS.activationRequireTicket),
        approvalRequired: flag(r.approval_required, DEFAULT_ROLE_SETTINGS.approvalRequired),
      },
      activation: act && act.startDateTime <= now ? act : null,
      scheduledActivation: act && act.startDateTime > now ? act : null,
      pendingRequestId: r.pending_id,
      canRequestExtension: !viaGroup && end !== null && end.getTime() - now.getTime() <= EXTEND_WINDOW_MS,
    };
  });
}

export type MyActiveRole = {
  scheduleId: string;
  roleDefinitionId: string;
  roleName: string;
  directoryScopeId: string;
  scopeName: string;
  assignmentType: "Assigned" | "Activated";
  memberType: "Direct" | "Group";
  viaGroupId: string | null;
  viaGroupName: string | null;
  status: string;
  startDateTime: Date;
  endDateTime: Date | null;
  /** Starts later (a scheduled activation or assignment): shown as Scheduled; activations can be canceled. */
  scheduled: boolean;
  /** Activations: Deactivate is offered from this moment (5 minutes after the start). */
  deactivatableFrom: Date | null;
  canRequestExtension: boolean;
};

/**
 * My roles › Active assignments: assignments and activations held directly or through a group that have
 * not ended (including scheduled ones that start later). One query.
 */
export async function listMyActiveRoles(ctx: Ctx, actor: Actor): Promise<MyActiveRole[]> {
  const now = ctx.now();
  const me = actor.id;
  type Row = NamedRow & { assignment_type: "Assigned" | "Activated"; status: string };
  const res = await ctx.db.execute(sql`
    select a.id, a.role_definition_id, a.directory_scope_id, a.principal_type, a.principal_id, a.assignment_type, a.status,
      a.start_date_time, a.end_date_time, ${names("a")}
    from role_assignment_schedules a ${joins("a")}
    where ${heldByMeOrMyGroups(a.principalId, me, now)} and ${liveSchedule(a, now)}
    order by rd.display_name, scope_name, a.start_date_time, a.id
    limit 500`);
  return rowsOf<Row>(res).map((r) => {
    const start = date(r.start_date_time);
    const end = toDate(r.end_date_time);
    const viaGroup = r.principal_type === "Group";
    const activated = r.assignment_type === "Activated";
    return {
      scheduleId: r.id,
      roleDefinitionId: r.role_definition_id,
      roleName: r.role_name,
      directoryScopeId: r.directory_scope_id,
      scopeName: r.scope_name,
      assignmentType: activated ? "Activated" : "Assigned",
      memberType: viaGroup ? "Group" : "Direct",
      viaGroupId: viaGroup ? r.principal_id : null,
      viaGroupName: r.via_group_name,
      status: r.status,
      startDateTime: start,
      endDateTime: end,
      scheduled: start > now,
      deactivatableFrom: activated ? new Date(start.getTime() + REMOVE_GRACE_MS) : null,
      canRequestExtension: !viaGroup && end !== null && end.getTime() - now.getTime() <= EXTEND_WINDOW_MS,
    };
  });
}

export type MyExpiredRole = {
  kind: "eligibility" | "assignment";
  scheduleId: string;
  roleDefinitionId: string;
  roleName: string;
  directoryScopeId: string;
  scopeName: string;
  assignmentType: "Assigned" | "Activated" | null;
  status: string;
  startDateTime: Date;
  endDateTime: Date;
  /** Renew is offered for eligible and admin-given assignments that ended at most 30 days ago. */
  canRequestRenewal: boolean;
};

/**
 * My roles › Expired assignments: the actor's own eligibilities, assignments and activations that ended
 * (expired, removed or deactivated) since `since` (default: 30 days ago), newest end first. One query.
 */
export async function listMyExpiredRoles(
  ctx: Ctx,
  actor: Actor,
  opts: { since?: Date } = {},
): Promise<MyExpiredRole[]> {
  type Row = NamedRow & {
    kind: "eligibility" | "assignment";
    assignment_type: "Assigned" | "Activated" | null;
    status: string;
  };
  const now = ctx.now();
  const since = opts.since ?? new Date(now.getTime() - EXPIRED_LIST_MS);
  const me = actor.id;
  const [iso, sinceIso] = [now.toISOString(), since.toISOString()];
  const res = await ctx.db.execute(sql`
    select * from (
      select 'eligibility' as kind, e.id, e.role_definition_id, e.directory_scope_id, e.principal_type, e.principal_id,
        null::text as assignment_type, e.status::text as status, e.start_date_time, e.end_date_time, ${names("e")}
      from role_eligibility_schedules e ${joins("e")}
      where e.principal_id = ${me}::uuid and e.status <> 'Canceled'
        and e.end_date_time <= ${iso}::timestamptz and e.end_date_time >= ${sinceIso}::timestamptz
      union all
      select 'assignment' as kind, a.id, a.role_definition_id, a.directory_scope_id, a.principal_type, a.principal_id,
        a.assignment_type::text, a.status::text, a.start_date_time, a.end_date_time, ${names("a")}
      from role_assignment_schedules a ${joins("a")}
      where a.principal_id = ${me}::uuid and a.status <> 'Canceled'
        and a.end_date_time <= ${iso}::timestamptz and a.end_date_time >= ${sinceIso}::timestamptz
    ) x
    order by end_date_time desc, id desc
    limit 500`);
  return rowsOf<Row>(res).map((r) => {
    const end = date(r.end_date_time as Date | string);
    const type = r.assignment_type;
    return {
      kind: r.kind,
      scheduleId: r.id,
      roleDefinitionId: r.role_definition_id,
      roleName: r.role_name,
      directoryScopeId: r.directory_scope_id,
      scopeName: r.scope_name,
      assignmentType: type,
      // Ended by its window even if the sweep has not recorded it yet (access already stopped at the end).
      status: r.status === "Provisioned" || r.status === "Granted" ? "Expired" : r.status,
      startDateTime: date(r.start_date_time),
      endDateTime: end,
      canRequestRenewal: type !== "Activated" && now.getTime() - end.getTime() <= RENEW_WINDOW_MS,
    };
  });
}

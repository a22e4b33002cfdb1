import { sql } from "drizzle-orm";
import type { Actor, Ctx } from "../context";
import {
  DEFAULT_ROLE_SETTINGS,
  EXPIRED_LIST_MS,
  EXTEND_WINDOW_MS,
  REMOVE_GRACE_MS,
  RENEW_WINDOW_MS,
} from "../rules/constants";
import { rowsOf, toDate } from "../sql-rows";

type Raw = Record<string, unknown>;
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
const d = (v: unknown) => toDate(v as Date | string | null);

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
const mineOrMyGroups = (t: string, me: string) =>
  sql`(${sql.raw(t)}.principal_id = ${me}::uuid or (${sql.raw(t)}.principal_type = 'Group' and ${sql.raw(t)}.principal_id in (select group_id from group_members where user_id = ${me}::uuid)))`;

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
  /** The actor's live activation of this eligibility, if any (then offer Extend/Deactivate, not Activate). */
  activation: { scheduleId: string; startDateTime: Date; endDateTime: Date | null } | null;
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
  const res = await ctx.db.execute(sql`
    select e.id, e.role_definition_id, e.directory_scope_id, e.principal_type, e.principal_id, e.start_date_time, e.end_date_time, ${names("e")},
      pol.activation_max_minutes, pol.activation_require_mfa, pol.activation_require_justification, pol.activation_require_ticket, pol.approval_required,
      act.id as act_id, act.start_date_time as act_start, act.end_date_time as act_end,
      (select r.id from schedule_requests r where r.principal_id = ${me}::uuid and r.role_definition_id = e.role_definition_id
         and r.action = 'selfActivate' and r.status = 'PendingApproval' and r.approval_deadline > ${iso}::timestamptz
         order by r.created_date_time desc limit 1) as pending_id
    from role_eligibility_schedules e ${joins("e")}
    left join lateral (
      select rs.* from role_settings rs where rs.role_definition_id = e.role_definition_id and rs.directory_scope_id in ('/', e.directory_scope_id)
      order by (rs.directory_scope_id <> '/') desc limit 1) pol on true
    left join lateral (
      select a.id, a.start_date_time, a.end_date_time from role_assignment_schedules a
      where a.eligibility_schedule_id = e.id and a.principal_id = ${me}::uuid and a.assignment_type = 'Activated'
        and a.status in ('Provisioned','Granted') and (a.end_date_time is null or a.end_date_time > ${iso}::timestamptz)
      order by a.start_date_time limit 1) act on true
    where ${mineOrMyGroups("e", me)} and e.status in ('Provisioned','Granted')
      and (e.end_date_time is null or e.end_date_time > ${iso}::timestamptz)
    order by rd.display_name, scope_name, e.id
    limit 500`);
  return rowsOf<Raw>(res).map((r) => {
    const end = d(r.end_date_time);
    const viaGroup = r.principal_type === "Group";
    return {
      scheduleId: String(r.id),
      roleDefinitionId: String(r.role_definition_id),
      roleName: String(r.role_name),
      roleDescription: String(r.role_description ?? ""),
      directoryScopeId: String(r.directory_scope_id),
      scopeName: String(r.scope_name),
      memberType: viaGroup ? "Group" : "Direct",
      viaGroupId: viaGroup ? String(r.principal_id) : null,
      viaGroupName: s(r.via_group_name),
      startDateTime: d(r.start_date_time) as Date,
      endDateTime: end,
      policy: {
        activationMaxMinutes: Number(r.activation_max_minutes ?? DEFAULT_ROLE_SETTINGS.activationMaxMinutes),
        requireMfa: Boolean(r.activation_require_mfa ?? DEFAULT_ROLE_SETTINGS.activationRequireMfa),
        requireJustification: Boolean(
          r.activation_require_justification ?? DEFAULT_ROLE_SETTINGS.activationRequireJustification,
        ),
        requireTicket: Boolean(r.activation_require_ticket ?? DEFAULT_ROLE_SETTINGS.activationRequireTicket),
        approvalRequired: Boolean(r.approval_required ?? DEFAULT_ROLE_SETTINGS.approvalRequired),
      },
      activation: r.act_id
        ? { scheduleId: String(r.act_id), startDateTime: d(r.act_start) as Date, endDateTime: d(r.act_end) }
        : null,
      pendingRequestId: s(r.pending_id),
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
  const res = await ctx.db.execute(sql`
    select a.id, a.role_definition_id, a.directory_scope_id, a.principal_type, a.principal_id, a.assignment_type, a.status,
      a.start_date_time, a.end_date_time, ${names("a")}
    from role_assignment_schedules a ${joins("a")}
    where ${mineOrMyGroups("a", me)} and a.status in ('Provisioned','Granted')
      and (a.end_date_time is null or a.end_date_time > ${now.toISOString()}::timestamptz)
    order by rd.display_name, scope_name, a.start_date_time, a.id
    limit 500`);
  return rowsOf<Raw>(res).map((r) => {
    const start = d(r.start_date_time) as Date;
    const end = d(r.end_date_time);
    const viaGroup = r.principal_type === "Group";
    const activated = r.assignment_type === "Activated";
    return {
      scheduleId: String(r.id),
      roleDefinitionId: String(r.role_definition_id),
      roleName: String(r.role_name),
      directoryScopeId: String(r.directory_scope_id),
      scopeName: String(r.scope_name),
      assignmentType: activated ? "Activated" : "Assigned",
      memberType: viaGroup ? "Group" : "Direct",
      viaGroupId: viaGroup ? String(r.principal_id) : null,
      viaGroupName: s(r.via_group_name),
      status: String(r.status),
      startDateTime: start,
      endDateTime: end,
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
  return rowsOf<Raw>(res).map((r) => {
    const end = d(r.end_date_time) as Date;
    const type = s(r.assignment_type) as MyExpiredRole["assignmentType"];
    return {
      kind: r.kind === "eligibility" ? "eligibility" : "assignment",
      scheduleId: String(r.id),
      roleDefinitionId: String(r.role_definition_id),
      roleName: String(r.role_name),
      directoryScopeId: String(r.directory_scope_id),
      scopeName: String(r.scope_name),
      assignmentType: type,
      // Ended by its window even if the sweep has not recorded it yet (access already stopped at the end).
      status: r.status === "Provisioned" || r.status === "Granted" ? "Expired" : String(r.status),
      startDateTime: d(r.start_date_time) as Date,
      endDateTime: end,
      canRequestRenewal: type !== "Activated" && now.getTime() - end.getTime() <= RENEW_WINDOW_MS,
    };
  });
}

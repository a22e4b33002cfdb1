import { sql, type SQL } from "drizzle-orm";
import { isPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { rowsOf, toDate } from "../sql-rows";

/** A schedule request as the request pages show it, names joined in. */
export type RequestView = {
  id: string;
  action: string;
  status: string;
  requestType: "assignment" | "eligibility";
  principalId: string;
  principalType: "User" | "Group" | "ServicePrincipal";
  principalName: string;
  principalUpn: string | null;
  requestorId: string | null;
  requestorName: string | null;
  roleDefinitionId: string;
  roleName: string;
  directoryScopeId: string;
  /** "Directory" or the administrative unit's name. */
  scopeName: string;
  justification: string | null;
  ticketNumber: string | null;
  ticketSystem: string | null;
  startDateTime: Date | null;
  endDateTime: Date | null;
  duration: string | null;
  createdDateTime: Date;
  completedDateTime: Date | null;
  approvalDeadline: Date | null;
  /** 0-based current stage and the number of stages. */
  currentStage: number;
  stageCount: number;
  failureReason: string | null;
};

type Raw = Record<string, unknown> & { created_date_time: Date | string; id: string };

const select = sql`
  select r.id, r.action, r.status, r.request_type, r.principal_id, r.principal_type,
    coalesce(pu.display_name, pg.display_name, ps.display_name, 'Unknown principal') as principal_name,
    pu.user_principal_name as principal_upn, r.requestor_id, ru.display_name as requestor_name,
    r.role_definition_id, rd.display_name as role_name, r.directory_scope_id,
    case when r.directory_scope_id = '/' then 'Directory' else coalesce(au.display_name, r.directory_scope_id) end as scope_name,
    r.justification, r.ticket_number, r.ticket_system, r.start_date_time, r.end_date_time, r.duration,
    r.created_date_time, r.completed_date_time, r.approval_deadline, r.current_stage,
    greatest(jsonb_array_length(r.approval_stages), 1) as stage_count, r.failure_reason
  from schedule_requests r
  join role_definitions rd on rd.id = r.role_definition_id
  left join users pu on r.principal_type = 'User' and pu.id = r.principal_id
  left join groups pg on r.principal_type = 'Group' and pg.id = r.principal_id
  left join service_principals ps on r.principal_type = 'ServicePrincipal' and ps.id = r.principal_id
  left join users ru on ru.id = r.requestor_id
  left join administrative_units au on r.directory_scope_id = '/administrativeUnits/' || au.id::text`;

function toView(r: Raw): RequestView {
  return {
    id: r.id,
    action: String(r.action),
    status: String(r.status),
    requestType: r.request_type as RequestView["requestType"],
    principalId: String(r.principal_id),
    principalType: r.principal_type as RequestView["principalType"],
    principalName: String(r.principal_name),
    principalUpn: (r.principal_upn as string | null) ?? null,
    requestorId: (r.requestor_id as string | null) ?? null,
    requestorName: (r.requestor_name as string | null) ?? null,
    roleDefinitionId: String(r.role_definition_id),
    roleName: String(r.role_name),
    directoryScopeId: String(r.directory_scope_id),
    scopeName: String(r.scope_name),
    justification: (r.justification as string | null) ?? null,
    ticketNumber: (r.ticket_number as string | null) ?? null,
    ticketSystem: (r.ticket_system as string | null) ?? null,
    startDateTime: toDate(r.start_date_time as Date | string | null),
    endDateTime: toDate(r.end_date_time as Date | string | null),
    duration: (r.duration as string | null) ?? null,
    createdDateTime: toDate(r.created_date_time) as Date,
    completedDateTime: toDate(r.completed_date_time as Date | string | null),
    approvalDeadline: toDate(r.approval_deadline as Date | string | null),
    currentStage: Number(r.current_stage),
    stageCount: Number(r.stage_count),
    failureReason: (r.failure_reason as string | null) ?? null,
  };
}

/** Keyset cursor over (created_date_time desc, id desc). */
export type RequestCursor = { createdDateTime: string; id: string };
const after = (c: RequestCursor | null | undefined): SQL =>
  c ? sql` and (r.created_date_time, r.id) < (${c.createdDateTime}::timestamptz, ${c.id}::uuid)` : sql``;
const page = (rows: RequestView[], limit: number) => {
  const list = rows.slice(0, limit);
  const last = list[list.length - 1];
  return {
    rows: list,
    nextCursor:
      rows.length > limit && last ? { createdDateTime: last.createdDateTime.toISOString(), id: last.id } : null,
  };
};

/**
 * Requests awaiting the actor's decision ("Approve requests"): pending, before their deadline, at a stage
 * the actor may decide (named user, member of a named group, or — no approvers named — GA/PRA holder now),
 * not the actor's own, not already decided by the actor. Newest first, keyset-paginated. One query.
 */
export async function listApprovableRequests(
  ctx: Ctx,
  actor: Actor,
  opts: { limit?: number; cursor?: RequestCursor | null } = {},
): Promise<{ rows: RequestView[]; nextCursor: RequestCursor | null }> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const now = ctx.now();
  const admin = await isPimAdmin(ctx.db, actor.id, now);
  const me = actor.id;
  const res = await ctx.db.execute(sql`${select}
    where r.status = 'PendingApproval' and r.approval_deadline > ${now.toISOString()}::timestamptz
      and r.principal_id <> ${me}::uuid and r.requestor_id is distinct from ${me}::uuid
      and not exists (select 1 from approval_decisions d where d.request_id = r.id and d.approver_id = ${me}::uuid)
      and exists (select 1 from users me where me.id = ${me}::uuid and me.account_enabled)
      and (
        (coalesce(jsonb_array_length(r.approval_stages -> r.current_stage -> 'approvers'), 0) = 0 and ${admin})
        or exists (
          select 1 from jsonb_array_elements(coalesce(r.approval_stages -> r.current_stage -> 'approvers', '[]'::jsonb)) a
          where (a ->> 'type' = 'User' and a ->> 'id' = ${me})
             or (a ->> 'type' = 'Group' and exists (
                  select 1 from group_members gm where gm.group_id = (a ->> 'id')::uuid and gm.user_id = ${me}::uuid))
        )
      )${after(opts.cursor)}
    order by r.created_date_time desc, r.id desc
    limit ${limit + 1}`);
  return page(rowsOf<Raw>(res).map(toView), limit);
}

/**
 * The actor's own requests ("My requests"): made by or for the actor, newest first; `pendingOnly` for the
 * Pending requests page. Keyset-paginated on (created_date_time, id).
 */
export async function listMyRequests(
  ctx: Ctx,
  actor: Actor,
  opts: { pendingOnly?: boolean; limit?: number; cursor?: RequestCursor | null } = {},
): Promise<{ rows: RequestView[]; nextCursor: RequestCursor | null }> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const me = actor.id;
  const res = await ctx.db.execute(sql`${select}
    where (r.principal_id = ${me}::uuid or r.requestor_id = ${me}::uuid)
      and r.action in ('selfActivate', 'selfExtend', 'selfRenew', 'selfDeactivate')
      ${opts.pendingOnly ? sql`and r.status = 'PendingApproval' and r.approval_deadline > ${ctx.now().toISOString()}::timestamptz` : sql``}${after(opts.cursor)}
    order by r.created_date_time desc, r.id desc
    limit ${limit + 1}`);
  return page(rowsOf<Raw>(res).map(toView), limit);
}

/** One request with names (for a detail panel); null when absent. Callers authorize. */
export async function getRequestView(ctx: Ctx, requestId: string): Promise<RequestView | null> {
  const res = await ctx.db.execute(sql`${select} where r.id = ${requestId}::uuid`);
  const row = rowsOf<Raw>(res)[0];
  return row ? toView(row) : null;
}

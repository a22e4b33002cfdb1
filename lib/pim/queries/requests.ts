import { sql, type SQL } from "drizzle-orm";
import type { Actor, Ctx } from "../context";
import { PIM_ADMIN_ROLE_IDS } from "../directory/builtin-roles";
import { managesPim } from "../authz";
import { rowsOf, toDate } from "../sql-rows";
import { assertPimReader, cappedCount, toCapped, type CappedCount, pimReader, readRights } from "./read-scope";

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

type Ts = Date | string;
type Raw = {
  id: string;
  action: string;
  status: string;
  request_type: RequestView["requestType"];
  principal_id: string;
  principal_type: RequestView["principalType"];
  principal_name: string;
  principal_upn: string | null;
  requestor_id: string | null;
  requestor_name: string | null;
  role_definition_id: string;
  role_name: string;
  directory_scope_id: string;
  scope_name: string;
  justification: string | null;
  ticket_number: string | null;
  ticket_system: string | null;
  start_date_time: Ts | null;
  end_date_time: Ts | null;
  duration: string | null;
  created_date_time: Ts;
  completed_date_time: Ts | null;
  approval_deadline: Ts | null;
  current_stage: number;
  stage_count: number | string;
  failure_reason: string | null;
};

/**
 * Names joined to the requests of `page`, a sub-select of schedule_requests (aliased r) that already holds
 * its where, order and limit: the names are looked up for the page's rows only, not for every match.
 */
const named = (page: SQL) => sql`
  select r.id, r.action, r.status, r.request_type, r.principal_id, r.principal_type,
    coalesce(pu.display_name, pg.display_name, ps.display_name, 'Unknown principal') as principal_name,
    pu.user_principal_name as principal_upn, r.requestor_id, ru.display_name as requestor_name,
    r.role_definition_id, rd.display_name as role_name, r.directory_scope_id,
    case when r.directory_scope_id = '/' then 'Directory' else coalesce(au.display_name, r.directory_scope_id) end as scope_name,
    r.justification, r.ticket_number, r.ticket_system, r.start_date_time, r.end_date_time, r.duration,
    r.created_date_time, r.completed_date_time, r.approval_deadline, r.current_stage,
    greatest(jsonb_array_length(r.approval_stages), 1) as stage_count, r.failure_reason
  from (${page}) r
  join role_definitions rd on rd.id = r.role_definition_id
  left join users pu on r.principal_type = 'User' and pu.id = r.principal_id
  left join groups pg on r.principal_type = 'Group' and pg.id = r.principal_id
  left join service_principals ps on r.principal_type = 'ServicePrincipal' and ps.id = r.principal_id
  left join users ru on ru.id = r.requestor_id
  left join administrative_units au on r.directory_scope_id = '/administrativeUnits/' || au.id::text
  order by r.created_date_time desc, r.id desc`;

function toView(r: Raw): RequestView {
  return {
    id: r.id,
    action: r.action,
    status: r.status,
    requestType: r.request_type,
    principalId: r.principal_id,
    principalType: r.principal_type,
    principalName: r.principal_name,
    principalUpn: r.principal_upn,
    requestorId: r.requestor_id,
    requestorName: r.requestor_name,
    roleDefinitionId: r.role_definition_id,
    roleName: r.role_name,
    directoryScopeId: r.directory_scope_id,
    scopeName: r.scope_name,
    justification: r.justification,
    ticketNumber: r.ticket_number,
    ticketSystem: r.ticket_system,
    startDateTime: toDate(r.start_date_time),
    endDateTime: toDate(r.end_date_time),
    duration: r.duration,
    createdDateTime: toDate(r.created_date_time) as Date,
    completedDateTime: toDate(r.completed_date_time),
    approvalDeadline: toDate(r.approval_deadline),
    currentStage: Number(r.current_stage),
    stageCount: Number(r.stage_count),
    failureReason: r.failure_reason,
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
 * "May the actor decide this request now": pending, before its deadline, at a stage the actor may decide
 * (named user, member of a named group, or — no approvers named — GA/PRA holder now), not the actor's own,
 * not already decided by the actor, and the actor's account enabled. The one definition, shared by the
 * list, its count and the approvers view. `admin` is the actor's GA/PRA status at `now`.
 */
function approvableBy(me: string, admin: boolean, now: Date): SQL {
  return sql`r.status = 'PendingApproval' and r.approval_deadline > ${now.toISOString()}::timestamptz
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
      )`;
}

/**
 * Requests awaiting the actor's decision ("Approve requests"), scoped by `approvableBy`. Newest first,
 * keyset-paginated. Two statements (the actor's admin status, the page).
 */
export async function listApprovableRequests(
  ctx: Ctx,
  actor: Actor,
  opts: { limit?: number; cursor?: RequestCursor | null } = {},
): Promise<{ rows: RequestView[]; nextCursor: RequestCursor | null }> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const now = ctx.now();
  const { admin } = await readRights(ctx, actor);
  const res = await ctx.db.execute(
    named(sql`select r.* from schedule_requests r
    where ${approvableBy(actor.id, admin, now)}${after(opts.cursor)}
    order by r.created_date_time desc, r.id desc
    limit ${limit + 1}`),
  );
  return page(rowsOf<Raw>(res).map(toView), limit);
}

/** How many requests await the actor's decision, counted in one statement and capped (the page shows "1,000+"). */
export async function countApprovableRequests(ctx: Ctx, actor: Actor, cap = 1000): Promise<CappedCount> {
  const now = ctx.now();
  const { admin } = await readRights(ctx, actor);
  const res = await ctx.db.execute(
    sql`select ${cappedCount(sql`select 1 from schedule_requests r where ${approvableBy(actor.id, admin, now)}`, cap)} as n`,
  );
  return toCapped(rowsOf<{ n: number }>(res)[0]?.n, cap);
}

/**
 * The people who may decide each request at its current stage now, as a set: named users and enabled members
 * of named groups, or — none named — the enabled GA/PRA holders (directly or through a group). Never the
 * requester or the person the request is for, nor anyone who decided an earlier stage (each approval is by a
 * distinct person: `approvableBy` refuses them too). `ids` is a SQL list of request ids.
 */
function approverPeople(ids: SQL, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const adminRoles = sql.join(
    PIM_ADMIN_ROLE_IDS.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const adminInForce = sql`s.role_definition_id in (${adminRoles}) and ${managesPim(sql`s.role_definition_id`)} and s.directory_scope_id = '/' and s.status <> 'Canceled'
    and s.start_date_time <= ${at} and (s.end_date_time is null or s.end_date_time > ${at})`;
  return sql`
    with req as (
      select r.id, r.requestor_id, r.principal_id,
             coalesce(r.approval_stages -> r.current_stage -> 'approvers', '[]'::jsonb) as approvers
        from schedule_requests r where r.id in (${ids})
    ),
    admins as (
      select s.principal_id as user_id from role_assignment_schedules s where ${adminInForce} and s.principal_type = 'User'
      union
      select gm.user_id from role_assignment_schedules s join group_members gm on gm.group_id = s.principal_id
       where ${adminInForce} and s.principal_type = 'Group'
    ),
    candidates as (
      select req.id as request_id, admins.user_id from req join admins on jsonb_array_length(req.approvers) = 0
      union
      select req.id, (a ->> 'id')::uuid from req cross join lateral jsonb_array_elements(req.approvers) a
       where a ->> 'type' = 'User'
      union
      select req.id, gm.user_id from req cross join lateral jsonb_array_elements(req.approvers) a
        join group_members gm on gm.group_id = (a ->> 'id')::uuid
       where a ->> 'type' = 'Group'
    )
    select c.request_id, u.id as user_id, u.display_name
      from candidates c
      join req on req.id = c.request_id
      join users u on u.id = c.user_id and u.account_enabled
     where u.id <> req.principal_id and u.id is distinct from req.requestor_id
       and not exists (select 1 from approval_decisions d where d.request_id = c.request_id and d.approver_id = u.id)`;
}

/**
 * How many people other than the actor may decide each of the given requests (the Approve requests page's
 * "Other approvers" column). One statement for the whole page, whatever the number of rows or admins.
 * Only meaningful for requests the actor was shown by `listApprovableRequests`: it reveals counts, not names.
 */
export async function countOtherApprovers(
  ctx: Ctx,
  actor: Actor,
  requestIds: readonly string[],
): Promise<Record<string, number>> {
  if (requestIds.length === 0) return {};
  const ids = sql.join(
    requestIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const res = await ctx.db.execute(sql`
    select p.request_id, count(*) filter (where p.user_id <> ${actor.id}::uuid)::int as n
      from (${approverPeople(ids, ctx.now())}) p group by p.request_id`);
  const out: Record<string, number> = {};
  for (const r of rowsOf<{ request_id: string; n: number }>(res)) out[r.request_id] = Number(r.n);
  return out;
}

export type RequestApprover = { userId: string; name: string };

/**
 * Who else may decide one request now, by name (the "N other approvers" link of Approve requests).
 * Authorized here: the actor must be able to decide the request now, or be a PIM reader. Three statements.
 */
export async function listOtherApprovers(
  ctx: Ctx,
  actor: Actor,
  query: { requestId: string; limit?: number },
): Promise<{ approvers: RequestApprover[]; more: boolean }> {
  const limit = Math.min(Math.max(query.limit ?? 500, 1), 2000);
  const now = ctx.now();
  const { admin } = await readRights(ctx, actor);
  const [mine] = rowsOf<{ ok: boolean }>(
    await ctx.db.execute(
      sql`select exists (select 1 from schedule_requests r where r.id = ${query.requestId}::uuid and ${approvableBy(actor.id, admin, now)}) as ok`,
    ),
  );
  if (!mine?.ok) await assertPimReader(ctx, actor, "who may decide a request you may not decide");
  const res = await ctx.db.execute(sql`
    select p.user_id, p.display_name from (${approverPeople(sql`${query.requestId}::uuid`, now)}) p
     where p.user_id <> ${actor.id}::uuid
     order by p.display_name, p.user_id limit ${limit + 1}`);
  const rows = rowsOf<{ user_id: string; display_name: string }>(res);
  return {
    approvers: rows.slice(0, limit).map((r) => ({ userId: r.user_id, name: r.display_name })),
    more: rows.length > limit,
  };
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
  const res = await ctx.db.execute(
    named(sql`select r.* from schedule_requests r
    where (r.principal_id = ${me}::uuid or r.requestor_id = ${me}::uuid)
      and r.action in ('selfActivate', 'selfExtend', 'selfRenew', 'selfDeactivate')
      ${opts.pendingOnly ? sql`and r.status = 'PendingApproval' and r.approval_deadline > ${ctx.now().toISOString()}::timestamptz` : sql``}${after(opts.cursor)}
    order by r.created_date_time desc, r.id desc
    limit ${limit + 1}`),
  );
  return page(rowsOf<Raw>(res).map(toView), limit);
}

const SELF_ACTIONS = sql`('selfActivate', 'selfExtend', 'selfRenew', 'selfDeactivate')`;

/** How many requests `listMyRequests` lists in all (the "of M results" of the Pending requests page), capped. */
export async function countMyRequests(
  ctx: Ctx,
  actor: Actor,
  opts: { pendingOnly?: boolean } = {},
  cap = 1000,
): Promise<CappedCount> {
  const res = await ctx.db.execute(sql`
    select ${cappedCount(
      sql`select 1 from schedule_requests r
    where (r.principal_id = ${actor.id}::uuid or r.requestor_id = ${actor.id}::uuid) and r.action in ${SELF_ACTIONS}
      ${opts.pendingOnly ? sql`and r.status = 'PendingApproval' and r.approval_deadline > ${ctx.now().toISOString()}::timestamptz` : sql``}`,
      cap,
    )} as n`);
  return toCapped(rowsOf<{ n: number }>(res)[0]?.n, cap);
}

/**
 * One request with names (for a detail panel); null when absent or not the actor's to see (their own as
 * subject or requester, one they may decide now, or any for a PIM reader).
 */
export async function getRequestView(ctx: Ctx, actor: Actor, requestId: string): Promise<RequestView | null> {
  const res = await ctx.db.execute(named(sql`select r.* from schedule_requests r where r.id = ${requestId}::uuid`));
  const row = rowsOf<Raw>(res)[0];
  if (!row) return null;
  if (row.principal_id === actor.id || row.requestor_id === actor.id) return toView(row);
  const now = ctx.now();
  const { admin } = await readRights(ctx, actor);
  const [may] = rowsOf<{ ok: boolean }>(
    await ctx.db.execute(
      sql`select exists (select 1 from schedule_requests r where r.id = ${requestId}::uuid and ${approvableBy(actor.id, admin, now)}) as ok`,
    ),
  );
  return may?.ok || (await pimReader(ctx, actor)) ? toView(row) : null;
}

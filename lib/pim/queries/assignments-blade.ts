import { sql, type SQL } from "drizzle-orm";
import type { Ctx } from "../context";
import { likePattern } from "./list-users";

export type BladeTab = "eligible" | "active" | "expired";

export type BladeRow = {
  kind: "eligibility" | "assignment";
  id: string;
  roleDefinitionId: string;
  roleName: string;
  principalId: string;
  principalType: "User" | "Group" | "ServicePrincipal";
  principalName: string;
  principalDetail: string;
  directoryScopeId: string;
  memberType: "Direct" | "Group";
  assignmentType: "Assigned" | "Activated" | null;
  startDateTime: Date;
  endDateTime: Date | null;
  status: string;
};

type Raw = {
  kind: "eligibility" | "assignment";
  id: string;
  role_definition_id: string;
  role_name: string;
  principal_id: string;
  principal_type: BladeRow["principalType"];
  principal_name: string;
  principal_detail: string;
  directory_scope_id: string;
  member_type: BladeRow["memberType"];
  assignment_type: BladeRow["assignmentType"];
  start_date_time: Date | string;
  end_date_time: Date | string | null;
  status: string;
  total?: string | number;
};

type Cursor = { r: string; p: string; i: string; d: "a" | "b" };

const enc = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
function dec(s: string | null | undefined): Cursor | null {
  if (!s) return null;
  try {
    const v = JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Partial<Cursor>;
    if (typeof v.r === "string" && typeof v.p === "string" && typeof v.i === "string" && /^[0-9a-f-]{36}$/i.test(v.i)) {
      return { r: v.r, p: v.p, i: v.i, d: v.d === "b" ? "b" : "a" };
    }
  } catch {
    // malformed: first page
  }
  return null;
}

const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];
const toDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

/** The schedules of one tab, as a SQL source with a common shape (no names yet). */
function source(tab: BladeTab, nowIso: string): SQL {
  const now = sql`${nowIso}::timestamptz`;
  const live = (t: string) =>
    sql`${sql.raw(t)}.status in ('Provisioned','Granted') and (${sql.raw(t)}.end_date_time is null or ${sql.raw(t)}.end_date_time > ${now})`;
  if (tab === "eligible") {
    return sql`select 'eligibility' as kind, e.id, e.role_definition_id, e.principal_id, e.principal_type, e.directory_scope_id, e.member_type,
        null::assignment_type as assignment_type, e.start_date_time, e.end_date_time, e.status::text as status
      from role_eligibility_schedules e where ${live("e")}`;
  }
  if (tab === "active") {
    return sql`select 'assignment' as kind, a.id, a.role_definition_id, a.principal_id, a.principal_type, a.directory_scope_id, a.member_type,
        a.assignment_type, a.start_date_time, a.end_date_time, a.status::text as status
      from role_assignment_schedules a where ${live("a")}`;
  }
  // Expired in the last 30 days (history is kept forever; the blade shows a month, as Entra does).
  // Self-activations that ran out are not "expired assignments"; removed (Revoked) ones are not either.
  const ended = (t: string) =>
    sql`(${sql.raw(t)}.status = 'Expired' or (${sql.raw(t)}.status in ('Provisioned','Granted') and ${sql.raw(t)}.end_date_time <= ${now}))
      and ${sql.raw(t)}.end_date_time > ${now} - interval '30 days'`;
  return sql`select 'eligibility' as kind, e.id, e.role_definition_id, e.principal_id, e.principal_type, e.directory_scope_id, e.member_type,
        null::assignment_type as assignment_type, e.start_date_time, e.end_date_time, 'Expired' as status
      from role_eligibility_schedules e where ${ended("e")}
    union all
    select 'assignment' as kind, a.id, a.role_definition_id, a.principal_id, a.principal_type, a.directory_scope_id, a.member_type,
        a.assignment_type, a.start_date_time, a.end_date_time, 'Expired' as status
      from role_assignment_schedules a where a.assignment_type = 'Assigned' and ${ended("a")}`;
}

/**
 * The Assignments blade's rows for a tab, ordered by role then member (the blade groups by role), with
 * search on member name or principal name, keyset pagination on (role name, member name, id) both ways,
 * and the total of the match. Callers authorize (PIM admins and readers).
 */
export async function listBladeAssignments(
  ctx: Ctx,
  input: { tab: BladeTab; search?: string; cursor?: string | null; limit?: number },
): Promise<{ rows: BladeRow[]; total: number; nextCursor: string | null; prevCursor: string | null }> {
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 500);
  const nowIso = ctx.now().toISOString();
  const q = input.search?.trim();
  const cur = dec(input.cursor);
  const backward = cur?.d === "b";
  const match = q
    ? sql`where (principal_name ilike ${likePattern(q)} or principal_detail ilike ${likePattern(q)})`
    : sql`where true`;
  const keyset = cur
    ? backward
      ? sql`and (role_name, principal_name, id) < (${cur.r}, ${cur.p}, ${cur.i}::uuid)`
      : sql`and (role_name, principal_name, id) > (${cur.r}, ${cur.p}, ${cur.i}::uuid)`
    : sql``;
  const order = backward
    ? sql`order by role_name desc, principal_name desc, id desc`
    : sql`order by role_name, principal_name, id`;
  const named = sql`
    with src as (${source(input.tab, nowIso)}),
    named as (
      select src.*, rd.display_name as role_name,
             coalesce(u.display_name, g.display_name, sp.display_name, src.principal_id::text) as principal_name,
             coalesce(u.user_principal_name, sp.app_id::text, '-') as principal_detail
        from src
        join role_definitions rd on rd.id = src.role_definition_id
        left join users u on src.principal_type = 'User' and u.id = src.principal_id
        left join groups g on src.principal_type = 'Group' and g.id = src.principal_id
        left join service_principals sp on src.principal_type = 'ServicePrincipal' and sp.id = src.principal_id
    )`;
  const [res, totalRes] = await Promise.all([
    ctx.db.execute(sql`${named} select * from named ${match} ${keyset} ${order} limit ${limit + 1}`),
    ctx.db.execute(sql`${named} select count(*) as total from named ${match}`),
  ]);
  const raw = rowsOf<Raw>(res);
  const more = raw.length > limit;
  const page = raw.slice(0, limit);
  if (backward) page.reverse();
  const rows: BladeRow[] = page.map((r) => ({
    kind: r.kind,
    id: r.id,
    roleDefinitionId: r.role_definition_id,
    roleName: r.role_name,
    principalId: r.principal_id,
    principalType: r.principal_type,
    principalName: r.principal_name,
    principalDetail: r.principal_detail,
    directoryScopeId: r.directory_scope_id,
    memberType: r.member_type,
    assignmentType: r.assignment_type,
    startDateTime: toDate(r.start_date_time) as Date,
    endDateTime: toDate(r.end_date_time),
    status: r.status,
  }));
  const first = rows[0];
  const last = rows[rows.length - 1];
  const hasNext = backward ? true : more;
  const hasPrev = backward ? more : Boolean(cur);
  return {
    rows,
    total: Number(rowsOf<{ total: string | number }>(totalRes)[0]?.total ?? 0),
    nextCursor: hasNext && last ? enc({ r: last.roleName, p: last.principalName, i: last.id, d: "a" }) : null,
    prevCursor: hasPrev && first ? enc({ r: first.roleName, p: first.principalName, i: first.id, d: "b" }) : null,
  };
}

/** Every row of the tab (search applied), for the CSV export; pages through the keyset, never holding the set. */
export async function* iterateBladeAssignments(
  ctx: Ctx,
  input: { tab: BladeTab; search?: string },
): AsyncGenerator<BladeRow> {
  let cursor: string | null = null;
  for (;;) {
    const page = await listBladeAssignments(ctx, { ...input, cursor, limit: 500 });
    for (const r of page.rows) yield r;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

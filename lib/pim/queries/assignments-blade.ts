import { eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { roleAssignmentSchedules, roleDefinitions, roleEligibilitySchedules } from "@/db/schema";
import { isSystemActor, type Actor, type Ctx } from "../context";
import { ownerRightsOn } from "../groups/group-ownership";
import { rowsOf, toDate } from "../sql-rows";
import { likePattern } from "./list-users";
import { forbidden } from "../errors";
import { assignmentPolicies, type AssignmentPolicy } from "./assignment-policies";
import { assertPimReader, cappedCount, liveSchedule, readRights, toCapped, type CappedCount } from "./read-scope";
import { listScopes, type ScopeOption } from "./search-principals";

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

/** Above this the footer says "1,000+" (counting 100,000 live schedules on every page load buys nothing). */
export const BLADE_COUNT_CAP = 1000;

const e = alias(roleEligibilitySchedules, "e");
const a = alias(roleAssignmentSchedules, "a");

/**
 * The schedules of one tab, as a SQL source with a common shape, names included: `role_name` and
 * `principal_name` are denormalised onto the schedules (kept by triggers, migration 0006) so the Eligible and
 * Active tabs read eligibility_blade_idx / assignment_blade_idx in order and stop after a page.
 * `search` is applied inside each branch (a sub-select only inside `array(…)`, an InitPlan), so
 * PostgreSQL can answer it from the trigram index on `principal_name` OR'ed with `principal_id = ANY(…)`
 * (migration 0011); `OR … IN (select …)` (a hashed SubPlan) can use no index and runs row by row.
 */
function source(tab: BladeTab, now: Date, search?: string, roleDefinitionId?: string): SQL {
  const match = (t: string) =>
    sql`${search ? sql` and ${searchMatch(t, search)}` : sql``}${roleDefinitionId ? roleMatch(t, roleDefinitionId) : directoryRolesOnly(t)}`;
  const at = sql`${now.toISOString()}::timestamptz`;
  const cols = (t: string, kind: string, assignmentType: string, status: string) =>
    sql.raw(`select '${kind}' as kind, ${t}.id, ${t}.role_definition_id, ${t}.role_name, ${t}.principal_id, ${t}.principal_type,
        ${t}.principal_name, ${t}.directory_scope_id, ${t}.member_type, ${assignmentType} as assignment_type,
        ${t}.start_date_time, ${t}.end_date_time, ${status} as status`);
  if (tab === "eligible") {
    return sql`${cols("e", "eligibility", "null::assignment_type", "e.status::text")}
      from role_eligibility_schedules e where ${liveSchedule(e, now)}${match("e")}`;
  }
  if (tab === "active") {
    return sql`${cols("a", "assignment", "a.assignment_type", "a.status::text")}
      from role_assignment_schedules a where ${liveSchedule(a, now)}${match("a")}`;
  }
  // Expired in the last 30 days (history is kept forever; the blade shows a month, as Entra does).
  // Self-activations that ran out are not "expired assignments"; removed (Revoked) ones are not either.
  // Recorded (status Expired, *_expired_end_idx) or ended but not swept yet (live status, *_due_idx).
  const ended = (t: string) =>
    sql`${sql.raw(t)}.end_date_time > ${at} - interval '30 days' and (${sql.raw(t)}.status = 'Expired'
      or (${sql.raw(t)}.status in ('Provisioned','Granted') and ${sql.raw(t)}.end_date_time <= ${at}))`;
  return sql`${cols("e", "eligibility", "null::assignment_type", "'Expired'")}
      from role_eligibility_schedules e where ${ended("e")}${match("e")}
    union all
    ${cols("a", "assignment", "a.assignment_type", "'Expired'")}
      from role_assignment_schedules a where a.assignment_type = 'Assigned' and ${ended("a")}${match("a")}`;
}

/**
 * The all-roles blade lists directory roles only: a group's membership and ownership (PIM for Groups, access
 * definitions with a group_id) have their own blade under Groups. The few access definitions are read once into
 * an array (an InitPlan), so the blade index is still read in order.
 */
function directoryRolesOnly(t: string): SQL {
  return sql` and ${sql.raw(t)}.role_definition_id <> all(array(select id from role_definitions where group_id is not null))`;
}

/**
 * The blade's search: the member's name (denormalised `principal_name`, trigram-indexed), or a user whose
 * UPN or a service principal whose app id contains the text. Those two are resolved once into an array
 * (an InitPlan), so the schedule side is `principal_name ilike … OR principal_id = ANY(array)`: a BitmapOr
 * of the trigram index and the principal index, or a filter on the ordered blade index when matches are many.
 */
function searchMatch(t: string, q: string): SQL {
  const pattern = likePattern(q);
  return sql`(${sql.raw(t)}.principal_name ilike ${pattern} or ${sql.raw(t)}.principal_id = any(array(
      select id from users where user_principal_name ilike ${pattern}
      union all select id from service_principals where app_id::text ilike ${pattern})))`;
}

/**
 * The Assignments blade's rows for a tab, ordered by role then member (the blade groups by role), with
 * search on member name or principal name, keyset pagination on (role name, member name, id) both ways,
 * and the total of the match capped at `BLADE_COUNT_CAP`. PIM admins and readers only (else Forbidden).
 * Four statements (the reader check, the page, its count, the scope names) at any depth.
 */
export async function listBladeAssignments(
  ctx: Ctx,
  actor: Actor,
  input: BladeInput,
): Promise<{ rows: BladeRow[]; total: CappedCount; nextCursor: string | null; prevCursor: string | null }> {
  await assertPimReader(ctx, actor, "the assignments of the directory");
  return listAuthorized(ctx, input);
}

/** `roleDefinitionId`: one role's assignments only (Roles → a role → Assignments). */
export type BladeInput = {
  tab: BladeTab;
  search?: string;
  cursor?: string | null;
  limit?: number;
  roleDefinitionId?: string;
};
export type BladePage = { rows: BladeRow[]; total: CappedCount; nextCursor: string | null; prevCursor: string | null };

/**
 * Everything the Assignments page shows, authorized once: the tab's page (as `listBladeAssignments`), the
 * roles' assignment settings and the scopes for the Add form, and whether the actor may change assignments
 * (GA/PRA: the commands; every change is authorized again by its use case). PIM readers only, else
 * Forbidden. Five statements at any depth and page size; six for one role's view (its name: null when there
 * is no such role).
 */
export async function loadAssignmentsBlade(
  ctx: Ctx,
  actor: Actor,
  input: BladeInput,
): Promise<
  BladePage & {
    policies: AssignmentPolicy[];
    scopes: ScopeOption[];
    viewer: { admin: boolean };
    role: { id: string; displayName: string } | null;
  }
> {
  const viewer = await bladeRights(ctx, actor, input.roleDefinitionId);
  const [page, policies, scopes, roles] = await Promise.all([
    listAuthorized(ctx, input),
    assignmentPolicies(ctx, input.roleDefinitionId),
    listScopes(ctx),
    input.roleDefinitionId
      ? ctx.db
          .select({ id: roleDefinitions.id, displayName: roleDefinitions.displayName })
          .from(roleDefinitions)
          .where(eq(roleDefinitions.id, input.roleDefinitionId))
      : Promise.resolve([]),
  ]);
  return { ...page, policies, scopes, viewer: { admin: viewer.admin }, role: roles[0] ?? null };
}

/**
 * Who may see one role's blade (or the whole blade): PIM readers; for a group's access definition also an
 * owner of the group now (PIM for Groups). `admin`: may change its assignments (GA/PRA; the owner for the
 * group's member definition). Every change is authorized again by its use case.
 */
async function bladeRights(ctx: Ctx, actor: Actor, roleDefinitionId?: string): Promise<{ admin: boolean }> {
  const viewer = await readRights(ctx, actor);
  if (viewer.admin) return { admin: true };
  if (roleDefinitionId && !isSystemActor(actor)) {
    const owner = await ownerRightsOn(ctx.db, actor.id, roleDefinitionId, ctx.now());
    if (viewer.reader || owner.see) return { admin: owner.manage };
  } else if (viewer.reader) return { admin: false };
  throw forbidden(
    "Assignments are visible to Privileged Role Administrators, Global Administrators, security readers and, for a group under PIM, the group's owners.",
  );
}

/**
 * One role (Roles → a role → Assignments): its rows are one run of the blade index (role name first), found
 * through the role's name as well as its id.
 */
function roleMatch(t: string, roleDefinitionId: string): SQL {
  return sql` and ${sql.raw(t)}.role_definition_id = ${roleDefinitionId}::uuid
    and ${sql.raw(t)}.role_name = (select display_name from role_definitions where id = ${roleDefinitionId}::uuid)`;
}

async function listAuthorized(
  ctx: Ctx,
  input: BladeInput & { withTotal?: boolean },
): Promise<{ rows: BladeRow[]; total: CappedCount; nextCursor: string | null; prevCursor: string | null }> {
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 500);
  const q = input.search?.trim();
  const cur = dec(input.cursor);
  const backward = cur?.d === "b";
  const keyset = cur
    ? backward
      ? sql`where (src.role_name, src.principal_name, src.id) < (${cur.r}, ${cur.p}, ${cur.i}::uuid)`
      : sql`where (src.role_name, src.principal_name, src.id) > (${cur.r}, ${cur.p}, ${cur.i}::uuid)`
    : sql``;
  const order = backward
    ? sql`order by src.role_name desc, src.principal_name desc, src.id desc`
    : sql`order by src.role_name, src.principal_name, src.id`;
  const src = source(input.tab, ctx.now(), q || undefined, input.roleDefinitionId);
  const [res, totalRes] = await Promise.all([
    // The page first (index order, limit), then the second line of each row for those rows only.
    ctx.db.execute(sql`
      select p.*, coalesce(u.user_principal_name, sp.app_id::text, '-') as principal_detail
        from (select src.* from (${src}) src ${keyset} ${order} limit ${limit + 1}) p
        left join users u on p.principal_type = 'User' and u.id = p.principal_id
        left join service_principals sp on p.principal_type = 'ServicePrincipal' and sp.id = p.principal_id
       ${backward ? sql`order by p.role_name desc, p.principal_name desc, p.id desc` : sql`order by p.role_name, p.principal_name, p.id`}`),
    input.withTotal === false
      ? Promise.resolve(null)
      : ctx.db.execute(sql`select ${cappedCount(sql`select 1 from (${src}) src`, BLADE_COUNT_CAP)} as total`),
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
    total: totalRes ? toCapped(rowsOf<{ total: number }>(totalRes)[0]?.total, BLADE_COUNT_CAP) : { n: 0, exact: false },
    nextCursor: hasNext && last ? enc({ r: last.roleName, p: last.principalName, i: last.id, d: "a" }) : null,
    prevCursor: hasPrev && first ? enc({ r: first.roleName, p: first.principalName, i: first.id, d: "b" }) : null,
  };
}

/**
 * Every row of the tab (search applied), for the CSV export; pages through the keyset, never holding the
 * set. Authorizes once, before the first row.
 */
export async function* iterateBladeAssignments(
  ctx: Ctx,
  actor: Actor,
  input: { tab: BladeTab; search?: string; roleDefinitionId?: string },
): AsyncGenerator<BladeRow> {
  await bladeRights(ctx, actor, input.roleDefinitionId);
  let cursor: string | null = null;
  for (;;) {
    const page = await listAuthorized(ctx, { ...input, cursor, limit: 500, withTotal: false });
    for (const r of page.rows) yield r;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

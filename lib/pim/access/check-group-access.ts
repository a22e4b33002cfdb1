import { sql, type Placeholder } from "drizzle-orm";
import type { Db } from "@/db/types";
import type { GroupAccessId } from "../groups/access-definitions";

export type GroupAccessQuery = { principalId: string; groupId: string; accessId: GroupAccessId; at: Date };

export type GroupAccessGrant = {
  /** The membership/ownership schedule; null for a standing member (group_members) or owner (group_owners). */
  scheduleId: string | null;
  groupId: string;
  accessId: GroupAccessId;
  assignmentType: "Assigned" | "Activated" | null;
  endDateTime: Date | null;
};

export type GroupAccessResult = { allowed: boolean; grantedBy: GroupAccessGrant[]; until: Date | null };

/**
 * PIM for Groups' access check: is `principalId` a member (or an owner) of `groupId` at the instant `at`?
 * True while an active membership/ownership schedule of the group's access definition covers `at`
 * (`start <= at < end`, not Canceled; never the sweep's status), or while the principal is a standing member
 * ("member": group_members) or directory owner ("owner": group_owners) of the group. Disabled users and service principals are members of nothing. One statement.
 * Grants come earliest end first, open ends last, then by schedule id.
 */
export async function checkGroupAccess(db: Db, q: GroupAccessQuery): Promise<GroupAccessResult> {
  let checker = checkers.get(db);
  if (!checker) {
    checker = groupSelect(db, PLACEHOLDERS).prepare("pim_group_access");
    checkers.set(db, checker);
  }
  return toGroupResult(q, (await checker.execute(valuesOf(q))) as GroupGrantColumns[]);
}

/** A grant's columns (all null in the row of nulls a lateral join gives when nothing grants: `source` says which). */
export type GroupGrantColumns = {
  /** "schedule", "member" (group_members) or "owner" (group_owners); null: no grant. */
  grantSource: string | null;
  grantScheduleId: string | null;
  grantAssignmentType: "Assigned" | "Activated" | null;
  grantEndDateTime: string | Date | null;
};

/** The answer from the statement's rows: the grants, earliest end first (open ends last), then by schedule id. */
function toGroupResult(q: GroupAccessQuery, rows: readonly GroupGrantColumns[]): GroupAccessResult {
  const grantedBy: GroupAccessGrant[] = rows
    .filter((r) => r.grantSource !== null)
    .map((r) => ({
      scheduleId: r.grantScheduleId,
      groupId: q.groupId,
      accessId: q.accessId,
      assignmentType: r.grantAssignmentType,
      endDateTime: r.grantEndDateTime === null ? null : new Date(r.grantEndDateTime),
    }))
    .sort(
      (a, b) =>
        (a.endDateTime?.getTime() ?? Infinity) - (b.endDateTime?.getTime() ?? Infinity) ||
        (a.scheduleId ?? "~").localeCompare(b.scheduleId ?? "~"),
    );
  const finite = grantedBy.flatMap((g) => (g.endDateTime ? [g.endDateTime.getTime()] : []));
  return {
    allowed: grantedBy.length > 0,
    grantedBy,
    until: finite.length > 0 ? new Date(Math.min(...finite)) : null,
  };
}

type Binds = { principalId: Placeholder; groupId: Placeholder; accessId: Placeholder; at: Placeholder };
const PLACEHOLDERS: Binds = {
  principalId: sql.placeholder("principalId"),
  groupId: sql.placeholder("groupId"),
  accessId: sql.placeholder("accessId"),
  at: sql.placeholder("at"),
};
// an ISO string, not a Date: the raw fragment has no column mapping to serialise a Date
const valuesOf = (q: GroupAccessQuery) => ({
  principalId: q.principalId,
  groupId: q.groupId,
  accessId: q.accessId,
  at: q.at.toISOString(),
});

/**
 * The statement, with placeholders, prepared once per database handle: a raw `execute` would be planned
 * again on every call (postgres.js prepares only what drizzle prepares), which cost ~3 ms a check here.
 * Unordered: `toGroupResult` sorts the few rows.
 */
function groupSelect(db: Db, { principalId: p, groupId: g, accessId: a, at }: Binds) {
  const enabledUser = sql`not exists (select 1 from users u where u.id = ${p}::uuid and not u.account_enabled)`;
  return db
    .select({
      grantSource: sql<string | null>`x.source`.as("grant_source"),
      grantScheduleId: sql<string | null>`x.schedule_id`.as("grant_schedule_id"),
      grantAssignmentType: sql<"Assigned" | "Activated" | null>`x.assignment_type`.as("grant_assignment_type"),
      grantEndDateTime: sql<string | Date | null>`x.end_date_time`.as("grant_end_date_time"),
    })
    .from(
      sql`(select 'schedule' as source, s.id as schedule_id, s.assignment_type::text as assignment_type, s.end_date_time
      from role_definitions d
      join role_assignment_schedules s on s.role_definition_id = d.id
     where d.group_id = ${g}::uuid and d.access_id = ${a}::text and d.is_enabled
       and s.principal_id = ${p}::uuid and s.status <> 'Canceled'
       and s.start_date_time <= ${at}::timestamptz
       and (s.end_date_time is null or s.end_date_time > ${at}::timestamptz)
       and ${enabledUser}
       and not exists (select 1 from service_principals sp where sp.id = ${p}::uuid and not sp.account_enabled)
    union all
    select 'member', null, null, null from group_members gm
     where ${a}::text = 'member' and gm.group_id = ${g}::uuid and gm.user_id = ${p}::uuid and ${enabledUser}
    union all
    select 'owner', null, null, null from group_owners go
     where ${a}::text = 'owner' and go.group_id = ${g}::uuid and go.user_id = ${p}::uuid and ${enabledUser}) x`,
    );
}

const checkers = new WeakMap<Db, ReturnType<ReturnType<typeof groupSelect>["prepare"]>>();

/**
 * `checkGroupAccess` joined into another statement (as `embeddedAccessCheck` for roles): the token lookup and the
 * group question in ONE round trip, `left join lateral (<the group statement>) on true`, one row per grant (one
 * row of nulls when none). The same statement and rules, decided at the instant bound as `at` (`values`).
 */
export function embeddedGroupAccessCheck(db: Db, q: GroupAccessQuery) {
  return {
    key: "group",
    /** The group statement as a subquery and its columns (the caller prepares it once and keeps it). */
    lateral: () => {
      const subquery = groupSelect(db, PLACEHOLDERS).as("group_grant");
      const fields = {
        grantSource: subquery.grantSource,
        grantScheduleId: subquery.grantScheduleId,
        grantAssignmentType: subquery.grantAssignmentType,
        grantEndDateTime: subquery.grantEndDateTime,
      };
      return { subquery, fields };
    },
    values: valuesOf(q),
    /** The answer from the joined rows (their grant columns). */
    result: (rows: readonly GroupGrantColumns[]): GroupAccessResult => toGroupResult(q, rows),
  };
}

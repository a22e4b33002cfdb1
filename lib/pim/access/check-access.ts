import { and, asc, eq, gt, isNull, lte, ne, or, sql, type Placeholder, type SQL } from "drizzle-orm";
import { administrativeUnits, groupMembers, roleAssignmentSchedules as ras, roleDefinitions } from "@/db/schema";
import type { Db } from "@/db/types";

/** The permission that grants every other one (Global Administrator). */
export const ALL_TASKS_PERMISSION = "microsoft.directory/allEntities/allProperties/allTasks";
/** Grants every permission ending in "/read" (Global Reader). */
export const ALL_READ_PERMISSION = "microsoft.directory/allEntities/allProperties/read";

export type AccessQuery = {
  /** A user, group or service principal id. For a user, group memberships count too. */
  principalId: string;
  /** Ask for a role ... */
  roleDefinitionId?: string;
  /** ... or for a permission (`microsoft.directory/users/create`); one of the two is required. */
  permission?: string;
  /** "/" or "/administrativeUnits/{id}". A directory-wide grant covers every administrative unit. Default "/". */
  directoryScopeId?: string;
  at: Date;
};

export type AccessGrant = {
  scheduleId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  /** "Group" when the grant reaches the principal through a group it belongs to. */
  memberType: "Direct" | "Group";
  viaGroupId?: string;
  endDateTime: Date | null;
};

export type AccessResult = {
  allowed: boolean;
  grantedBy: AccessGrant[];
  /** When the earliest of the granting assignments ends (null: none ends, or no grant). */
  until: Date | null;
  /** When access as a whole ends: the latest end among the grants (null: a permanent grant, or no grant). */
  accessEndsAt: Date | null;
};

/** A bound value, or a placeholder of a prepared statement (`embeddedAccessCheck`). */
type Bind<T> = T | Placeholder;

/**
 * The principal itself and, for a user, every group it belongs to (a sub-select, index `group_members_user_idx`).
 * With `at`: also every group under PIM whose membership the principal holds at `at` (PIM for Groups, issue 15):
 * an active membership schedule (`start <= at < end`, not Canceled) of the group's "member" access definition,
 * decided by time like every grant, never by the sweep (index `assignment_access_idx` on the principal).
 */
export const principalAndGroups = (principalId: Bind<string>, at?: Bind<Date>): SQL =>
  at === undefined
    ? sql`(select ${principalId}::uuid union all select ${groupMembers.groupId} from ${groupMembers} where ${groupMembers.userId} = ${principalId}::uuid)`
    : sql`(select ${principalId}::uuid union all select ${groupMembers.groupId} from ${groupMembers} where ${groupMembers.userId} = ${principalId}::uuid
        union all ${pimMembershipGroups(principalId, at)})`;

/**
 * The groups under PIM whose membership `principalId` holds at `at` (a sub-select of group ids). The open end
 * is `coalesce(end, 'infinity') > at`, not `end is null or end > at`: the same rule, read as one plain index scan
 * on the principal (`assignment_access_idx`) instead of a BitmapOr of two (pgbench at L: 26k → 36k statements/s
 * for the access query with this branch, issue 10).
 */
export const pimMembershipGroups = (principalId: Bind<string>, atBind: Bind<Date>): SQL => {
  // a raw fragment has no column mapping: bind a Date as its ISO text (a placeholder already carries one)
  const at = atBind instanceof Date ? atBind.toISOString() : atBind;
  return sql`select pim_gd.group_id from role_assignment_schedules pim_gm
        join role_definitions pim_gd on pim_gd.id = pim_gm.role_definition_id
       where pim_gm.principal_id = ${principalId}::uuid and pim_gd.access_id = 'member'
         and pim_gm.status <> 'Canceled' and pim_gm.start_date_time <= ${at}::timestamptz
         and coalesce(pim_gm.end_date_time, 'infinity') > ${at}::timestamptz`;
};

/** An assignment schedule is in force at `at`: `start <= at < coalesce(end, infinity)` and not Canceled. Never reads the sweep's status. */
export const inForceAt = (at: Bind<Date>): SQL =>
  and(
    ne(ras.status, "Canceled"),
    lte(ras.startDateTime, at as Date),
    or(isNull(ras.endDateTime), gt(ras.endDateTime, at as Date)),
  ) as SQL;

/** The principal is not a disabled user or service principal (groups have no such flag). */
const principalEnabled = (principalId: Bind<string>): SQL =>
  sql`not exists (select 1 from users u where u.id = ${principalId}::uuid and not u.account_enabled)
      and not exists (select 1 from service_principals s where s.id = ${principalId}::uuid and not s.account_enabled)`;

function permissionMatch(permission: Bind<string>, read: boolean): SQL {
  const readAll = read ? sql` or ${ALL_READ_PERMISSION} = any(${roleDefinitions.allowedResourceActions})` : sql``;
  return sql`(${permission} = any(${roleDefinitions.allowedResourceActions}) or ${ALL_TASKS_PERMISSION} = any(${roleDefinitions.allowedResourceActions})${readAll})`;
}

/** The statement's shape: what is asked (a role, a permission, a read permission) and whether an AU is named. */
type Shape = { by: "role" | "permission" | "read"; au: boolean };
type Binds = { principalId: Bind<string>; ask: Bind<string>; scope: Bind<string>; at: Bind<Date> };

function shapeOf(q: AccessQuery): Shape {
  if (!q.roleDefinitionId && !q.permission) throw new Error("checkAccess needs roleDefinitionId or permission");
  const by = q.roleDefinitionId ? "role" : q.permission?.endsWith("/read") ? "read" : "permission";
  return { by, au: (q.directoryScopeId ?? "/") !== "/" };
}

/**
 * The role definitions that grant what is asked are enabled: for a role, that one role (an uncorrelated
 * sub-select PostgreSQL runs once per check); for a permission, the role of each assignment read, which must
 * also list the permission (a primary-key probe per assignment).
 */
function grantingRoleEnabled(shape: Shape, ask: Bind<string>): SQL {
  return shape.by === "role"
    ? sql`exists (select 1 from ${roleDefinitions} where ${roleDefinitions.id} = ${ask}::uuid and ${roleDefinitions.isEnabled})`
    : sql`exists (select 1 from ${roleDefinitions} where ${roleDefinitions.id} = ${ras.roleDefinitionId}
        and ${roleDefinitions.isEnabled} and ${permissionMatch(ask, shape.by === "read")})`;
}

/**
 * THE access query (one statement, index `assignment_access_idx`), with values or placeholders; ordered by end
 * then id, unless `ordered` is false (the decision server's lateral join: `toResult` sorts its few rows).
 * The principal and its groups are one array the index scan takes as its keys (`= any(array(…))`), and the
 * role's state a sub-select, not a join: at L that made the statement 23 % cheaper in PostgreSQL than
 * `in (…)` joined to role_definitions (pgbench, issue 10), same rows.
 */
function accessSelect(db: Db, shape: Shape, b: Binds, ordered = true) {
  const select = db
    .select({
      scheduleId: ras.id,
      roleDefinitionId: ras.roleDefinitionId,
      directoryScopeId: ras.directoryScopeId,
      principalId: ras.principalId,
      principalType: ras.principalType,
      memberType: ras.memberType,
      endDateTime: ras.endDateTime,
    })
    .from(ras)
    .where(
      and(
        sql`${ras.principalId} = any(array${principalAndGroups(b.principalId, b.at)})`,
        shape.by === "role" ? eq(ras.roleDefinitionId, b.ask as string) : undefined,
        shape.au ? sql`${ras.directoryScopeId} in ('/', ${b.scope})` : sql`${ras.directoryScopeId} = '/'`,
        inForceAt(b.at),
        grantingRoleEnabled(shape, b.ask),
        principalEnabled(b.principalId),
      ),
    );
  return ordered ? select.orderBy(asc(ras.endDateTime), asc(ras.id)) : select;
}

type AccessRow = Awaited<ReturnType<ReturnType<typeof accessSelect>["execute"]>>[number];

/** The statement's order (end ascending, open ends last, then id), for rows that came unordered. */
function byEndThenId(a: AccessRow, b: AccessRow): number {
  const ea = a.endDateTime?.getTime() ?? Infinity;
  const eb = b.endDateTime?.getTime() ?? Infinity;
  if (ea !== eb) return ea < eb ? -1 : 1;
  return a.scheduleId < b.scheduleId ? -1 : a.scheduleId > b.scheduleId ? 1 : 0;
}

function toResult(principalId: string, rows: AccessRow[]): AccessResult {
  const grantedBy: AccessGrant[] = rows.map((r) => {
    const viaGroup = r.principalType === "Group" && r.principalId !== principalId;
    return {
      scheduleId: r.scheduleId,
      roleDefinitionId: r.roleDefinitionId,
      directoryScopeId: r.directoryScopeId,
      memberType: viaGroup ? "Group" : r.memberType,
      ...(viaGroup ? { viaGroupId: r.principalId } : {}),
      endDateTime: r.endDateTime,
    };
  });
  const ends = grantedBy.map((g) => g.endDateTime);
  const finite = ends.filter((e): e is Date => e !== null).map((e) => e.getTime());
  return {
    allowed: grantedBy.length > 0,
    grantedBy,
    until: finite.length > 0 ? new Date(Math.min(...finite)) : null,
    accessEndsAt: grantedBy.length === 0 || ends.includes(null) ? null : new Date(Math.max(...finite)),
  };
}

const valuesOf = (q: AccessQuery): Binds => ({
  principalId: q.principalId,
  ask: (q.roleDefinitionId ?? q.permission) as string,
  scope: q.directoryScopeId ?? "/",
  at: q.at,
});

/**
 * The access check (§6): is `principalId` allowed `roleDefinitionId` or `permission` at `directoryScopeId`
 * at the instant `at`? True exactly while an active assignment's window covers `at` (`start <= at < end`,
 * status not Canceled), held directly or through a group the user belongs to, at the requested scope or
 * at the directory ("/") above it. ONE indexed query (`assignment_access_idx`); it never depends on the
 * expiry sweep having run. Disabled users/service principals and disabled roles grant nothing.
 */
export async function checkAccess(db: Db, q: AccessQuery): Promise<AccessResult> {
  const rows = await accessSelect(db, shapeOf(q), valuesOf(q));
  return toResult(q.principalId, rows);
}

/** The access query's placeholders (the binds of `embeddedAccessCheck`'s prepared statement). */
const PLACEHOLDERS: Binds = {
  principalId: sql.placeholder("principalId"),
  ask: sql.placeholder("ask"),
  scope: sql.placeholder("scope"),
  at: sql.placeholder("at"),
};

/** A grant's columns as the decision server's lateral join returns them: all null when nothing grants. */
export type GrantColumns = { [K in keyof AccessRow]: AccessRow[K] | null };

/**
 * `checkAccess` joined into another statement: the decision server reads the caller's token and answers the
 * question in ONE round trip, `left join lateral (<the access statement>) on true`, one row per grant (one
 * row of nulls when none). The same access statement (placeholders principalId, ask, scope, at: bind them
 * with `values`), the same window rule, decided at the instant bound as `at`; unordered in SQL (a sort node
 * per check), sorted here into the statement's order.
 */
export function embeddedAccessCheck(db: Db, q: AccessQuery) {
  const shape = shapeOf(q);
  return {
    key: `${shape.by}_${shape.au ? "au" : "dir"}`,
    /** The access statement as a subquery and its columns, built when asked (once per `key`: the caller prepares it and keeps it). */
    lateral: () => {
      const subquery = accessSelect(db, shape, PLACEHOLDERS, false).as("access_grant");
      const fields = {
        scheduleId: subquery.scheduleId,
        roleDefinitionId: subquery.roleDefinitionId,
        directoryScopeId: subquery.directoryScopeId,
        principalId: subquery.principalId,
        principalType: subquery.principalType,
        memberType: subquery.memberType,
        endDateTime: subquery.endDateTime,
      };
      return { subquery, fields };
    },
    values: { ...(valuesOf(q) as { principalId: string; ask: string; scope: string }), at: q.at.toISOString() },
    /** The answer from the joined rows (their grant columns). */
    result: (rows: readonly GrantColumns[]): AccessResult =>
      toResult(q.principalId, rows.filter((r): r is AccessRow => r.scheduleId !== null).sort(byEndThenId)),
  };
}

export type EffectiveRole = {
  scheduleId: string;
  roleDefinitionId: string;
  roleName: string;
  directoryScopeId: string;
  /** "Directory" or the administrative unit's name (e.g. "New York Office"). */
  scopeName: string;
  assignmentType: "Assigned" | "Activated";
  memberType: "Direct" | "Group";
  viaGroupId?: string;
  startDateTime: Date;
  endDateTime: Date | null;
  allowedResourceActions: string[];
};

/**
 * Every role a user (or service principal) holds at `at`, directly or through groups, with role and
 * scope names, in one query. Same window rule as `checkAccess`.
 */
export async function effectiveRoles(db: Db, principalId: string, at: Date): Promise<EffectiveRole[]> {
  const rows = await db
    .select({
      scheduleId: ras.id,
      roleDefinitionId: ras.roleDefinitionId,
      roleName: roleDefinitions.displayName,
      directoryScopeId: ras.directoryScopeId,
      auName: administrativeUnits.displayName,
      assignmentType: ras.assignmentType,
      memberType: ras.memberType,
      principalId: ras.principalId,
      principalType: ras.principalType,
      startDateTime: ras.startDateTime,
      endDateTime: ras.endDateTime,
      allowedResourceActions: roleDefinitions.allowedResourceActions,
    })
    .from(ras)
    .innerJoin(roleDefinitions, eq(roleDefinitions.id, ras.roleDefinitionId))
    .leftJoin(
      administrativeUnits,
      sql`${ras.directoryScopeId} = '/administrativeUnits/' || ${administrativeUnits.id}::text`,
    )
    .where(
      and(
        sql`${ras.principalId} in ${principalAndGroups(principalId, at)}`,
        inForceAt(at),
        eq(roleDefinitions.isEnabled, true),
        principalEnabled(principalId),
      ),
    )
    .orderBy(asc(roleDefinitions.displayName), asc(ras.directoryScopeId), asc(ras.id));
  return rows.map((r) => {
    const viaGroup = r.principalType === "Group" && r.principalId !== principalId;
    return {
      scheduleId: r.scheduleId,
      roleDefinitionId: r.roleDefinitionId,
      roleName: r.roleName,
      directoryScopeId: r.directoryScopeId,
      scopeName: r.directoryScopeId === "/" ? "Directory" : (r.auName ?? r.directoryScopeId),
      assignmentType: r.assignmentType,
      memberType: viaGroup ? "Group" : r.memberType,
      ...(viaGroup ? { viaGroupId: r.principalId } : {}),
      startDateTime: r.startDateTime,
      endDateTime: r.endDateTime,
      allowedResourceActions: r.allowedResourceActions,
    };
  });
}

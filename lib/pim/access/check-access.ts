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

/** A bound value, or a placeholder of a prepared statement (`accessChecker`). */
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

/** The groups under PIM whose membership `principalId` holds at `at` (a sub-select of group ids). */
export const pimMembershipGroups = (principalId: Bind<string>, atBind: Bind<Date>): SQL => {
  // a raw fragment has no column mapping: bind a Date as its ISO text (a placeholder already carries one)
  const at = atBind instanceof Date ? atBind.toISOString() : atBind;
  return sql`select pim_gd.group_id from role_assignment_schedules pim_gm
        join role_definitions pim_gd on pim_gd.id = pim_gm.role_definition_id
       where pim_gm.principal_id = ${principalId}::uuid and pim_gd.access_id = 'member'
         and pim_gm.status <> 'Canceled' and pim_gm.start_date_time <= ${at}::timestamptz
         and (pim_gm.end_date_time is null or pim_gm.end_date_time > ${at}::timestamptz)`;
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

/** THE access query (one statement, index `assignment_access_idx`), with values or placeholders. */
function accessSelect(db: Db, shape: Shape, b: Binds) {
  return db
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
    .innerJoin(roleDefinitions, eq(roleDefinitions.id, ras.roleDefinitionId))
    .where(
      and(
        sql`${ras.principalId} in ${principalAndGroups(b.principalId, b.at)}`,
        shape.by === "role" ? eq(ras.roleDefinitionId, b.ask as string) : permissionMatch(b.ask, shape.by === "read"),
        shape.au ? sql`${ras.directoryScopeId} in (${"/"}, ${b.scope})` : sql`${ras.directoryScopeId} = ${"/"}`,
        inForceAt(b.at),
        eq(roleDefinitions.isEnabled, true),
        principalEnabled(b.principalId),
      ),
    )
    .orderBy(asc(ras.endDateTime), asc(ras.id));
}

type AccessRow = Awaited<ReturnType<ReturnType<typeof accessSelect>["execute"]>>[number];

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

/**
 * `checkAccess` for a hot path (the decision server): the same statement, built once per shape and prepared
 * (placeholders), so a call costs the query and the mapping, not the query builder. Same answers: `at` is
 * still the caller's instant, nothing is cached but the statement text.
 */
export function accessChecker(db: Db): (q: AccessQuery) => Promise<AccessResult> {
  const prepared = new Map<string, ReturnType<ReturnType<typeof accessSelect>["prepare"]>>();
  const ph = PLACEHOLDERS;
  return async (q) => {
    const shape = shapeOf(q);
    const key = `${shape.by}_${shape.au ? "au" : "dir"}`;
    let stmt = prepared.get(key);
    if (!stmt) {
      stmt = accessSelect(db, shape, ph).prepare(`pim_access_${key}`);
      prepared.set(key, stmt);
    }
    // an ISO string, not a Date: drizzle's postgres.js client leaves timestamp serialising to the column mapping
    const rows = await stmt.execute({ ...valuesOf(q), at: q.at.toISOString() });
    return toResult(q.principalId, rows as AccessRow[]);
  };
}

/** The access query's placeholders (a prepared statement's binds: `accessChecker`, `embeddedAccessCheck`). */
const PLACEHOLDERS: Binds = {
  principalId: sql.placeholder("principalId"),
  ask: sql.placeholder("ask"),
  scope: sql.placeholder("scope"),
  at: sql.placeholder("at"),
};

type JsonAccessRow = {
  id: string;
  role_definition_id: string;
  directory_scope_id: string;
  principal_id: string;
  principal_type: AccessRow["principalType"];
  member_type: AccessRow["memberType"];
  end_date_time: string | null;
};

/**
 * `checkAccess` as one json column of another statement: the decision server reads the caller's token and
 * answers the question in ONE round trip. The same access statement (placeholders principalId, ask, scope,
 * at: bind them with `values`), the same window rule, decided at the instant bound as `at`.
 */
export function embeddedAccessCheck(
  db: Db,
  q: AccessQuery,
): {
  key: string;
  /** The column, built when asked (once per `key`: the caller prepares it and keeps the statement). */
  column: () => SQL<unknown>;
  values: Record<string, string>;
  result: (json: unknown) => AccessResult;
} {
  const shape = shapeOf(q);
  return {
    key: `${shape.by}_${shape.au ? "au" : "dir"}`,
    column: () => sql`(select coalesce(json_agg(c), '[]'::json) from (${accessSelect(db, shape, PLACEHOLDERS)}) c)`,
    values: { ...(valuesOf(q) as { principalId: string; ask: string; scope: string }), at: q.at.toISOString() },
    result: (json) => {
      const rows = (typeof json === "string" ? JSON.parse(json) : (json ?? [])) as JsonAccessRow[];
      return toResult(
        q.principalId,
        rows.map((r) => ({
          scheduleId: r.id,
          roleDefinitionId: r.role_definition_id,
          directoryScopeId: r.directory_scope_id,
          principalId: r.principal_id,
          principalType: r.principal_type,
          memberType: r.member_type,
          endDateTime: r.end_date_time === null ? null : new Date(r.end_date_time),
        })),
      );
    },
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

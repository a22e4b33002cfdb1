import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { roleAssignmentSchedules as ras, servicePrincipalPermissions as spp } from "@/db/schema";
import type { Db } from "@/db/types";
import { checkAccess, inForceAt, principalAndGroups } from "./access/check-access";
import { isSystemActor, type Actor, type Ctx } from "./context";
import { rowsOf } from "./sql-rows";
import { GLOBAL_ADMINISTRATOR, PIM_ADMIN_ROLE_IDS, PIM_READER_ROLE_IDS } from "./directory/builtin-roles";
import { PimError } from "./errors";
import { enabledUser, ownedGroupIds } from "./groups/owned-groups";

/**
 * Does `principalId` hold any of `roleIds` at the directory scope ("/") at `at`, directly or through a
 * group it belongs to? Window rule of `checkAccess` (`start <= at < end`, not Canceled); one query.
 */
export async function holdsAnyRoleNow(
  db: Db,
  principalId: string,
  roleIds: readonly string[],
  at: Date,
): Promise<boolean> {
  if (roleIds.length === 0) return false;
  const rows = await heldRoleQuery(db, principalId, roleIds, at);
  return rows.length > 0;
}

function heldRoleQuery(db: Db, principalId: string, roleIds: readonly string[], at: Date) {
  return db
    .select({ one: sql<number>`1` })
    .from(ras)
    .where(
      and(
        sql`${ras.principalId} in ${principalAndGroups(principalId, at)}`,
        inArray(ras.roleDefinitionId, [...roleIds]),
        eq(ras.directoryScopeId, "/"),
        inForceAt(at),
        sql`not exists (select 1 from users u where u.id = ${principalId}::uuid and not u.account_enabled)`,
        sql`not exists (select 1 from service_principals s where s.id = ${principalId}::uuid and not s.account_enabled)`,
      ),
    )
    .limit(1);
}

/**
 * Application permissions that make an enabled service principal act as a PIM administrator through the API
 * (Graph's model: the granted permission is enough, no role needed). Which endpoint each opens is narrowed
 * per call by the API's permission check (lib/api/scopes.ts).
 */
export const ADMIN_APP_PERMISSIONS = [
  "RoleManagement.ReadWrite.Directory",
  "RoleAssignmentSchedule.ReadWrite.Directory",
  "RoleEligibilitySchedule.ReadWrite.Directory",
  "RoleManagementPolicy.ReadWrite.Directory",
  "AccessReview.ReadWrite.All",
] as const;
/** Application permissions that let a service principal read everything PIM shows readers. */
export const READER_APP_PERMISSIONS = [
  ...ADMIN_APP_PERMISSIONS,
  "RoleManagement.Read.Directory",
  "RoleAssignmentSchedule.Read.Directory",
  "RoleEligibilitySchedule.Read.Directory",
  "RoleManagementPolicy.Read.Directory",
  "AuditLog.Read.All",
  "AccessReview.Read.All",
] as const;

/** Has the (enabled) service principal `principalId` been granted any of `permissions`? One indexed query. */
export async function hasAppPermission(db: Db, principalId: string, permissions: readonly string[]): Promise<boolean> {
  return (await appPermissionQuery(db, principalId, permissions)).length > 0;
}

function appPermissionQuery(db: Db, principalId: string, permissions: readonly string[]) {
  return db
    .select({ one: sql<number>`1` })
    .from(spp)
    .where(
      and(
        eq(spp.servicePrincipalId, principalId),
        inArray(spp.permission, [...permissions]),
        sql`exists (select 1 from service_principals s where s.id = ${principalId}::uuid and s.account_enabled)`,
      ),
    )
    .limit(1);
}

/**
 * `roleColumn` (a GA or PRA schedule's role) lets its holder manage PIM under the "who manages PIM" setting:
 * Global Administrator always; Privileged Role Administrator unless the setting is `globalAdministratorsOnly`.
 * Every place that decides or lists PIM admins (authorization, default approvers, admin notices) uses it.
 */
export const managesPim = (roleColumn: SQL | AnyPgColumn): SQL =>
  sql`(${roleColumn} = ${GLOBAL_ADMINISTRATOR}::uuid or coalesce((select ds.pim_settings ->> 'pimManagers'
    from directory_settings ds where ds.id = 1), 'globalAndPrivilegedRoleAdministrators') <> 'globalAdministratorsOnly')`;

/**
 * The PIM admin roles held now, honouring the PIM-wide "who manages PIM" setting (stored in
 * `directory_settings.pim_settings.pimManagers`): Privileged Role Administrator counts unless the setting is
 * `globalAdministratorsOnly`. Read in the same statement, so the decision is always on database state.
 */
function adminRoleQuery(db: Db, principalId: string, at: Date) {
  return db
    .select({ one: sql<number>`1` })
    .from(ras)
    .where(
      and(
        sql`${ras.principalId} in ${principalAndGroups(principalId, at)}`,
        inArray(ras.roleDefinitionId, [...PIM_ADMIN_ROLE_IDS]),
        managesPim(ras.roleDefinitionId),
        eq(ras.directoryScopeId, "/"),
        inForceAt(at),
        sql`not exists (select 1 from users u where u.id = ${principalId}::uuid and not u.account_enabled)`,
        sql`not exists (select 1 from service_principals s where s.id = ${principalId}::uuid and not s.account_enabled)`,
      ),
    )
    .limit(1);
}

/**
 * Reader and admin at once (the rules of `isPimReader` and `isPimAdmin`: a role held at "/" now, directly or
 * through a group, principal enabled; or a granted application permission): ONE statement for both.
 */
export async function pimRights(
  db: Db,
  principalId: string,
  at: Date,
): Promise<{ reader: boolean; admin: boolean; groupOwner: boolean }> {
  const res = await db.execute(sql`select
      (exists (${heldRoleQuery(db, principalId, PIM_READER_ROLE_IDS, at)})
        or exists (${appPermissionQuery(db, principalId, READER_APP_PERMISSIONS)})) as reader,
      (exists (${adminRoleQuery(db, principalId, at)})
        or exists (${appPermissionQuery(db, principalId, ADMIN_APP_PERMISSIONS)})) as admin,
      (${enabledUser(principalId)} and exists (select 1 from ${ownedGroupIds(principalId, at)} x)) as group_owner`);
  const row = rowsOf<{ reader: boolean; admin: boolean; group_owner: boolean }>(res)[0];
  return { reader: row?.reader === true, admin: row?.admin === true, groupOwner: row?.group_owner === true };
}

/** A role of `roleIds` held now, or (a service principal) one of `permissions` granted: ONE statement per check. */
async function holdsRoleOrAppPermission(
  db: Db,
  principalId: string,
  roleIds: readonly string[],
  permissions: readonly string[],
  at: Date,
): Promise<boolean> {
  const res = await db.execute(
    sql`select (exists (${heldRoleQuery(db, principalId, roleIds, at)}) or exists (${appPermissionQuery(db, principalId, permissions)})) as ok`,
  );
  return rowsOf<{ ok: boolean }>(res)[0]?.ok === true;
}

type Who = { db: Db; principalId: string; at: Date };

const isCtx = (a: Db | Ctx): a is Ctx => "db" in a && typeof a.now === "function";

/**
 * Accepts `(db, principalId, at)` or `(ctx, actor)` (the clock and the actor's id are taken from them); the
 * overloads of each caller below make `at` required with a bare `db`, so the time always comes from a clock
 * the caller controls.
 */
function who(a: Db | Ctx, b: string | Actor, c?: Date): Who | null {
  if (typeof b !== "string" && isSystemActor(b)) return null;
  const principalId = typeof b === "string" ? b : b.id;
  if (isCtx(a)) return { db: a.db, principalId, at: c ?? a.now() };
  if (!c) throw new Error("authz: a time is required with a bare database handle");
  return { db: a, principalId, at: c };
}

/**
 * Global Administrator or Privileged Role Administrator held at `at` (directory scope; Privileged Role
 * Administrator only while the PIM setting lets it manage PIM): may assign, change settings, cancel others'
 * requests. A service principal also passes with
 * a granted write application permission (`ADMIN_APP_PERMISSIONS`).
 */
export async function isPimAdmin(db: Db, principalId: string, at: Date): Promise<boolean>;
export async function isPimAdmin(ctx: Ctx, actor: Actor): Promise<boolean>;
export async function isPimAdmin(a: Db | Ctx, b: string | Actor, c?: Date): Promise<boolean> {
  const w = who(a, b, c);
  if (!w) return false;
  const res = await w.db.execute(
    sql`select (exists (${adminRoleQuery(w.db, w.principalId, w.at)}) or exists (${appPermissionQuery(w.db, w.principalId, ADMIN_APP_PERMISSIONS)})) as ok`,
  );
  return rowsOf<{ ok: boolean }>(res)[0]?.ok === true;
}

/** A role of `PIM_READER_ROLE_IDS` (GA, PRA, Security Administrator/Reader, Global Reader) held at `at`: may read everything in PIM. */
export async function isPimReader(db: Db, principalId: string, at: Date): Promise<boolean>;
export async function isPimReader(ctx: Ctx, actor: Actor): Promise<boolean>;
export async function isPimReader(a: Db | Ctx, b: string | Actor, c?: Date): Promise<boolean> {
  const w = who(a, b, c);
  if (!w) return false;
  return holdsRoleOrAppPermission(w.db, w.principalId, PIM_READER_ROLE_IDS, READER_APP_PERMISSIONS, w.at);
}

/** Throws `PimError('Forbidden')` unless the actor holds GA or PRA at `at`. Call it inside the use case's transaction. */
export async function assertPimAdmin(db: Db, actor: Actor, at: Date, what = "do this"): Promise<void> {
  if (!(await isPimAdmin(db, actor.id, at)) || isSystemActor(actor)) {
    throw new PimError(
      "Forbidden",
      `Only an active Global Administrator or Privileged Role Administrator may ${what}. Activate one of these roles first.`,
    );
  }
}

/** Boolean form of the access check for an actor at the context's clock (e.g. "may this person create users now?"). */
export async function hasPermissionNow(
  ctx: Ctx,
  actor: Actor,
  q: { permission?: string; roleDefinitionId?: string; directoryScopeId?: string },
): Promise<boolean> {
  if (isSystemActor(actor)) return false;
  const r = await checkAccess(ctx.db, { principalId: actor.id, ...q, at: ctx.now() });
  return r.allowed;
}

/** Is `userId` an approver of `stage` at `now` (named, through a named group, or a default approver)? */
export { isStageApprover } from "./internal/approval";

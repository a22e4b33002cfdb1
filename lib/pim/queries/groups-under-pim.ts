import { sql } from "drizzle-orm";
import { isSystemActor, type Actor, type Ctx } from "../context";
import { forbidden } from "../errors";
import type { GroupAccessId } from "../groups/access-definitions";
import { ownedGroupIds, ownsAnyGroup } from "../groups/group-ownership";
import { rowsOf } from "../sql-rows";
import {
  cappedCount,
  inForceSchedule,
  liveSchedule,
  readRights,
  toCapped,
  type CappedCount,
  type ReadRights,
} from "./read-scope";
import { roleEligibilitySchedules as e, roleAssignmentSchedules as a } from "@/db/schema";
import { keysetPage, nameKeyset } from "./name-cursor";

/** Counts shown per group stop here ("1,000+"); so does the page's total. */
export const GROUP_COUNT_CAP = 1000;
/** Rows per page of the Groups blade. */
export const GROUPS_PAGE_SIZE = 50;

export type GroupUnderPimRow = {
  groupId: string;
  displayName: string;
  description: string | null;
  isAssignableToRole: boolean;
  memberDefinitionId: string;
  ownerDefinitionId: string;
  /** Live eligible assignments (member + owner), and active memberships/ownerships in force now. */
  eligibleCount: number;
  activeCount: number;
  /** The directory roles the group holds now (what an active member inherits). */
  rolesHeld: string[];
  managedSince: Date;
  /** The actor may manage the member assignments and member settings (GA/PRA, or an owner of the group now). */
  canManageMembers: boolean;
  /** The actor may see and manage the ownership assignments and owner settings (PIM readers see, GA/PRA manage). */
  canSeeOwners: boolean;
};

/** Who is looking: PIM reader/admin rights, and whether the actor owns a group now (owners see their groups). */
export type GroupsViewer = ReadRights & { owner: boolean };

export type GroupsPage = {
  groups: GroupUnderPimRow[];
  viewer: GroupsViewer;
  total: CappedCount;
  nextCursor: string | null;
  prevCursor: string | null;
};

/** The sort key of the Groups blade, as indexed by groups_name_search_idx. */
const SORT = sql`(lower(g.display_name) collate "C")`;
/** A name prefix in that key (index range), `q` already lower-cased. */
const prefix = (q: string) => sql`${SORT} >= ${q} and ${SORT} < ${q + "\uffff"}`;

/**
 * The Groups blade: the groups under PIM ordered by name, keyset-paged on `(lower(display_name) collate "C",
 * id)` (one range read of groups_name_search_idx, each row joined to its two access definitions by
 * role_definitions_group_access_idx), with a name-prefix search, each row's eligible and active counts (capped)
 * and the roles the group holds now. PIM readers see every group; anyone else sees only the groups they own
 * now (`ownedGroupIds`: directory owner or active PIM ownership) and may manage those groups' memberships;
 * someone who owns no group is Forbidden. At most four statements (rights, ownership, the page, the total)
 * whatever the page size or depth.
 */
export async function listGroupsUnderPim(
  ctx: Ctx,
  actor: Actor,
  query: { search?: string; cursor?: string | null; limit?: number } = {},
): Promise<GroupsPage> {
  const rights = await readRights(ctx, actor);
  const now = ctx.now();
  const owner = !rights.admin && !isSystemActor(actor) ? await ownsAnyGroup(ctx.db, actor.id, now) : false;
  if (!rights.reader && !owner)
    throw forbidden(
      "Groups under PIM are visible to Privileged Role Administrators, Global Administrators, security readers and the groups' owners.",
    );
  const viewer: GroupsViewer = { ...rights, owner };
  const limit = Math.min(Math.max(query.limit ?? GROUPS_PAGE_SIZE, 1), 200);
  const q = (query.search ?? "").trim().toLowerCase();
  const { cursor: cur, backward, after } = nameKeyset(query.cursor, SORT, sql`g.id`);
  const owned = sql`(exists (select 1 from users ou where ou.id = ${actor.id}::uuid and ou.account_enabled)
    and g.id in ${ownedGroupIds(actor.id, now)})`;
  const where = sql.join(
    [sql`true`, rights.reader ? sql`` : sql`and ${owned}`, q ? sql`and ${prefix(q)}` : sql``],
    sql` `,
  );
  const position = after ? sql`and ${after}` : sql``;
  const dir = backward ? sql`desc` : sql`asc`;
  const from = sql`from groups g
      join role_definitions m on m.group_id = g.id and m.access_id = 'member'
      join role_definitions o on o.group_id = g.id and o.access_id = 'owner'`;
  const capped = (t: typeof e | typeof a) =>
    sql`(select count(*)::int from (select 1 from ${t}
         where ${t.roleDefinitionId} in (m.id, o.id) and ${t === e ? liveSchedule(t, now) : inForceSchedule(t, now)}
         limit ${GROUP_COUNT_CAP + 1}) x)`;
  const canManage = rights.admin ? sql`true` : rights.reader ? owned : sql`true`;
  const [res, totals] = await Promise.all([
    ctx.db.execute(sql`
    select g.id, g.display_name, ${SORT} as sort_name, g.description, g.is_assignable_to_role,
           m.id as member_id, o.id as owner_id, m.created_at as managed_since,
           ${capped(e)} as eligible_count,
           ${capped(a)} as active_count,
           coalesce((select array_agg(distinct rd.display_name order by rd.display_name)
                       from role_assignment_schedules h join role_definitions rd on rd.id = h.role_definition_id
                      where h.principal_id = g.id and h.status <> 'Canceled' and h.start_date_time <= ${now.toISOString()}::timestamptz
                        and (h.end_date_time is null or h.end_date_time > ${now.toISOString()}::timestamptz)), '{}') as roles_held,
           ${canManage} as can_manage
      ${from}
     where ${where} ${position}
     order by ${SORT} ${dir}, g.id ${dir}
     limit ${limit + 1}`),
    ctx.db.execute(sql`select ${cappedCount(sql`select 1 ${from} where ${where}`, GROUP_COUNT_CAP)} as n`),
  ]);
  const rows = rowsOf<{
    id: string;
    display_name: string;
    sort_name: string;
    description: string | null;
    is_assignable_to_role: boolean;
    member_id: string;
    owner_id: string;
    managed_since: string | Date;
    eligible_count: number | string;
    active_count: number | string;
    roles_held: string[] | string;
    can_manage: boolean;
  }>(res);
  const { page, ...cursors } = keysetPage(rows, limit, cur, (r) => ({ n: r.sort_name, i: r.id }));
  return {
    viewer,
    total: toCapped(rowsOf<{ n: number }>(totals)[0]?.n, GROUP_COUNT_CAP),
    ...cursors,
    groups: page.map((r) => ({
      groupId: r.id,
      displayName: r.display_name,
      description: r.description,
      isAssignableToRole: r.is_assignable_to_role,
      memberDefinitionId: r.member_id,
      ownerDefinitionId: r.owner_id,
      eligibleCount: Number(r.eligible_count),
      activeCount: Number(r.active_count),
      rolesHeld: pgArray(r.roles_held),
      managedSince: new Date(r.managed_since),
      canManageMembers: r.can_manage === true,
      canSeeOwners: rights.reader,
    })),
  };
}

/** A text[] as node-postgres/PGlite give it (already an array) or as postgres.js may ("{a,b}"). */
function pgArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  const inner = v.replace(/^\{|\}$/g, "");
  return inner === "" ? [] : inner.split(",").map((s) => s.replace(/^"|"$/g, ""));
}

/**
 * Groups not yet under PIM whose name starts with `search` (case-insensitive), for "Manage groups": at most
 * `limit`, by name. Scoped to what the actor may bring under PIM (`assertMayBringUnderPim`): every group for an
 * active GA/PRA; for anyone else only the groups they own that are not role-assignable (often none).
 */
export async function listGroupsNotUnderPim(
  ctx: Ctx,
  actor: Actor,
  query: { search?: string; limit?: number } = {},
): Promise<{ id: string; displayName: string; isAssignableToRole: boolean }[]> {
  const { admin } = await readRights(ctx, actor);
  if (!admin && isSystemActor(actor)) return [];
  const now = ctx.now();
  const q = (query.search ?? "").trim().toLowerCase();
  const res = await ctx.db.execute(sql`
    select g.id, g.display_name, g.is_assignable_to_role from groups g
     where not exists (select 1 from role_definitions d where d.group_id = g.id)
       ${
         admin
           ? sql``
           : sql`and not g.is_assignable_to_role
       and exists (select 1 from users ou where ou.id = ${actor.id}::uuid and ou.account_enabled)
       and g.id in ${ownedGroupIds(actor.id, now)}`
       }
       ${q ? sql`and ${prefix(q)}` : sql``}
     order by ${SORT}, g.id
     limit ${query.limit ?? 50}`);
  return rowsOf<{ id: string; display_name: string; is_assignable_to_role: boolean }>(res).map((r) => ({
    id: r.id,
    displayName: r.display_name,
    isAssignableToRole: r.is_assignable_to_role,
  }));
}

/** Which of `roleDefinitionIds` are groups' access definitions (for My roles' Groups view). No rights needed. */
export async function groupDefinitionsAmong(
  ctx: Ctx,
  roleDefinitionIds: string[],
): Promise<Map<string, { groupId: string; accessId: GroupAccessId; groupName: string }>> {
  const out = new Map<string, { groupId: string; accessId: GroupAccessId; groupName: string }>();
  if (roleDefinitionIds.length === 0) return out;
  const ids = sql.join(
    [...new Set(roleDefinitionIds)].map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const res = await ctx.db.execute(sql`
    select d.id, d.group_id, d.access_id, g.display_name from role_definitions d join groups g on g.id = d.group_id
     where d.id in (${ids})`);
  for (const r of rowsOf<{ id: string; group_id: string; access_id: GroupAccessId; display_name: string }>(res))
    out.set(r.id, { groupId: r.group_id, accessId: r.access_id, groupName: r.display_name });
  return out;
}

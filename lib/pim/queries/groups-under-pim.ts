import { sql } from "drizzle-orm";
import type { Actor, Ctx } from "../context";
import { forbidden } from "../errors";
import type { GroupAccessId } from "../groups/access-definitions";
import { rowsOf } from "../sql-rows";
import { inForceSchedule, liveSchedule, readRights, type ReadRights } from "./read-scope";
import { roleEligibilitySchedules as e, roleAssignmentSchedules as a } from "@/db/schema";

/** Counts shown per group stop here ("1,000+"). */
export const GROUP_COUNT_CAP = 1000;

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
};

/**
 * The Groups blade: every group under PIM, by name, with its eligible and active counts and the roles it holds
 * now. PIM readers only (Forbidden otherwise); `viewer.admin` says whether the actor may manage. One statement
 * for the list (counts capped per group), one for the rights.
 */
export async function listGroupsUnderPim(
  ctx: Ctx,
  actor: Actor,
): Promise<{ groups: GroupUnderPimRow[]; viewer: ReadRights }> {
  const viewer = await readRights(ctx, actor);
  if (!viewer.reader)
    throw forbidden(
      "Groups under PIM are visible to Privileged Role Administrators, Global Administrators and security readers.",
    );
  const now = ctx.now();
  const capped = (t: typeof e | typeof a) =>
    sql`(select count(*)::int from (select 1 from ${t}
         where ${t.roleDefinitionId} in (m.id, o.id) and ${t === e ? liveSchedule(t, now) : inForceSchedule(t, now)}
         limit ${GROUP_COUNT_CAP + 1}) x)`;
  const res = await ctx.db.execute(sql`
    select g.id, g.display_name, g.description, g.is_assignable_to_role, m.id as member_id, o.id as owner_id,
           m.created_at as managed_since,
           ${capped(e)} as eligible_count,
           ${capped(a)} as active_count,
           coalesce((select array_agg(distinct rd.display_name order by rd.display_name)
                       from role_assignment_schedules h join role_definitions rd on rd.id = h.role_definition_id
                      where h.principal_id = g.id and h.status <> 'Canceled' and h.start_date_time <= ${now.toISOString()}::timestamptz
                        and (h.end_date_time is null or h.end_date_time > ${now.toISOString()}::timestamptz)), '{}') as roles_held
      from role_definitions m
      join role_definitions o on o.group_id = m.group_id and o.access_id = 'owner'
      join groups g on g.id = m.group_id
     where m.access_id = 'member'
     order by g.display_name, g.id`);
  const rows = rowsOf<{
    id: string;
    display_name: string;
    description: string | null;
    is_assignable_to_role: boolean;
    member_id: string;
    owner_id: string;
    managed_since: string | Date;
    eligible_count: number | string;
    active_count: number | string;
    roles_held: string[] | string;
  }>(res);
  return {
    viewer,
    groups: rows.map((r) => ({
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
 * `limit`, by name. PIM readers only.
 */
export async function listGroupsNotUnderPim(
  ctx: Ctx,
  actor: Actor,
  query: { search?: string; limit?: number } = {},
): Promise<{ id: string; displayName: string; isAssignableToRole: boolean }[]> {
  const viewer = await readRights(ctx, actor);
  if (!viewer.reader) throw forbidden("Only PIM readers may list groups to manage.");
  const q = (query.search ?? "").trim().toLowerCase();
  const res = await ctx.db.execute(sql`
    select g.id, g.display_name, g.is_assignable_to_role from groups g
     where not exists (select 1 from role_definitions d where d.group_id = g.id)
       ${q ? sql`and (lower(g.display_name) collate "C") >= ${q} and (lower(g.display_name) collate "C") < ${q + "\uffff"}` : sql``}
     order by (lower(g.display_name) collate "C"), g.id
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

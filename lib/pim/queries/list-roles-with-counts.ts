import { sql } from "drizzle-orm";
import type { Ctx } from "../context";

export type RoleWithCounts = {
  id: string;
  displayName: string;
  description: string;
  isBuiltIn: boolean;
  isPrivileged: boolean;
  eligibleCount: number;
  activeCount: number;
};

type Raw = {
  id: string;
  display_name: string;
  description: string;
  is_built_in: boolean;
  is_privileged: boolean;
  eligible_count: string | number;
  active_count: string | number;
};

/**
 * Every role definition with how many principals are eligible and active at `now`, in one query
 * (two grouped subqueries joined once — no per-role round trip). A schedule counts when its window
 * covers now and it was not canceled: removal and deactivation end the window, so that alone decides.
 */
export async function listRolesWithCounts(ctx: Ctx, input: { search?: string } = {}): Promise<RoleWithCounts[]> {
  // ISO text + cast: postgres.js cannot bind a Date inside raw sql on a prepared statement.
  const now = ctx.now().toISOString();
  const q = input.search?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const res = await ctx.db.execute(sql`
    select r.id, r.display_name, r.description, r.is_built_in, r.is_privileged,
           coalesce(e.n, 0) as eligible_count, coalesce(a.n, 0) as active_count
      from role_definitions r
      left join (
        select role_definition_id, count(distinct principal_id) as n
          from role_eligibility_schedules
         where status <> 'Canceled' and start_date_time <= ${now}::timestamptz
           and (end_date_time is null or end_date_time > ${now}::timestamptz)
         group by role_definition_id
      ) e on e.role_definition_id = r.id
      left join (
        select role_definition_id, count(distinct principal_id) as n
          from role_assignment_schedules
         where status <> 'Canceled' and start_date_time <= ${now}::timestamptz
           and (end_date_time is null or end_date_time > ${now}::timestamptz)
         group by role_definition_id
      ) a on a.role_definition_id = r.id
     where r.is_enabled ${like ? sql`and r.display_name ilike ${like}` : sql``}
     order by r.display_name, r.id`);
  const rows = (Array.isArray(res) ? res : (res as { rows: Raw[] }).rows) as Raw[];
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    description: r.description,
    isBuiltIn: r.is_built_in,
    isPrivileged: r.is_privileged,
    eligibleCount: Number(r.eligible_count),
    activeCount: Number(r.active_count),
  }));
}

import { sql, type SQL } from "drizzle-orm";
import type { Actor, Ctx } from "../context";
import { rowsOf } from "../sql-rows";
import { likePattern } from "./list-users";
import { readRights, type ReadRights } from "./read-scope";

export type RoleWithCounts = {
  id: string;
  displayName: string;
  description: string;
  isBuiltIn: boolean;
  isPrivileged: boolean;
  /** Distinct principals eligible / active now (exact: maintained counts, see `holdersNow`). */
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

const IN_FORCE = sql.raw(`status in ('Provisioned', 'Granted')`);

/**
 * Per role, the holders counted by status (`role_holder_counts`, kept by triggers in the writing transaction,
 * migration 0013) that hold nothing in force at `at`: every schedule of theirs for the role has ended but is not
 * swept yet, or starts later. Read through *_due_idx and *_in_force_start_idx, so its cost follows the sweep's lag
 * and the scheduled starts, never the table; each candidate is one probe of *_role_holder_idx (a scalar sub-query,
 * not NOT EXISTS: the planner over-estimates the candidates from the column's statistics, Expired rows included,
 * and hashed the whole table for an anti-join: 79 ms at M for no candidate at all).
 */
function notHoldingAt(table: "role_eligibility_schedules" | "role_assignment_schedules", at: string): SQL {
  const t = sql.raw(table);
  return sql`select c.role_definition_id as role_id, count(distinct c.principal_id)::int as n
    from (select role_definition_id, principal_id from ${t} where ${IN_FORCE} and end_date_time <= ${at}::timestamptz
          union all
          select role_definition_id, principal_id from ${t} where ${IN_FORCE} and start_date_time > ${at}::timestamptz) c
   where (select 1 from ${t} x
           where x.role_definition_id = c.role_definition_id and x.principal_id = c.principal_id
             and x.${IN_FORCE} and x.start_date_time <= ${at}::timestamptz
             and (x.end_date_time is null or x.end_date_time > ${at}::timestamptz)
           limit 1) is null
   group by 1`;
}

/**
 * Every enabled role definition with how many principals are eligible and active at `now` (a schedule counts while
 * its window covers now, as `inForceSchedule` says): the maintained distinct-holder count of the role minus the
 * holders with nothing in force now (`notHoldingAt`). Exact, and its cost does not grow with the schedule tables.
 * Role definitions are open to every signed-in person (as in Entra); `viewer` says whether the actor may read
 * (PIM readers) or edit (GA/PRA) their settings. Two statements.
 */
export async function listRolesWithCounts(
  ctx: Ctx,
  actor: Actor,
  input: { search?: string } = {},
): Promise<{ roles: RoleWithCounts[]; viewer: ReadRights }> {
  const at = ctx.now().toISOString();
  const q = input.search?.trim();
  const [res, viewer] = await Promise.all([
    ctx.db.execute(sql`
      with e_out as (${notHoldingAt("role_eligibility_schedules", at)}),
           a_out as (${notHoldingAt("role_assignment_schedules", at)})
      select r.id, r.display_name, r.description, r.is_built_in, r.is_privileged,
             coalesce(ce.holders, 0) - coalesce(eo.n, 0) as eligible_count,
             coalesce(ca.holders, 0) - coalesce(ao.n, 0) as active_count
        from role_definitions r
        left join role_holder_counts ce on ce.kind = 'eligibility' and ce.role_definition_id = r.id
        left join role_holder_counts ca on ca.kind = 'assignment' and ca.role_definition_id = r.id
        left join e_out eo on eo.role_id = r.id
        left join a_out ao on ao.role_id = r.id
       where r.is_enabled and r.group_id is null ${q ? sql`and r.display_name ilike ${likePattern(q)}` : sql``}
       order by r.display_name, r.id`),
    readRights(ctx, actor),
  ]);
  return {
    roles: rowsOf<Raw>(res).map((r) => ({
      id: r.id,
      displayName: r.display_name,
      description: r.description,
      isBuiltIn: r.is_built_in,
      isPrivileged: r.is_privileged,
      eligibleCount: Number(r.eligible_count),
      activeCount: Number(r.active_count),
    })),
    viewer,
  };
}

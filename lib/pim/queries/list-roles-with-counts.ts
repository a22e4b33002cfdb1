import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { roleAssignmentSchedules, roleEligibilitySchedules } from "@/db/schema";
import type { Actor, Ctx } from "../context";
import { rowsOf } from "../sql-rows";
import { likePattern } from "./list-users";
import { inForceSchedule, readRights, type ReadRights } from "./read-scope";

/** Above this a role's count reads "1,000+": the page never counts a big role's holders one by one. */
export const ROLE_COUNT_CAP = 1000;

export type RoleWithCounts = {
  id: string;
  displayName: string;
  description: string;
  isBuiltIn: boolean;
  isPrivileged: boolean;
  /** Distinct principals eligible / active now, at most `ROLE_COUNT_CAP` (then `...AtLeast`). */
  eligibleCount: number;
  eligibleAtLeast: boolean;
  activeCount: number;
  activeAtLeast: boolean;
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

const e = alias(roleEligibilitySchedules, "e");
const a = alias(roleAssignmentSchedules, "a");

/**
 * Every enabled role definition with how many principals are eligible and active at `now`, each count read
 * through *_role_holder_idx in principal order and stopped at `ROLE_COUNT_CAP + 1` distinct principals (a whole-table grouped
 * count cost ~250 ms at 200,000 schedules). A schedule counts while its window covers now (`inForceSchedule`).
 * Role definitions are open to every signed-in person (as in Entra); `viewer` says whether the actor may
 * read (PIM readers) or edit (GA/PRA) their settings. Three statements.
 */
export async function listRolesWithCounts(
  ctx: Ctx,
  actor: Actor,
  input: { search?: string } = {},
): Promise<{ roles: RoleWithCounts[]; viewer: ReadRights }> {
  const now = ctx.now();
  const q = input.search?.trim();
  const capped = (t: typeof e | typeof a, table: string) =>
    // *_role_holder_idx: distinct principals in index order (Unique, no hash of the role's rows), stopped at the cap.
    sql`(select count(*)::int from (select distinct ${t.principalId} from ${sql.raw(table)} ${sql.raw(t === e ? "e" : "a")}
         where ${t.roleDefinitionId} = r.id and ${inForceSchedule(t, now)} limit ${ROLE_COUNT_CAP + 1}) x)`;
  const [res, viewer] = await Promise.all([
    ctx.db.execute(sql`
      select r.id, r.display_name, r.description, r.is_built_in, r.is_privileged,
             ${capped(e, "role_eligibility_schedules")} as eligible_count,
             ${capped(a, "role_assignment_schedules")} as active_count
        from role_definitions r
       where r.is_enabled and r.group_id is null ${q ? sql`and r.display_name ilike ${likePattern(q)}` : sql``}
       order by r.display_name, r.id`),
    readRights(ctx, actor),
  ]);
  const count = (v: string | number) => Math.min(Number(v), ROLE_COUNT_CAP);
  return {
    roles: rowsOf<Raw>(res).map((r) => ({
      id: r.id,
      displayName: r.display_name,
      description: r.description,
      isBuiltIn: r.is_built_in,
      isPrivileged: r.is_privileged,
      eligibleCount: count(r.eligible_count),
      eligibleAtLeast: Number(r.eligible_count) > ROLE_COUNT_CAP,
      activeCount: count(r.active_count),
      activeAtLeast: Number(r.active_count) > ROLE_COUNT_CAP,
    })),
    viewer,
  };
}

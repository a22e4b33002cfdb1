import { sql } from "drizzle-orm";
import { principalAndGroups } from "../access/check-access";
import { isSystemActor, type Actor, type Ctx } from "../context";
import { PIM_ADMIN_ROLE_IDS, PIM_READER_ROLE_IDS } from "../directory/builtin-roles";
import { rowsOf } from "../sql-rows";
import { liveSchedule } from "./read-scope";
import { roleEligibilitySchedules } from "@/db/schema";

/** What a page needs: a PIM admin role (GA/PRA) or any PIM reader role, held now at the directory scope. */
export type AccessNeed = "admin" | "reader";

export type AccessPath = {
  /** The roles any one of which grants the need (display names, in the directory's spelling). */
  roles: { id: string; displayName: string }[];
  /**
   * The actor's own eligibilities (direct or through a group) for one of those roles, directory-wide: each
   * can be activated on My roles (`/my-roles?activate=<scheduleId>`).
   */
  eligible: { scheduleId: string; roleDefinitionId: string; roleName: string }[];
};

const roleIdsFor = (need: AccessNeed): readonly string[] =>
  need === "admin" ? PIM_ADMIN_ROLE_IDS : PIM_READER_ROLE_IDS;

/**
 * For a "not allowed here" page: which roles would let the actor in, and which of them the actor may
 * activate now. Only ever reads the actor's own eligibilities, so it needs no further authorization.
 * One statement (the role names and the eligibilities together).
 */
export async function accessPathFor(ctx: Ctx, actor: Actor, need: AccessNeed): Promise<AccessPath> {
  const ids = roleIdsFor(need);
  const idList = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const me = isSystemActor(actor) ? null : actor.id;
  const e = roleEligibilitySchedules;
  const res = await ctx.db.execute(sql`
    select r.id as role_id, r.display_name, el.id as schedule_id
      from role_definitions r
      left join lateral (
        select ${e.id} as id from ${e}
         where ${me !== null ? sql`${e.principalId} in ${principalAndGroups(me)}` : sql`false`}
           and ${e.roleDefinitionId} = r.id and ${e.directoryScopeId} = '/'
           and ${liveSchedule(e, ctx.now())} and ${e.startDateTime} <= ${ctx.now().toISOString()}::timestamptz
         order by ${e.startDateTime} limit 1
      ) el on true
     where r.id in (${idList})`);
  const rows = rowsOf<{ role_id: string; display_name: string; schedule_id: string | null }>(res);
  // Keep the order of the need's list (Global Administrator first), not the database's.
  const byId = new Map(rows.map((r) => [r.role_id, r]));
  const ordered = ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [r] : [];
  });
  return {
    roles: ordered.map((r) => ({ id: r.role_id, displayName: r.display_name })),
    eligible: ordered.flatMap((r) =>
      r.schedule_id ? [{ scheduleId: r.schedule_id, roleDefinitionId: r.role_id, roleName: r.display_name }] : [],
    ),
  };
}

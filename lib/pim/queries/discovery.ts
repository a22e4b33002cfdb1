import { sql } from "drizzle-orm";
import { GLOBAL_ADMINISTRATOR } from "../directory/builtin-roles";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { PRIVILEGED_ALERT_ROLE_IDS } from "../governance/evaluate";
import { rowsOf, toDate } from "../sql-rows";
import { readRights } from "./read-scope";

/** Lists are capped (the page shows the first ones; counts are capped too: no exact count over a big table). */
export const INSIGHT_LIST_CAP = 100;
export const INSIGHT_COUNT_CAP = 5000;

export type InsightRow = {
  scheduleId: string;
  kind: "eligibility" | "assignment";
  principalId: string;
  principalType: string;
  principalName: string;
  roleId: string;
  roleName: string;
  scope: string;
  start: Date;
  end: Date | null;
  assignmentType: string | null;
};
export type Bar = { label: string; n: number };

type Raw = Record<string, unknown>;
const toRow = (r: Raw): InsightRow => ({
  scheduleId: String(r.schedule_id),
  kind: r.kind as InsightRow["kind"],
  principalId: String(r.principal_id),
  principalType: String(r.principal_type),
  principalName: String(r.principal_name),
  roleId: String(r.role_id),
  roleName: String(r.role_name),
  scope: String(r.scope),
  start: toDate(r.start_date_time as string) ?? new Date(0),
  end: toDate(r.end_date_time as string | null),
  assignmentType: (r.assignment_type as string | null) ?? null,
});

/**
 * Discovery and insights (PIM readers): three views, each a capped list and a small chart.
 * - Reduce global administrators: who holds Global Administrator, by how (permanent active, time-bound active, eligible).
 * - Eliminate standing access: permanent active (Assigned) assignments of privileged roles, by role.
 * - Service principals with privileged roles.
 * One statement (with the rights' one), each part bounded (LIMIT on indexed partial scans; counts capped at INSIGHT_COUNT_CAP).
 */
export async function discoveryInsights(ctx: Ctx, actor: Actor) {
  const rights = await readRights(ctx, actor);
  if (!rights.reader)
    throw new PimError("Forbidden", "Only PIM administrators and readers may see Discovery and insights.");
  const now = ctx.now().toISOString();
  const live = (t: string) => {
    const x = sql.raw(t);
    return sql`${x}.status in ('Provisioned','Granted') and ${x}.start_date_time <= ${now}::timestamptz and (${x}.end_date_time is null or ${x}.end_date_time > ${now}::timestamptz)`;
  };
  const priv = sql`(${sql.join(
    PRIVILEGED_ALERT_ROLE_IDS.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
  const cols = (t: string, kind: string) =>
    sql.raw(`${t}.id as schedule_id, '${kind}' as kind, ${t}.principal_id, ${t}.principal_type::text as principal_type,
      ${t}.principal_name, ${t}.role_definition_id as role_id, ${t}.role_name, ${t}.directory_scope_id as scope,
      ${t}.start_date_time, ${t}.end_date_time`);
  const ga = sql`select ${cols("a", "assignment")}, a.assignment_type::text as assignment_type,
        case when a.assignment_type = 'Activated' then 'Activated now'
             when a.end_date_time is null then 'Permanent active' else 'Time-bound active' end as label
      from role_assignment_schedules a where a.role_definition_id = ${GLOBAL_ADMINISTRATOR}::uuid and ${live("a")}
    union all
    select ${cols("e", "eligibility")}, null, 'Eligible' from role_eligibility_schedules e
      where e.role_definition_id = ${GLOBAL_ADMINISTRATOR}::uuid and ${live("e")}`;
  // Permanent (no end), so in force once started: the window's end clause is left out, which keeps the
  // planner's estimate right and the read on assignment_standing_idx in its order (0021).
  const standing = sql`select ${cols("a", "assignment")}, a.assignment_type::text as assignment_type from role_assignment_schedules a
    where a.assignment_type = 'Assigned' and a.end_date_time is null and a.principal_type <> 'ServicePrincipal'
      and a.role_definition_id in ${priv} and a.status in ('Provisioned','Granted') and a.start_date_time <= ${now}::timestamptz`;
  const sps = sql`select ${cols("a", "assignment")}, a.assignment_type::text as assignment_type from role_assignment_schedules a
    where a.principal_type = 'ServicePrincipal' and a.role_definition_id in ${priv} and ${live("a")}`;
  const list = (q: ReturnType<typeof sql>, order: string) =>
    sql`(select json_agg(x order by ${sql.raw(order)}) from (${q} order by ${sql.raw(order)} limit ${INSIGHT_LIST_CAP}) x)`;
  const chart = (q: ReturnType<typeof sql>, label: string) =>
    sql`(select json_agg(json_build_object('label', b.label, 'n', b.n) order by b.label) from (select ${sql.raw(label)} as label,
      count(*) as n from (${q} limit ${INSIGHT_COUNT_CAP}) y group by 1) b)`;
  // One statement (three capped lists, three charts over capped sub-selects): the page's cost does not grow with the tables.
  const res = await ctx.db.execute(sql`select
      ${list(ga, "principal_name, schedule_id")} as ga_rows, ${chart(ga, "y.label")} as ga_bars,
      ${list(standing, "role_name, principal_name, schedule_id")} as standing_rows, ${chart(standing, "y.role_name")} as standing_bars,
      ${list(sps, "principal_name, schedule_id")} as sp_rows, ${chart(sps, "y.role_name")} as sp_bars`);
  const row = rowsOf<Raw>(res)[0] ?? {};
  const arr = (v: unknown): Raw[] => (typeof v === "string" ? (JSON.parse(v) as Raw[]) : ((v as Raw[] | null) ?? []));
  const bars = (v: unknown): Bar[] => arr(v).map((b) => ({ label: String(b.label), n: Number(b.n) }));
  return {
    viewer: { admin: rights.admin },
    globalAdmins: { rows: arr(row.ga_rows).map(toRow), bars: bars(row.ga_bars) },
    standingAccess: { rows: arr(row.standing_rows).map(toRow), bars: bars(row.standing_bars) },
    servicePrincipals: { rows: arr(row.sp_rows).map(toRow), bars: bars(row.sp_bars) },
  };
}

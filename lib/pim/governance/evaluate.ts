import { eq, sql, type SQL } from "drizzle-orm";
import { alertStates, directorySettings } from "@/db/schema";
import type { Db } from "@/db/types";
import {
  alertKeys,
  alertSettingsInput,
  DEFAULT_ALERT_SETTINGS,
  type AlertKey,
  type AlertSettings,
} from "@/lib/validation/governance";
import {
  APPLICATION_ADMINISTRATOR,
  AUTHENTICATION_ADMINISTRATOR,
  GLOBAL_ADMINISTRATOR,
  GROUPS_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SECURITY_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "../directory/builtin-roles";
import { emitNotification } from "../notifications/emit";
import { rowsOf } from "../sql-rows";
import { alertCatalog } from "./alert-catalog";

/** The roles the "stale accounts" alert watches (Entra: the privileged roles). */
export const PRIVILEGED_ALERT_ROLE_IDS = [
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SECURITY_ADMINISTRATOR,
  USER_ADMINISTRATOR,
  APPLICATION_ADMINISTRATOR,
  AUTHENTICATION_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  GROUPS_ADMINISTRATOR,
] as const;

/** How many affected items an alert keeps for its page (the count and fingerprint cover all of them). */
export const ALERT_SAMPLE = 100;

/** One affected item as the page shows it. */
export type AffectedItem = {
  key: string;
  scheduleKind: "eligibility" | "assignment" | null;
  scheduleId: string | null;
  principalId: string | null;
  principalType: string | null;
  principalName: string | null;
  roleId: string | null;
  roleName: string | null;
  scope: string | null;
  /** The fact that put it here ("Last sign-in: never", "5 activations"). */
  info: string | null;
  permanent: boolean;
};

export type Evaluation = {
  key: AlertKey;
  active: boolean;
  count: number;
  fingerprint: string;
  affected: AffectedItem[];
  details: Record<string, unknown>;
};

/** The stored settings merged over the defaults (a setting missing from the row takes its default). */
export async function loadAlertSettings(db: Db): Promise<AlertSettings> {
  const [row] = await db
    .select({ s: directorySettings.alertSettings })
    .from(directorySettings)
    .where(eq(directorySettings.id, 1));
  const stored = (row?.s ?? {}) as Partial<Record<AlertKey, object>>;
  const merged = Object.fromEntries(
    alertKeys.map((k) => [k, { ...DEFAULT_ALERT_SETTINGS[k], ...(stored[k] ?? {}) }]),
  ) as AlertSettings;
  const parsed = alertSettingsInput.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_ALERT_SETTINGS;
}

const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const live = (alias: string, at: Date) => {
  const t = sql.raw(alias);
  return sql`${t}.status in ('Provisioned','Granted') and ${t}.start_date_time <= ${iso(at)} and (${t}.end_date_time is null or ${t}.end_date_time > ${iso(at)})`;
};
const idList = (ids: readonly string[]) =>
  sql`(${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;

/**
 * Each alert's affected set as one SELECT with the columns of `AffectedItem` (snake_case). The count, the
 * fingerprint and the sample are then read from it in ONE statement (`summarize`).
 */
function affectedQuery(key: AlertKey, s: AlertSettings, at: Date): SQL | null {
  switch (key) {
    case "rolesAssignedOutsidePim":
      return sql`select a.id::text as key, 'assignment' as schedule_kind, a.id as schedule_id, a.principal_id,
          a.principal_type::text as principal_type, a.principal_name, a.role_definition_id as role_id, a.role_name,
          a.directory_scope_id as scope, 'Assigned ' || to_char(a.start_date_time at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC' as info,
          (a.end_date_time is null) as permanent
        from role_assignment_schedules a
        where ${live("a", at)} and a.assignment_type = 'Assigned' and a.origin <> 'pim'`;
    case "staleAccounts": {
      const since = new Date(at.getTime() - s.staleAccounts.days * 86_400_000);
      const roles = idList(PRIVILEGED_ALERT_ROLE_IDS);
      const info = sql`case when u.last_sign_in_at is null then 'Never signed in' else 'Last sign-in ' || to_char(u.last_sign_in_at at time zone 'UTC', 'YYYY-MM-DD') end`;
      const stale = sql`u.account_enabled and u.created_at <= ${iso(since)} and (u.last_sign_in_at is null or u.last_sign_in_at < ${iso(since)})`;
      return sql`select e.id::text as key, 'eligibility' as schedule_kind, e.id as schedule_id, e.principal_id,
          'User' as principal_type, e.principal_name, e.role_definition_id as role_id, e.role_name,
          e.directory_scope_id as scope, ${info} as info, (e.end_date_time is null) as permanent
        from role_eligibility_schedules e join users u on u.id = e.principal_id
        where ${live("e", at)} and e.principal_type = 'User' and e.role_definition_id in ${roles} and ${stale}
        union all
        select a.id::text, 'assignment', a.id, a.principal_id, 'User', a.principal_name, a.role_definition_id,
          a.role_name, a.directory_scope_id, ${info}, (a.end_date_time is null)
        from role_assignment_schedules a join users u on u.id = a.principal_id
        where ${live("a", at)} and a.assignment_type = 'Assigned' and a.principal_type = 'User'
          and a.role_definition_id in ${roles} and ${stale}`;
    }
    case "adminsNotUsingRoles": {
      const since = new Date(at.getTime() - s.adminsNotUsingRoles.days * 86_400_000);
      return sql`select e.id::text as key, 'eligibility' as schedule_kind, e.id as schedule_id, e.principal_id,
          'User' as principal_type, e.principal_name, e.role_definition_id as role_id, e.role_name,
          e.directory_scope_id as scope,
          coalesce('Last activation ' || (select to_char(max(x.start_date_time) at time zone 'UTC', 'YYYY-MM-DD')
              from role_assignment_schedules x where x.principal_id = e.principal_id
                and x.role_definition_id = e.role_definition_id and x.assignment_type = 'Activated'), 'Never activated') as info,
          (e.end_date_time is null) as permanent
        from role_eligibility_schedules e
        where ${live("e", at)} and e.principal_type = 'User' and e.start_date_time <= ${iso(since)}
          and not exists (select 1 from role_assignment_schedules x where x.principal_id = e.principal_id
            and x.role_definition_id = e.role_definition_id and x.assignment_type = 'Activated'
            and x.start_date_time > ${iso(since)} and x.start_date_time <= ${iso(at)})`;
    }
    case "rolesWithoutMfa":
      return sql`select r.id::text as key, null as schedule_kind, null::uuid as schedule_id, null::uuid as principal_id,
          null as principal_type, null as principal_name, r.id as role_id, r.display_name as role_name, '/' as scope,
          'MFA on activation: off' as info, false as permanent
        from role_definitions r join role_settings rs on rs.role_definition_id = r.id and rs.directory_scope_id = '/'
        where not rs.activation_require_mfa
          and exists (select 1 from role_eligibility_schedules e where e.role_definition_id = r.id and ${live("e", at)})`;
    case "tooManyGlobalAdmins":
      return sql`select s.id::text as key, s.kind as schedule_kind, s.id as schedule_id, s.principal_id,
          s.principal_type::text as principal_type, s.principal_name, s.role_definition_id as role_id, s.role_name,
          s.directory_scope_id as scope, case when s.kind = 'eligibility' then 'Eligible' else 'Active' end ||
            case when s.end_date_time is null then ', permanent' else '' end as info, (s.end_date_time is null) as permanent
        from (select 'eligibility' as kind, e.id, e.principal_id, e.principal_type, e.principal_name, e.role_definition_id,
                e.role_name, e.directory_scope_id, e.end_date_time
              from role_eligibility_schedules e where e.role_definition_id = ${GLOBAL_ADMINISTRATOR}::uuid and ${live("e", at)}
              union all
              select 'assignment', a.id, a.principal_id, a.principal_type, a.principal_name, a.role_definition_id,
                a.role_name, a.directory_scope_id, a.end_date_time
              from role_assignment_schedules a where a.role_definition_id = ${GLOBAL_ADMINISTRATOR}::uuid
                and a.assignment_type = 'Assigned' and ${live("a", at)}) s`;
    case "frequentActivation": {
      const since = new Date(at.getTime() - s.frequentActivation.windowHours * 3_600_000);
      return sql`select x.principal_id::text || ':' || x.role_definition_id::text as key, null as schedule_kind,
          null::uuid as schedule_id, x.principal_id, 'User' as principal_type, max(x.principal_name) as principal_name,
          x.role_definition_id as role_id, max(x.role_name) as role_name, '/' as scope,
          count(*)::text || ' activations' as info, false as permanent
        from role_assignment_schedules x
        where x.assignment_type = 'Activated' and x.start_date_time > ${iso(since)} and x.start_date_time <= ${iso(at)}
          and x.status <> 'Canceled'
        group by x.principal_id, x.role_definition_id
        having count(*) >= ${s.frequentActivation.count}`;
    }
  }
}

type SummaryRow = { n: number | string; fp: string | null; sample: AffectedItem[] | string | null };
type RawItem = Record<string, unknown>;

const toItem = (r: RawItem): AffectedItem => ({
  key: String(r.key),
  scheduleKind: (r.schedule_kind as AffectedItem["scheduleKind"]) ?? null,
  scheduleId: (r.schedule_id as string | null) ?? null,
  principalId: (r.principal_id as string | null) ?? null,
  principalType: (r.principal_type as string | null) ?? null,
  principalName: (r.principal_name as string | null) ?? null,
  roleId: (r.role_id as string | null) ?? null,
  roleName: (r.role_name as string | null) ?? null,
  scope: (r.scope as string | null) ?? null,
  info: (r.info as string | null) ?? null,
  permanent: r.permanent === true,
});

async function summarize(db: Db, q: SQL): Promise<{ count: number; fingerprint: string; affected: AffectedItem[] }> {
  const res = await db.execute(sql`with a as (${q})
    select (select count(*) from a) as n,
      (select md5(coalesce(string_agg(key, ',' order by key), '')) from a) as fp,
      (select coalesce(json_agg(t), '[]'::json) from (select * from a order by principal_name nulls last, role_name, key limit ${ALERT_SAMPLE}) t) as sample`);
  const row = rowsOf<SummaryRow>(res)[0];
  const raw =
    typeof row?.sample === "string" ? (JSON.parse(row.sample) as RawItem[]) : ((row?.sample ?? []) as RawItem[]);
  return { count: Number(row?.n ?? 0), fingerprint: row?.fp ?? "", affected: raw.map(toItem) };
}

/** Global Administrator assignments and all assignments (eligible + assigned active, live), one statement. */
async function gaShare(db: Db, at: Date): Promise<{ ga: number; total: number }> {
  const res = await db.execute(sql`select
      (select count(*) from role_eligibility_schedules e where ${live("e", at)}) +
      (select count(*) from role_assignment_schedules a where a.assignment_type = 'Assigned' and ${live("a", at)}) as total,
      (select count(*) from role_eligibility_schedules e where e.role_definition_id = ${GLOBAL_ADMINISTRATOR}::uuid and ${live("e", at)}) +
      (select count(*) from role_assignment_schedules a where a.role_definition_id = ${GLOBAL_ADMINISTRATOR}::uuid
         and a.assignment_type = 'Assigned' and ${live("a", at)}) as ga`);
  const r = rowsOf<{ ga: number | string; total: number | string }>(res)[0];
  return { ga: Number(r?.ga ?? 0), total: Number(r?.total ?? 0) };
}

/** Evaluates one alert as of `at` with the given settings (read-only). */
export async function evaluateAlert(db: Db, key: AlertKey, s: AlertSettings, at: Date): Promise<Evaluation> {
  const none: Evaluation = { key, active: false, count: 0, fingerprint: "", affected: [], details: {} };
  if (!s[key].enabled) return { ...none, details: { disabled: true } };
  if (key === "tooManyGlobalAdmins") {
    const { ga, total } = await gaShare(db, at);
    const percent = total === 0 ? 0 : Math.round((ga * 1000) / total) / 10;
    const details = { gaCount: ga, total, percent };
    const t = s.tooManyGlobalAdmins;
    // both thresholds: the count AND the share (a large tenant may need several GAs)
    if (!(ga >= t.minCount && ga * 100 >= t.minPercent * total)) return { ...none, details };
    const q = affectedQuery(key, s, at);
    if (!q) return none;
    return { key, active: true, ...(await summarize(db, q)), details };
  }
  const q = affectedQuery(key, s, at);
  if (!q) return none;
  const r = await summarize(db, q);
  return { key, active: r.count > 0, ...r, details: {} };
}

/**
 * Evaluates the alerts (all, or `only`) and stores each result in `alert_states`, in the caller's
 * transaction. An alert that turns active (it was not, or it was never evaluated) gets a new `raised_at`;
 * when it is High, the PIM admins are notified (one event; the outbox fans it out). Returns the results.
 */
export async function storeAlertEvaluations(
  tx: Db,
  at: Date,
  only?: readonly AlertKey[],
): Promise<{ evaluations: Evaluation[]; raised: AlertKey[] }> {
  const settings = await loadAlertSettings(tx);
  const keys = only ?? alertKeys;
  const previous = new Map(
    (await tx.select({ key: alertStates.alertKey, active: alertStates.active }).from(alertStates)).map((r) => [
      r.key,
      r.active,
    ]),
  );
  const evaluations: Evaluation[] = [];
  const raised: AlertKey[] = [];
  for (const key of keys) {
    const e = await evaluateAlert(tx, key, settings, at);
    evaluations.push(e);
    const turnedOn = e.active && previous.get(key) !== true;
    if (turnedOn) raised.push(key);
    const values = {
      active: e.active,
      affectedCount: e.count,
      affected: e.affected as unknown as Record<string, unknown>[],
      fingerprint: e.fingerprint,
      details: e.details,
      evaluatedAt: at,
    };
    await tx
      .insert(alertStates)
      .values({ alertKey: key, ...values, raisedAt: e.active ? at : null })
      .onConflictDoUpdate({
        target: alertStates.alertKey,
        set: {
          ...values,
          raisedAt: e.active ? (turnedOn ? at : sql`${alertStates.raisedAt}`) : null,
        },
      });
    if (turnedOn && alertCatalog[key].severity === "High") {
      await emitNotification(tx, at, {
        type: "alertRaised",
        alertKey: key,
        severity: alertCatalog[key].severity,
        description: alertCatalog[key].title,
        affectedCount: e.count,
        raisedAt: at.toISOString(),
      });
    }
  }
  return { evaluations, raised };
}

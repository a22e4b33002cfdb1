import { sql } from "drizzle-orm";
import { alertStates } from "@/db/schema";
import { alertKeys, type AlertKey, type AlertSettings } from "@/lib/validation/governance";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { alertCatalog, severityRank, type AlertInfo } from "../governance/alert-catalog";
import { loadAlertSettings, type AffectedItem } from "../governance/evaluate";
import { rowsOf, toDate } from "../sql-rows";
import { readRights } from "./read-scope";

export type AlertStatus = "Active" | "Dismissed" | "Resolved" | "Off" | "NotEvaluated";

export type AlertView = Omit<AlertInfo, "trigger"> & {
  trigger: string;
  status: AlertStatus;
  affectedCount: number;
  affected: AffectedItem[];
  details: Record<string, unknown>;
  raisedAt: Date | null;
  evaluatedAt: Date | null;
  dismissal: { reason: string; by: string | null; at: Date } | null;
};

type Dismissal = {
  alert_key: string;
  fingerprint: string;
  reason: string;
  dismissed_by_name: string | null;
  dismissed_at: string | Date;
};

/**
 * The Alerts page: every alert with its last evaluation and newest dismissal, for PIM readers. Two small
 * statements (the six stored states, the newest dismissal per alert) plus the settings row; the affected
 * items are the bounded sample stored by the evaluation. `viewer.admin` says who may refresh, fix and dismiss.
 */
export async function listAlerts(
  ctx: Ctx,
  actor: Actor,
): Promise<{ alerts: AlertView[]; settings: AlertSettings; viewer: { admin: boolean }; lastEvaluatedAt: Date | null }> {
  const rights = await readRights(ctx, actor);
  if (!rights.reader)
    throw new PimError(
      "Forbidden",
      "Only an active Global Administrator, Privileged Role Administrator, Security Administrator, Security Reader or Global Reader may see security alerts.",
    );
  const [states, dismissals, settings] = await Promise.all([
    ctx.db.select().from(alertStates),
    ctx.db.execute(sql`select distinct on (alert_key) alert_key, fingerprint, reason, dismissed_by_name, dismissed_at
      from alert_dismissals order by alert_key, dismissed_at desc`),
    loadAlertSettings(ctx.db),
  ]);
  const byKey = new Map(states.map((s) => [s.alertKey, s]));
  const dis = new Map(rowsOf<Dismissal>(dismissals).map((d) => [d.alert_key, d]));
  const alerts = alertKeys.map((key: AlertKey): AlertView => {
    const info = alertCatalog[key];
    const st = byKey.get(key);
    const d = dis.get(key);
    const dismissed = Boolean(st?.active && d && d.fingerprint === st.fingerprint);
    const status: AlertStatus = !settings[key].enabled
      ? "Off"
      : !st
        ? "NotEvaluated"
        : !st.active
          ? "Resolved"
          : dismissed
            ? "Dismissed"
            : "Active";
    return {
      ...info,
      trigger: info.trigger(settings),
      status,
      affectedCount: st?.affectedCount ?? 0,
      affected: (st?.affected ?? []) as unknown as AffectedItem[],
      details: st?.details ?? {},
      raisedAt: st?.raisedAt ?? null,
      evaluatedAt: st?.evaluatedAt ?? null,
      dismissal:
        dismissed && d
          ? { reason: d.reason, by: d.dismissed_by_name, at: toDate(d.dismissed_at) ?? new Date(0) }
          : null,
    };
  });
  alerts.sort(
    (a, b) =>
      Number(b.status === "Active") - Number(a.status === "Active") ||
      severityRank[a.severity] - severityRank[b.severity],
  );
  const lastEvaluatedAt = states.reduce<Date | null>((m, s) => (m && m > s.evaluatedAt ? m : s.evaluatedAt), null);
  return { alerts, settings, viewer: { admin: rights.admin }, lastEvaluatedAt };
}

/** One alert of `listAlerts` (same authorization). */
export async function getAlert(ctx: Ctx, actor: Actor, key: AlertKey) {
  const r = await listAlerts(ctx, actor);
  const alert = r.alerts.find((a) => a.key === key);
  if (!alert) throw new PimError("NotFound", "There is no such alert.");
  return { alert, settings: r.settings, viewer: r.viewer };
}

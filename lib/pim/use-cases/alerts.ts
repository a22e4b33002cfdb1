/**
 * Security alerts (§9, issue 14): Refresh, Dismiss (with a reason), alert settings, and the one-click fixes.
 * Each is a use case through `runUseCase`: authorized on database state (GA or PRA now), audited in its
 * transaction. A fix goes through the engine's own use case (removeAssignment, updateRoleSettings) so its
 * rules, audit and notices hold, then the alert is evaluated again.
 */
import { eq } from "drizzle-orm";
import { alertDismissals, alertStates, directorySettings } from "@/db/schema";
import {
  alertSettingsInput,
  dismissAlertInput,
  fixAlertInput,
  type AlertKey,
  type AlertSettings,
  type FixAlertInput,
} from "@/lib/validation/governance";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { alertCatalog } from "../governance/alert-catalog";
import { loadAlertSettings, storeAlertEvaluations, type Evaluation } from "../governance/evaluate";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import { makeEligible } from "./make-eligible";
import { removeAssignment } from "./remove-assignment";
import { updateRoleSettings } from "./update-role-settings";

const category = "Governance";

/** "Refresh": evaluates every alert now (admins only; the scheduled job does the same on its own). */
export async function refreshAlerts(ctx: Ctx, actor: Actor): Promise<{ evaluations: Evaluation[] }> {
  const meta: UseCaseMeta = { category, operation: "alerts.refresh", activity: "Refresh security alerts" };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "refresh alerts");
    const r = await storeAlertEvaluations(tx, now);
    return { evaluations: r.evaluations };
  });
}

/** "Dismiss": hides the alert while its affected items stay the same; a change raises it again. */
export async function dismissAlert(ctx: Ctx, actor: Actor, raw: { alertKey: AlertKey; reason: string }) {
  const input = parseInput(dismissAlertInput, raw);
  const title = alertCatalog[input.alertKey].title;
  const meta: UseCaseMeta = {
    category,
    operation: "alert.dismiss",
    activity: "Dismiss security alert",
    justification: input.reason,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "dismiss alerts");
    const [state] = await tx.select().from(alertStates).where(eq(alertStates.alertKey, input.alertKey)).for("update");
    if (!state?.active) throw new PimError("Conflict", `"${title}" is not active: there is nothing to dismiss.`);
    const [row] = await tx
      .insert(alertDismissals)
      .values({
        alertKey: input.alertKey,
        fingerprint: state.fingerprint,
        reason: input.reason,
        dismissedBy: actor.id,
        dismissedByName: actor.displayName,
        dismissedAt: now,
      })
      .returning({ id: alertDismissals.id });
    await auditChange(tx, now, {
      category,
      activity: "Dismiss security alert",
      operation: "alert.dismiss",
      actor,
      justification: input.reason,
      changed: [row?.id ?? input.alertKey],
      details: { alertKey: input.alertKey, title, affectedCount: state.affectedCount },
    });
    return { alertKey: input.alertKey };
  });
}

/** Alert settings: thresholds and on/off, audited with before and after; the alerts are evaluated again. */
export async function updateAlertSettings(ctx: Ctx, actor: Actor, raw: AlertSettings): Promise<AlertSettings> {
  const input = parseInput(alertSettingsInput, raw);
  const meta: UseCaseMeta = { category, operation: "alertSettings.update", activity: "Update alert settings" };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "change alert settings");
    const before = await loadAlertSettings(tx);
    await tx.update(directorySettings).set({ alertSettings: input, updatedAt: now }).where(eq(directorySettings.id, 1));
    const changed = (Object.keys(input) as AlertKey[]).filter(
      (k) => JSON.stringify(input[k]) !== JSON.stringify(before[k]),
    );
    await auditChange(tx, now, {
      category,
      activity: "Update alert settings",
      operation: "alertSettings.update",
      actor,
      changed: ["alert_settings"],
      details: { settingsChanged: changed, before, after: input },
    });
    await storeAlertEvaluations(tx, now);
    return input;
  });
}

/**
 * A one-click fix on one affected item: remove the assignment, make a permanent active assignment eligible, or
 * require MFA on the role's activation. The item must be one the alert lists now (no fixing arbitrary rows
 * through the alert page); the engine's use case authorizes and audits the change itself.
 */
export async function fixAlertItem(ctx: Ctx, actor: Actor, raw: FixAlertInput): Promise<{ done: string }> {
  const input = parseInput(fixAlertInput, raw);
  const info = alertCatalog[input.alertKey];
  // Authorize before looking at the alert (the engine's use case below checks again, on its own transaction).
  const meta: UseCaseMeta = { category, operation: "alert.fix", activity: "Fix security alert" };
  await runUseCase(ctx, actor, meta, (tx, now) => assertPimAdmin(tx, actor, now, "fix alerts"));
  if (!(info.fixes as string[]).includes(input.fix))
    throw new PimError("ValidationFailed", `"${info.title}" offers no such fix.`);
  const [state] = await ctx.db.select().from(alertStates).where(eq(alertStates.alertKey, input.alertKey));
  const target = input.fix === "requireMfa" ? input.roleDefinitionId : input.scheduleId;
  const listed = (state?.affected ?? []).some((a) => a.scheduleId === target || a.roleId === target);
  if (!state?.active || !listed)
    throw new PimError("NotFound", "This item is no longer affected by the alert. Refresh the alert.");
  let done: string;
  if (input.fix === "remove") {
    await removeAssignment(ctx, actor, {
      kind: input.kind,
      scheduleId: input.scheduleId,
      justification: `${info.title}: ${input.justification}`,
    });
    done = "The assignment was removed.";
  } else if (input.fix === "makeEligible") {
    await makeEligible(ctx, actor, {
      scheduleId: input.scheduleId,
      justification: `${info.title}: ${input.justification}`,
    });
    done = "The active assignment was replaced by an eligible one.";
  } else {
    await updateRoleSettings(ctx, actor, { roleDefinitionId: input.roleDefinitionId, activationRequireMfa: true });
    done = "Activation of the role now requires MFA.";
  }
  await ctx.db.transaction((tx) => storeAlertEvaluations(tx, ctx.now(), [input.alertKey]));
  return { done };
}

import { activateRoleInput, type ActivateRoleInput } from "@/lib/validation/pim";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { emitNotification } from "../notifications/emit";
import { checkGroupAccessTarget } from "../groups/access-definitions";
import { getRoleSettings } from "../role-settings";
import { MFA_RECENT_MS, MIN_SCHEDULE_MS, stageDeadline } from "../rules/constants";
import { humanMinutes, parseIsoDuration, toIsoDuration } from "../rules/durations";
import {
  activationStart,
  activationWindow,
  assertNotAlreadyActive,
  insertActivation,
  lockEligibilityFor,
} from "../internal/activation";
import { loadPrincipal, loadRole, resolveScope, userEnabledLocked } from "../internal/directory";
import { requestActivity } from "../internal/request-words";
import { insertRequest, type ScheduleRow } from "../internal/schedules";
import { auditChange, mfaIsRecent, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

export type ActivationResult = {
  requestId: string;
  /** Provisioned: active now; Granted: scheduled for a future start; PendingApproval: waiting for approvers. */
  status: "Provisioned" | "Granted" | "PendingApproval";
  /** The activation (null while pending approval). */
  schedule: ScheduleRow | null;
  startDateTime: Date;
  endDateTime: Date;
};

export const ACTIVATION_ACTIVITY = {
  completed: "Add member to role completed (PIM activation)",
  requested: "Add member to role requested (PIM activation)",
};

/**
 * Self-activation (Graph selfActivate) of a role the actor is eligible for, directly or through a group, at
 * the eligibility's scope or an administrative unit inside it. Rules (§3/§4): duration ≤ the role's maximum
 * (ExpirationRule), justification (JustificationRule), ticket (TicketingRule) and MFA within
 * `MFA_RECENT_MS` (MfaRule) when required; never outlives the eligibility; refused while already active or
 * pending (Conflict); a custom start lies between now and 30 days ahead. A scheduled activation that has not
 * started is replaced by a new one that needs no approval (canceled, audited). Without approval the activation
 * is created at once (Provisioned, or Granted for a future start); with approval a PendingApproval request
 * (deadline 24 h) goes to the first stage's approvers.
 * Concurrent activations of one eligibility are serialised by a row lock on it (and a unique index).
 */
export async function activateRole(ctx: Ctx, actor: Actor, raw: ActivateRoleInput): Promise<ActivationResult> {
  const input = parseInput(activateRoleInput, raw);
  const meta: UseCaseMeta = {
    operation: "selfActivate",
    activity: ACTIVATION_ACTIVITY.completed,
    directoryScopeId: input.directoryScopeId,
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    if (actor.type !== "User") throw new PimError("Forbidden", "Only users activate roles.");
    const me = await loadPrincipal(tx, "User", actor.id);
    if (!me.enabled || !(await userEnabledLocked(tx, actor.id)))
      throw new PimError("Forbidden", "Your account is disabled.");
    const role = await loadRole(tx, input.roleDefinitionId);
    meta.role = { id: role.id, name: role.name };
    meta.target = { id: me.id, type: "User", name: me.name };
    if (!role.enabled) throw new PimError("EligibilityRule", `${role.name} is disabled.`);
    checkGroupAccessTarget(role, input.directoryScopeId);
    const scopeName = await resolveScope(tx, input.directoryScopeId);
    const start = activationStart(input.startDateTime, now);
    const eligibility = await lockEligibilityFor(
      tx,
      actor.id,
      role,
      input.directoryScopeId,
      scopeName,
      start,
      input.eligibilityScheduleId,
    );

    const s = await getRoleSettings(tx, role.id, input.directoryScopeId);
    const isoMs = input.duration !== undefined ? parseIsoDuration(input.duration) : null;
    if (input.duration !== undefined && isoMs === null)
      throw new PimError("ValidationFailed", "Use an ISO 8601 duration such as PT4H.");
    const minutes = input.durationMinutes ?? (isoMs !== null ? Math.round(isoMs / 60_000) : s.activationMaxMinutes);
    if (minutes > s.activationMaxMinutes) {
      throw new PimError(
        "ExpirationRule",
        `${role.name} can be activated for at most ${humanMinutes(s.activationMaxMinutes)}.`,
      );
    }
    if (minutes * 60_000 < MIN_SCHEDULE_MS)
      throw new PimError("ExpirationRule", `Activate for at least ${humanMinutes(MIN_SCHEDULE_MS / 60_000)}.`);
    if (s.activationRequireJustification && !input.justification) {
      throw new PimError("JustificationRule", `A justification is required to activate ${role.name}.`);
    }
    if (s.activationRequireTicket && (!input.ticketNumber || !input.ticketSystem)) {
      throw new PimError("TicketingRule", `A ticket number and ticket system are required to activate ${role.name}.`);
    }
    const mfa = mfaIsRecent(actor, now);
    if (s.activationRequireMfa && !mfa) {
      throw new PimError(
        "MfaRule",
        `Activating ${role.name} requires multifactor authentication in the last ${MFA_RECENT_MS / 60_000} minutes.`,
      );
    }
    const window = activationWindow(role, eligibility, start, minutes * 60_000);
    // Without approval a new activation replaces a scheduled one that has not started (the person can always
    // activate now); with approval it is refused by name until the scheduled one is canceled.
    const replace = { replaceScheduled: !s.approvalRequired };
    const replaced = await assertNotAlreadyActive(
      tx,
      now,
      actor.id,
      role,
      input.directoryScopeId,
      eligibility,
      undefined,
      replace,
    );

    const common = {
      requestType: "assignment" as const,
      action: "selfActivate" as const,
      principalId: actor.id,
      principalType: "User" as const,
      roleDefinitionId: role.id,
      directoryScopeId: input.directoryScopeId,
      justification: input.justification,
      ticketNumber: input.ticketNumber,
      ticketSystem: input.ticketSystem,
      startDateTime: window.start,
      endDateTime: window.end,
      duration: toIsoDuration(minutes * 60_000),
      eligibilityScheduleId: eligibility.id,
      mfaVerified: mfa,
    };
    const auditBase = {
      operation: "selfActivate",
      actor,
      target: meta.target,
      role: meta.role,
      directoryScopeId: input.directoryScopeId,
      justification: input.justification,
      ticketNumber: input.ticketNumber,
      ticketSystem: input.ticketSystem,
    };

    if (s.approvalRequired) {
      const stages = s.approvalStages.length > 0 ? s.approvalStages : [{ mode: "anyOne" as const, approvers: [] }];
      const request = await insertRequest(tx, now, actor, {
        ...common,
        status: "PendingApproval",
        approvalStages: stages,
        approvalDeadline: stageDeadline(now, stages[0]),
        completed: false,
      });
      await auditChange(tx, now, {
        ...auditBase,
        activity: ACTIVATION_ACTIVITY.requested,
        requestId: request.id,
        changed: [request.id],
        details: {
          status: "PendingApproval",
          stages: stages.length,
          eligibilityScheduleId: eligibility.id,
          duration: common.duration,
        },
      });
      await emitNotification(tx, now, { type: "activationPendingApproval", requestId: request.id });
      return {
        requestId: request.id,
        status: "PendingApproval",
        schedule: null,
        startDateTime: window.start,
        endDateTime: window.end,
      };
    }

    for (const old of replaced) {
      await auditChange(tx, now, {
        ...auditBase,
        activity: requestActivity("selfActivate", "canceled"),
        operation: "request.cancel",
        changed: [old.id, ...old.canceledRequestIds],
        details: { from: "Granted", to: "Canceled", scheduleId: old.id, reason: "Replaced by a new activation" },
      });
    }
    const schedule = await insertActivation(
      tx,
      now,
      actor.id,
      role,
      input.directoryScopeId,
      eligibility,
      window,
      actor.id,
    );
    const status = schedule.status === "Granted" ? "Granted" : "Provisioned";
    const request = await insertRequest(tx, now, actor, {
      ...common,
      status,
      targetScheduleId: schedule.id,
      completed: true,
    });
    await auditChange(tx, now, {
      ...auditBase,
      activity: ACTIVATION_ACTIVITY.completed,
      requestId: request.id,
      changed: [request.id, schedule.id],
      details: {
        status,
        scheduleId: schedule.id,
        eligibilityScheduleId: eligibility.id,
        startDateTime: window.start.toISOString(),
        endDateTime: window.end.toISOString(),
      },
    });
    await emitNotification(tx, now, { type: "roleActivated", scheduleId: schedule.id, requestId: request.id });
    return { requestId: request.id, status, schedule, startDateTime: window.start, endDateTime: window.end };
  });
}

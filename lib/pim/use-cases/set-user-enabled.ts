import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { roleAssignmentSchedules as ras, scheduleRequests, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { setUserEnabledInput, type SetUserEnabledInput } from "@/lib/validation/set-user-enabled";
import { writeAuditRows, type AuditInput } from "../audit";
import { hasPermissionNow, isPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { forbidden, notFound, PimError } from "../errors";
import { emitNotification } from "../notifications/emit";
import { loadRole, type RoleInfo } from "../internal/directory";
import { assertNotLastGlobalAdmin, privilegedUserIds } from "../internal/privileged-users";
import { requestActivity } from "../internal/request-words";
import { revokeUserSessions, revokeUserTokens } from "../internal/credentials";
import { LIVE } from "../internal/schedules";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

/** Granted by User Administrator and Global Administrator (and Privileged Authentication Administrator). */
export const USER_UPDATE_PERMISSION = "microsoft.directory/users/basic/update";

export type SetUserEnabledResult = {
  userId: string;
  displayName: string;
  accountEnabled: boolean;
  sessionsEnded: number;
  tokensRevoked: number;
  requestsCanceled: number;
  activationsEnded: number;
};

/**
 * May `actor` disable or enable `targetId` now? The same rule the use case enforces, for pages that hide
 * the button: a role granting users/basic/update held now, not oneself, and for a person who holds or is
 * eligible for Global Administrator or Privileged Role Administrator, GA or PRA held now.
 */
export async function userEnablementRights(ctx: Ctx, actor: Actor, targetIds: readonly string[]): Promise<Set<string>> {
  const now = ctx.now();
  const at = { db: ctx.db, now: () => now };
  if (!(await hasPermissionNow(at, actor, { permission: USER_UPDATE_PERMISSION }))) return new Set();
  const [admin, privileged] = await Promise.all([
    isPimAdmin(ctx.db, actor.id, now),
    privilegedUserIds(ctx.db, targetIds, now),
  ]);
  return new Set(targetIds.filter((id) => id !== actor.id && (admin || !privileged.has(id))));
}

/**
 * "Disable user" / "Enable user". Allowed to an actor holding now a role granting users/basic/update
 * (User Administrator, Global Administrator); a person who holds or is eligible for GA or PRA may be
 * changed only by an actor holding GA or PRA now. Nobody changes their own account, and the last person
 * holding Global Administrator now cannot be disabled (LockoutProtection, serialised per role).
 *
 * Disabling, in one transaction: the account is disabled, the person's server sessions end, their live
 * personal API tokens are revoked, pending requests they made or that are for them become Canceled (the
 * approvers are told), and their live activations end now (Revoked; one not started yet is Canceled), each
 * audited. Eligibilities and admin-given assignments are KEPT, as in Entra: a disabled principal gets
 * nothing from them (the access check ignores disabled principals), and they apply again once enabled.
 * A summary row "Disable user" (UserManagement) carries the counts and the justification.
 * Enabling only sets the account enabled ("Enable user"); nothing that ended comes back.
 */
export async function setUserEnabled(ctx: Ctx, actor: Actor, raw: SetUserEnabledInput): Promise<SetUserEnabledResult> {
  const input = parseInput(setUserEnabledInput, raw);
  const verb = input.enabled ? "enable" : "disable";
  const meta: UseCaseMeta = {
    operation: input.enabled ? "user.enable" : "user.disable",
    activity: input.enabled ? "Enable user" : "Disable user",
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    const [target] = await tx
      .select({
        id: users.id,
        displayName: users.displayName,
        upn: users.userPrincipalName,
        enabled: users.accountEnabled,
      })
      .from(users)
      .where(eq(users.id, input.userId))
      .for("update");
    if (!target) throw notFound("The user");
    meta.target = { id: target.id, type: "User", name: target.displayName };
    if (target.id === actor.id) throw forbidden(`You cannot ${verb} your own account.`);
    if (!(await hasPermissionNow({ db: tx, now: () => now }, actor, { permission: USER_UPDATE_PERMISSION }))) {
      throw forbidden(
        `To ${verb} users you need an active User Administrator or Global Administrator role. Activate it in My roles, then try again.`,
      );
    }
    const privileged = (await privilegedUserIds(tx, [target.id], now)).has(target.id);
    if (privileged && !(await isPimAdmin(tx, actor.id, now))) {
      throw forbidden(
        `${target.displayName} holds or is eligible for a privileged role: only an active Global Administrator or Privileged Role Administrator may ${verb} them.`,
      );
    }
    if (target.enabled === input.enabled)
      throw new PimError("Conflict", `${target.displayName} is already ${input.enabled ? "enabled" : "disabled"}.`);

    const base = { userId: target.id, displayName: target.displayName, accountEnabled: input.enabled };
    const summary = (details: Record<string, unknown>): AuditInput => ({
      category: "UserManagement",
      activity: meta.activity,
      operation: meta.operation,
      actor,
      target: meta.target,
      justification: input.justification,
      details: { userPrincipalName: target.upn, ...details },
    });
    if (input.enabled) {
      await tx.update(users).set({ accountEnabled: true, updatedAt: now }).where(eq(users.id, target.id));
      await writeAuditRows(tx, now, [summary({ accountEnabled: true })]);
      return { ...base, sessionsEnded: 0, tokensRevoked: 0, requestsCanceled: 0, activationsEnded: 0 };
    }

    await assertNotLastGlobalAdmin(tx, target.id, target.displayName, now);
    await tx.update(users).set({ accountEnabled: false, updatedAt: now }).where(eq(users.id, target.id));
    const sessionsEnded = await revokeUserSessions(tx, target.id, now);
    const tokensRevoked = await revokeUserTokens(tx, target.id, now);
    // row locks first, the audit chain lock last (the order every use case keeps: no deadlock with the sweep)
    const requests = await cancelPendingRequests(tx, now, target.id);
    const activations = await endActivations(tx, now, target.id);

    const roles = new Map<string, RoleInfo>();
    const role = async (id: string) => roles.get(id) ?? roles.set(id, await loadRole(tx, id)).get(id)!;
    const rows: AuditInput[] = [];
    for (const r of requests) {
      const ro = await role(r.roleDefinitionId);
      rows.push({
        activity: requestActivity(r.action, "canceled"),
        operation: "request.cancel",
        actor,
        target: r.principalId === target.id ? meta.target : null,
        role: { id: ro.id, name: ro.name },
        directoryScopeId: r.directoryScopeId,
        requestId: r.id,
        justification: input.justification,
        details: {
          from: "PendingApproval",
          to: "Canceled",
          action: r.action,
          reason: "user disabled",
          changed: [r.id],
        },
      });
    }
    for (const a of activations) {
      const ro = await role(a.roleDefinitionId);
      rows.push({
        activity: "Remove member from role (PIM activation ended: user disabled)",
        operation: "schedule.userDisabled",
        actor,
        target: meta.target,
        role: { id: ro.id, name: ro.name },
        directoryScopeId: a.directoryScopeId,
        justification: input.justification,
        details: { scheduleId: a.id, to: a.status, endDateTime: a.endDateTime?.toISOString() ?? null, changed: [a.id] },
      });
    }
    const counts = {
      sessionsEnded,
      tokensRevoked,
      requestsCanceled: requests.length,
      activationsEnded: activations.length,
    };
    rows.push(summary({ accountEnabled: false, ...counts, eligibilitiesKept: true }));
    await writeAuditRows(tx, now, rows);
    for (const r of requests) await emitNotification(tx, now, { type: "requestCanceled", requestId: r.id });
    for (const a of activations) {
      if (a.status === "Revoked")
        await emitNotification(tx, now, {
          type: "assignmentRemoved",
          kind: "assignment",
          scheduleId: a.id,
          requestId: null,
        });
    }
    return { ...base, ...counts };
  });
}

/** Pending requests the person made or that are for them: locked, then Canceled (completed now). */
async function cancelPendingRequests(tx: Db, now: Date, userId: string) {
  const pending = await tx
    .select({
      id: scheduleRequests.id,
      action: scheduleRequests.action,
      principalId: scheduleRequests.principalId,
      roleDefinitionId: scheduleRequests.roleDefinitionId,
      directoryScopeId: scheduleRequests.directoryScopeId,
    })
    .from(scheduleRequests)
    .where(
      and(
        eq(scheduleRequests.status, "PendingApproval"),
        or(eq(scheduleRequests.principalId, userId), eq(scheduleRequests.requestorId, userId)),
      ),
    )
    .orderBy(scheduleRequests.createdDateTime, scheduleRequests.id)
    .for("update");
  if (pending.length === 0) return [];
  await tx
    .update(scheduleRequests)
    .set({
      status: "Canceled",
      completedDateTime: now,
      failureReason: "The requester's or member's account was disabled.",
    })
    .where(
      and(
        inArray(
          scheduleRequests.id,
          pending.map((r) => r.id),
        ),
        eq(scheduleRequests.status, "PendingApproval"),
      ),
    );
  return pending;
}

/** The person's live activations not over yet: ended now (Revoked), or Canceled when they had not started. */
async function endActivations(tx: Db, now: Date, userId: string) {
  const live = await tx
    .select({ id: ras.id, start: ras.startDateTime })
    .from(ras)
    .where(
      and(
        eq(ras.principalId, userId),
        eq(ras.assignmentType, "Activated"),
        sql`${ras.status} in ${sql.raw(`('${LIVE.join("','")}')`)}`,
        or(isNull(ras.endDateTime), gt(ras.endDateTime, now)),
      ),
    )
    .orderBy(ras.startDateTime, ras.id)
    .for("update");
  const ended = [];
  for (const a of live) {
    const notStarted = a.start > now;
    const [row] = await tx
      .update(ras)
      .set(
        notStarted
          ? { status: "Canceled", endDateTime: a.start, updatedAt: now }
          : { status: "Revoked", endDateTime: now, updatedAt: now },
      )
      .where(eq(ras.id, a.id))
      .returning({
        id: ras.id,
        status: ras.status,
        endDateTime: ras.endDateTime,
        roleDefinitionId: ras.roleDefinitionId,
        directoryScopeId: ras.directoryScopeId,
      });
    if (row) ended.push(row);
  }
  return ended;
}

import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { setUserEnabledInput, type SetUserEnabledInput } from "@/lib/validation/set-user-enabled";
import { writeAuditRows, type AuditInput } from "../audit";
import { hasPermissionNow, isPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { forbidden, notFound, PimError } from "../errors";
import { disableUserInTx } from "../internal/disable-user";
import { privilegedUserIds } from "../internal/privileged-users";
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

    const counts = await disableUserInTx(tx, now, actor, {
      target: { id: target.id, displayName: target.displayName, userPrincipalName: target.upn },
      justification: input.justification,
      summary: summary({}),
    });
    return { ...base, ...counts };
  });
}

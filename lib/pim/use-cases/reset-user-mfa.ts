import { eq } from "drizzle-orm";
import { userMfa, users } from "@/db/schema";
import { resetUserMfaInput, type ResetUserMfaInput } from "@/lib/validation/reset-mfa";
import { writeAudit } from "../audit";
import { isPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { forbidden, notFound } from "../errors";
import { revokeUserSessions, revokeUserTokens } from "../internal/credentials";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

export type ResetUserMfaResult = { userId: string; displayName: string; sessionsEnded: number; tokensRevoked: number };

/**
 * Recovery when a person lost their authenticator: clears the enrolled and pending secret, the used-step
 * memory, the failure count and any lock, ends the person's sessions and revokes their personal API tokens
 * (a token minted by whoever held the account must not outlive the recovery), so their next sign-in asks
 * them to enrol again. Only an actor holding Global Administrator or Privileged Role Administrator at
 * this moment may do it (checked in the transaction). Audited "Reset MFA" in the same transaction.
 */
export async function resetUserMfa(ctx: Ctx, actor: Actor, raw: ResetUserMfaInput): Promise<ResetUserMfaResult> {
  const input = parseInput(resetUserMfaInput, raw);
  const meta: UseCaseMeta = {
    category: "UserManagement",
    activity: "Reset MFA",
    operation: "user.mfa.reset",
    justification: input.justification,
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    if (!(await isPimAdmin(tx, actor.id, now))) {
      throw forbidden(
        "Only an active Global Administrator or Privileged Role Administrator may reset a person's MFA. Activate one of these roles first.",
      );
    }
    const [target] = await tx
      .select({ id: users.id, displayName: users.displayName, upn: users.userPrincipalName })
      .from(users)
      .where(eq(users.id, input.userId))
      .for("update");
    if (!target) throw notFound("The user");
    meta.target = { id: target.id, type: "User", name: target.displayName };
    await tx
      .update(userMfa)
      .set({
        secretEncrypted: null,
        pendingSecretEncrypted: null,
        enrolledAt: null,
        lastUsedStep: null,
        failedAttempts: 0,
        lockedUntil: null,
        updatedAt: now,
      })
      .where(eq(userMfa.userId, target.id));
    const sessionsEnded = await revokeUserSessions(tx, target.id, now);
    const tokensRevoked = await revokeUserTokens(tx, target.id, now);
    await writeAudit(tx, now, {
      category: "UserManagement",
      activity: "Reset MFA",
      operation: "user.mfa.reset",
      actor,
      target: { id: target.id, type: "User", name: target.displayName },
      justification: input.justification,
      details: { userPrincipalName: target.upn, sessionsEnded, tokensRevoked },
    });
    return { userId: target.id, displayName: target.displayName, sessionsEnded, tokensRevoked };
  });
}

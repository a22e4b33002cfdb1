import { and, eq, gt, isNull } from "drizzle-orm";
import { apiTokens, userMfa, users } from "@/db/schema";
import { writeAudit } from "@/lib/pim/audit";
import { isPimAdmin } from "@/lib/pim/authz";
import type { Actor, Ctx } from "@/lib/pim/context";
import { PimError, forbidden, notFound } from "@/lib/pim/errors";
import { fieldErrorsOf } from "@/lib/validation/field-errors";
import { resetUserMfaInput, type ResetUserMfaInput } from "@/lib/validation/reset-mfa";
import { revokeUserSessions } from "./sessions";

export { resetUserMfaInput, type ResetUserMfaInput };

export type ResetUserMfaResult = { userId: string; displayName: string; sessionsEnded: number; tokensRevoked: number };

/**
 * Recovery when a person lost their authenticator: clears the enrolled and pending secret, the used-step
 * memory, the failure count and any lock, ends the person's sessions and revokes their personal API tokens
 * (a token minted by whoever held the account must not outlive the recovery), so their next sign-in asks
 * them to enrol again. Only an actor holding Global Administrator or Privileged Role Administrator at
 * this moment may do it (checked in the transaction). Audited "Reset MFA" in the same transaction.
 */
export async function resetUserMfa(ctx: Ctx, actor: Actor, raw: ResetUserMfaInput): Promise<ResetUserMfaResult> {
  const parsed = resetUserMfaInput.safeParse(raw);
  if (!parsed.success) {
    throw new PimError("ValidationFailed", "Check the highlighted fields.", {
      fieldErrors: fieldErrorsOf(parsed.error),
    });
  }
  const input = parsed.data;
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
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
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.userId, target.id), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)))
      .returning({ id: apiTokens.id });
    const tokensRevoked = revoked.length;
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

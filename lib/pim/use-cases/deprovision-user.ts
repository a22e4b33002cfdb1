import { and, eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { writeAudit } from "../audit";
import type { Actor, Ctx } from "../context";
import { notFound } from "../errors";
import { disableUserInTx } from "../internal/disable-user";
import { assertProvisioningApp, visibleUser, UUID } from "../internal/provisioning";
import { runUseCase, type UseCaseMeta } from "../internal/tx";

/**
 * SCIM `DELETE /Users/{id}`: the person is deprovisioned. Their account is disabled exactly as "Disable
 * user" does (sessions, tokens, pending requests, activations end now; last-GA lockout holds) and they are
 * no longer visible to provisioning (a later GET answers 404). The row and its history stay: audit rows
 * and past assignments keep naming them. One transaction, audited as the provisioning application.
 */
export async function deprovisionUser(ctx: Ctx, actor: Actor, userId: string): Promise<void> {
  const meta: UseCaseMeta = { category: "UserManagement", activity: "Delete user", operation: "scim.user.delete" };
  await runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertProvisioningApp(tx, actor, now);
    if (!UUID.test(userId)) throw notFound("The user");
    const [row] = await tx
      .select({ id: users.id, name: users.displayName, upn: users.userPrincipalName, enabled: users.accountEnabled })
      .from(users)
      .where(and(eq(users.id, userId), visibleUser))
      .for("update");
    if (!row) throw notFound("The user");
    const target = { id: row.id, type: "User" as const, name: row.name };
    meta.target = target;
    const justification = `Provisioning: ${actor.displayName} deleted the user.`;
    if (row.enabled) {
      await disableUserInTx(tx, now, actor, {
        target: { id: row.id, displayName: row.name, userPrincipalName: row.upn },
        justification,
        summary: {
          category: "UserManagement",
          activity: "Disable user",
          operation: "scim.user.disable",
          actor,
          target,
          justification,
          details: { source: "SCIM", userPrincipalName: row.upn },
        },
      });
    }
    await tx.update(users).set({ deprovisionedAt: now, updatedAt: now }).where(eq(users.id, row.id));
    await writeAudit(tx, now, {
      category: "UserManagement",
      activity: "Delete user",
      operation: "scim.user.delete",
      actor,
      target,
      justification,
      details: { source: "SCIM", userPrincipalName: row.upn, historyKept: true },
    });
  });
}

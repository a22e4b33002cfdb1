import { and, eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { provisionedUserFields, type ProvisionedUser, type ProvisionedUserFields } from "@/lib/validation/provisioning";
import { writeAudit, type AuditInput } from "../audit";
import type { Actor, Ctx } from "../context";
import { notFound, PimError } from "../errors";
import { disableUserInTx } from "../internal/disable-user";
import {
  assertProvisioningApp,
  assertUsersExist,
  userNameConflict,
  userNameTaken,
  visibleUser,
  UUID,
} from "../internal/provisioning";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import { displayNameOf } from "./provision-user";

export type UserUpdateResult = { id: string; changed: string[]; disabled: boolean; enabled: boolean };

/**
 * SCIM `PUT` and `PATCH /Users/{id}`: `change` turns the person's current state into the new one (the
 * adapter's replace or its patch operations; it may throw to refuse). The row is locked first, so
 * concurrent changes apply one after the other. `active: false` deprovisions through the same work as
 * "Disable user" (sessions, tokens, pending requests and activations end at once; last-Global-Administrator
 * lockout holds); `active: true` enables the account. Everything in ONE transaction, audited as the
 * provisioning application; a refused change writes nothing.
 */
export async function updateProvisionedUser(
  ctx: Ctx,
  actor: Actor,
  userId: string,
  change: (current: ProvisionedUser) => ProvisionedUserFields,
): Promise<UserUpdateResult> {
  const meta: UseCaseMeta = { category: "UserManagement", activity: "Update user", operation: "scim.user.update" };
  let userName = "";
  return runUseCase(
    ctx,
    actor,
    meta,
    async (tx, now) => {
      await assertProvisioningApp(tx, actor, now);
      if (!UUID.test(userId)) throw notFound("The user");
      const [row] = await tx
        .select()
        .from(users)
        .where(and(eq(users.id, userId), visibleUser))
        .for("update");
      if (!row) throw notFound("The user");
      const current: ProvisionedUser = {
        userName: row.userPrincipalName,
        externalId: row.externalId,
        displayName: row.displayName,
        givenName: row.givenName,
        familyName: row.familyName,
        email: row.mail,
        title: row.jobTitle,
        department: row.department,
        managerId: row.managerId,
        active: row.accountEnabled,
      };
      const next = parseInput(provisionedUserFields, change(current));
      userName = next.userName;
      meta.target = { id: row.id, type: "User", name: row.displayName };
      if (next.userName !== current.userName) {
        if (await userNameTaken(tx, next.userName, row.id)) throw userNameConflict(next.userName);
      }
      if (next.managerId && next.managerId !== current.managerId) {
        if (next.managerId === row.id)
          throw new PimError("ValidationFailed", "manager: a person cannot manage themselves.");
        await assertUsersExist(tx, [next.managerId], "manager");
      }
      const displayName = displayNameOf(next);
      const changed = (Object.keys(next) as (keyof ProvisionedUser)[]).filter(
        (k) => k !== "active" && next[k] !== current[k],
      );
      if (displayName !== row.displayName && !changed.includes("displayName")) changed.push("displayName");
      const target = { id: row.id, type: "User" as const, name: displayName };
      if (changed.length > 0) {
        await tx
          .update(users)
          .set({
            displayName,
            userPrincipalName: next.userName,
            externalId: next.externalId,
            givenName: next.givenName,
            familyName: next.familyName,
            mail: next.email,
            jobTitle: next.title,
            department: next.department,
            managerId: next.managerId,
            updatedAt: now,
          })
          .where(eq(users.id, row.id));
        await writeAudit(tx, now, {
          category: "UserManagement",
          activity: "Update user",
          operation: "scim.user.update",
          actor,
          target,
          details: { source: "SCIM", changed, userName: next.userName },
        });
      }
      let disabled = false;
      let enabled = false;
      const justification = `Provisioning: ${actor.displayName} set active to ${next.active}.`;
      if (current.active && !next.active) {
        const summary: AuditInput = {
          category: "UserManagement",
          activity: "Disable user",
          operation: "scim.user.disable",
          actor,
          target,
          justification,
          details: { source: "SCIM", userPrincipalName: next.userName },
        };
        await disableUserInTx(tx, now, actor, {
          target: { id: row.id, displayName, userPrincipalName: next.userName },
          justification,
          summary,
        });
        disabled = true;
      } else if (!current.active && next.active) {
        await tx.update(users).set({ accountEnabled: true, updatedAt: now }).where(eq(users.id, row.id));
        await writeAudit(tx, now, {
          category: "UserManagement",
          activity: "Enable user",
          operation: "scim.user.enable",
          actor,
          target,
          justification,
          details: { source: "SCIM", userPrincipalName: next.userName, accountEnabled: true },
        });
        enabled = true;
      }
      return { id: row.id, changed, disabled, enabled };
    },
    { conflict: () => userNameConflict(userName) },
  );
}

import { users } from "@/db/schema";
import { provisionedUserFields, type ProvisionedUser, type ProvisionedUserFields } from "@/lib/validation/provisioning";
import { writeAudit } from "../audit";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { assertProvisioningApp, assertUsersExist, userNameConflict, userNameTaken } from "../internal/provisioning";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

/** The display name a person gets when the identity provider sends none: given + family name, else userName. */
export const displayNameOf = (u: ProvisionedUser) =>
  u.displayName ?? ([u.givenName, u.familyName].filter(Boolean).join(" ") || u.userName);

/**
 * SCIM `POST /Users`: a provisioning application creates a person. No password (they sign in with the
 * identity provider, OIDC links them by their verified email); `active` is the account's enabled state.
 * userName is unique case-insensitively (Conflict → SCIM 409 uniqueness). Audited "Add user" with the
 * application as the actor, in the same transaction.
 */
export async function provisionUser(ctx: Ctx, actor: Actor, raw: ProvisionedUserFields): Promise<{ id: string }> {
  const input = parseInput(provisionedUserFields, raw);
  const meta: UseCaseMeta = { category: "UserManagement", activity: "Add user", operation: "scim.user.create" };
  return runUseCase(
    ctx,
    actor,
    meta,
    async (tx, now) => {
      await assertProvisioningApp(tx, actor, now);
      if (await userNameTaken(tx, input.userName, null)) throw userNameConflict(input.userName);
      if (input.managerId) await assertUsersExist(tx, [input.managerId], "manager");
      const displayName = displayNameOf(input);
      const [row] = await tx
        .insert(users)
        .values({
          displayName,
          userPrincipalName: input.userName,
          externalId: input.externalId,
          givenName: input.givenName,
          familyName: input.familyName,
          mail: input.email,
          jobTitle: input.title,
          department: input.department,
          managerId: input.managerId,
          accountEnabled: input.active,
          provisionedBy: actor.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: users.id });
      if (!row) throw new PimError("Conflict", "The user could not be created.");
      await writeAudit(tx, now, {
        category: "UserManagement",
        activity: "Add user",
        operation: "scim.user.create",
        actor,
        target: { id: row.id, type: "User", name: displayName },
        details: { source: "SCIM", userName: input.userName, externalId: input.externalId, active: input.active },
      });
      return row;
    },
    { conflict: () => userNameConflict(input.userName) },
  );
}

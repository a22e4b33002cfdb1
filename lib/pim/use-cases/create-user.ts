import { sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { writeAudit } from "../audit";
import { hasPermissionNow } from "../authz";
import type { Actor, Ctx } from "../context";
import { USER_CREATE_PERMISSION } from "../directory/builtin-roles";
import { forbidden, PimError } from "../errors";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import { createUserInput, type CreateUserInput } from "@/lib/validation/create-user";

export type CreatedUser = { id: string; displayName: string; userPrincipalName: string };

/** The password hasher is passed in so the core does not depend on the auth adapter. */
export type CreateUserDeps = { hashPassword: (plain: string) => Promise<string> };

const uniqueUpnMessage = (upn: string) => `A user with the user principal name ${upn} already exists.`;

/**
 * Creates a directory user ("+ New user"). Allowed only while the actor holds, at this moment, a role
 * granting microsoft.directory/users/create (User Administrator, Global Administrator): the seed's
 * demo of just-in-time privilege. The check reads the database in the same transaction as the insert
 * (a deactivation committed before it is seen). The UPN is unique case-insensitively; audited "Add user".
 */
export async function createUser(
  ctx: Ctx,
  actor: Actor,
  raw: CreateUserInput,
  deps: CreateUserDeps,
): Promise<CreatedUser> {
  const input = parseInput(createUserInput, raw);
  const refuse = () =>
    forbidden(
      "Creating users needs an active User Administrator or Global Administrator role. Activate it in My roles, then try again.",
    );
  const taken = () =>
    new PimError("Conflict", uniqueUpnMessage(input.userPrincipalName), {
      fieldErrors: { userPrincipalName: ["This user principal name is taken."] },
    });
  const meta: UseCaseMeta = { category: "UserManagement", activity: "Add user", operation: "user.create" };
  return runUseCase<CreatedUser, string>(
    ctx,
    actor,
    meta,
    async (tx, now, passwordHash) => {
      const allowed = await hasPermissionNow({ db: tx, now: () => now }, actor, { permission: USER_CREATE_PERMISSION });
      if (!allowed) throw refuse();
      const clash = await tx
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.userPrincipalName}) = lower(${input.userPrincipalName})`)
        .limit(1);
      if (clash.length > 0) throw taken();
      const [row] = await tx
        .insert(users)
        .values({
          displayName: input.displayName,
          userPrincipalName: input.userPrincipalName,
          mail: input.mail ?? null,
          jobTitle: input.jobTitle || null,
          department: input.department || null,
          passwordHash,
          accountEnabled: input.accountEnabled,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: users.id, displayName: users.displayName, userPrincipalName: users.userPrincipalName });
      if (!row) throw new PimError("Conflict", "The user could not be created.");
      await writeAudit(tx, now, {
        category: "UserManagement",
        activity: "Add user",
        operation: "user.create",
        actor,
        target: { id: row.id, type: "User", name: row.displayName },
        details: { userPrincipalName: row.userPrincipalName, accountEnabled: input.accountEnabled },
      });
      return row;
    },
    {
      // A cheap check first, so nobody without the right can make the server run argon2 at will; the
      // transaction checks again (the role may end in between). Hash outside the transaction: argon2 is
      // slow on purpose and must not hold the audit chain lock.
      prepare: async (now) => {
        if (!(await hasPermissionNow({ db: ctx.db, now: () => now }, actor, { permission: USER_CREATE_PERMISSION })))
          throw refuse();
        return deps.hashPassword(input.password);
      },
      // Two concurrent creations of the same UPN: the unique index decides, the loser gets the same answer.
      conflict: taken,
    },
  );
}

import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { scimTokens, servicePrincipals, users } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Actor } from "../context";
import { PimError } from "../errors";

/**
 * SCIM changes are made by a provisioning application: a service principal that holds a live SCIM token
 * (not revoked, not expired) and is enabled. Checked on database state inside the change's transaction,
 * so a token revoked a moment ago stops the next change. Throws Forbidden otherwise.
 */
export async function assertProvisioningApp(tx: Db, actor: Actor, now: Date): Promise<void> {
  const refuse = () => new PimError("Forbidden", "Only a provisioning application with a live SCIM token may do this.");
  if (actor.type !== "ServicePrincipal") throw refuse();
  const [row] = await tx
    .select({ id: scimTokens.id })
    .from(scimTokens)
    .innerJoin(servicePrincipals, eq(servicePrincipals.id, scimTokens.servicePrincipalId))
    .where(
      and(
        eq(scimTokens.servicePrincipalId, actor.id),
        eq(servicePrincipals.accountEnabled, true),
        isNull(scimTokens.revokedAt),
        or(isNull(scimTokens.expiresAt), gt(scimTokens.expiresAt, now)),
      ),
    )
    .limit(1);
  if (!row) throw refuse();
}

/** Users visible to provisioning: every person except those a SCIM DELETE deprovisioned. */
export const visibleUser = isNull(users.deprovisionedAt);

/** Throws unless every id is a user visible to provisioning (SCIM `members[].value`, `manager.value`). */
export async function assertUsersExist(tx: Db, ids: readonly string[], what: string): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const bad = unique.filter((id) => !UUID.test(id));
  if (bad.length) throw new PimError("ValidationFailed", `${what}: ${bad[0]} is not a user id.`);
  const found = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, unique), visibleUser));
  if (found.length !== unique.length) {
    const have = new Set(found.map((f) => f.id));
    throw new PimError("ValidationFailed", `${what}: no user with id ${unique.find((id) => !have.has(id))}.`);
  }
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Case-insensitive userName clash with another person (the UPN's unique index decides races). */
export async function userNameTaken(tx: Db, userName: string, exceptId: string | null): Promise<boolean> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.userPrincipalName}) = lower(${userName})`)
    .limit(2);
  return rows.some((r) => r.id !== exceptId);
}

export const userNameConflict = (userName: string) =>
  new PimError("Conflict", `A user with the userName ${userName} already exists.`);

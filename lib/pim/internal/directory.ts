import { eq } from "drizzle-orm";
import { administrativeUnits, groups, roleDefinitions, servicePrincipals, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { PimError } from "../errors";

export type PrincipalType = "User" | "Group" | "ServicePrincipal";
export type PrincipalInfo = { id: string; type: PrincipalType; name: string; enabled: boolean; assignable: boolean };
/** `groupId`: set for a group's access definition (PIM for Groups), null for a directory role. */
export type RoleInfo = {
  id: string;
  name: string;
  enabled: boolean;
  groupId?: string | null;
  /** "member" or "owner" for a group's access definition; null for a directory role. */
  accessId?: string | null;
};

/** The role, or NotFound. */
export async function loadRole(tx: Db, id: string): Promise<RoleInfo> {
  const [r] = await tx
    .select({
      id: roleDefinitions.id,
      name: roleDefinitions.displayName,
      enabled: roleDefinitions.isEnabled,
      groupId: roleDefinitions.groupId,
      accessId: roleDefinitions.accessId,
    })
    .from(roleDefinitions)
    .where(eq(roleDefinitions.id, id))
    .limit(1);
  if (!r) throw new PimError("NotFound", "The role was not found.");
  return r;
}

/** The principal of the given type, or NotFound (a principal id is polymorphic: the type says which table). */
export async function loadPrincipal(tx: Db, type: PrincipalType, id: string): Promise<PrincipalInfo> {
  if (type === "User") {
    const [u] = await tx
      .select({ name: users.displayName, enabled: users.accountEnabled })
      .from(users)
      .where(eq(users.id, id))
      .limit(1);
    if (u) return { id, type, name: u.name, enabled: u.enabled, assignable: true };
  } else if (type === "Group") {
    const [g] = await tx
      .select({ name: groups.displayName, assignable: groups.isAssignableToRole })
      .from(groups)
      .where(eq(groups.id, id))
      .limit(1);
    if (g) return { id, type, name: g.name, enabled: true, assignable: g.assignable };
  } else {
    const [s] = await tx
      .select({ name: servicePrincipals.displayName, enabled: servicePrincipals.accountEnabled })
      .from(servicePrincipals)
      .where(eq(servicePrincipals.id, id))
      .limit(1);
    if (s) return { id, type, name: s.name, enabled: s.enabled, assignable: true };
  }
  const word = type === "ServicePrincipal" ? "service principal" : type.toLowerCase();
  throw new PimError("NotFound", `The ${word} was not found.`);
}

const AU = /^\/administrativeUnits\/([0-9a-f-]{36})$/i;

/** "Directory" or the administrative unit's name; NotFound for an unknown scope. */
export async function resolveScope(tx: Db, scopeId: string): Promise<string> {
  if (scopeId === "/") return "Directory";
  const m = AU.exec(scopeId);
  if (m?.[1]) {
    const [a] = await tx
      .select({ name: administrativeUnits.displayName })
      .from(administrativeUnits)
      .where(eq(administrativeUnits.id, m[1]))
      .limit(1);
    if (a) return a.name;
  }
  throw new PimError("NotFound", `The scope ${scopeId} was not found.`);
}

/** Is `scopeId` the same as, or inside, `parentScopeId`? (A directory-wide grant covers every unit.) */
export const scopeCovers = (parentScopeId: string, scopeId: string) =>
  parentScopeId === "/" || parentScopeId === scopeId;

/**
 * The user's enabled flag, read with FOR SHARE: an activation holds it to commit, so disabling the person
 * (which takes the row FOR UPDATE first) either waits and then ends this activation, or goes first and
 * this activation sees the account disabled. Many activations may hold it at once.
 */
export async function userEnabledLocked(tx: Db, id: string): Promise<boolean> {
  const [u] = await tx.select({ enabled: users.accountEnabled }).from(users).where(eq(users.id, id)).for("share");
  return u?.enabled ?? false;
}

import { and, asc, eq, ilike, inArray, or } from "drizzle-orm";
import { administrativeUnits, groups, servicePrincipals, users } from "@/db/schema";
import type { Ctx } from "../context";
import { likePattern } from "./list-users";

export type PrincipalKind = "User" | "Group" | "ServicePrincipal";

export type PrincipalOption = {
  id: string;
  type: PrincipalKind;
  displayName: string;
  /** UPN for users, "Group" / app id for the others: the second line of a picker row. */
  detail: string;
};

/**
 * Principals whose name (or UPN / mail) contains the text, for the "Select members" picker.
 * Only enabled users and service principals and role-assignable groups can be assigned, so only those are offered.
 */
export async function searchPrincipals(
  ctx: Ctx,
  input: { query: string; types: PrincipalKind[]; limit?: number },
): Promise<PrincipalOption[]> {
  const limit = Math.min(Math.max(input.limit ?? 10, 1), 50);
  const q = input.query.trim();
  const pat = likePattern(q);
  const out: PrincipalOption[] = [];
  const want = new Set(input.types);

  const [us, gs, sps] = await Promise.all([
    want.has("User")
      ? ctx.db
          .select({ id: users.id, displayName: users.displayName, upn: users.userPrincipalName })
          .from(users)
          .where(
            and(
              eq(users.accountEnabled, true),
              q
                ? or(ilike(users.displayName, pat), ilike(users.userPrincipalName, pat), ilike(users.mail, pat))
                : undefined,
            ),
          )
          .orderBy(asc(users.displayName), asc(users.id))
          .limit(limit)
      : [],
    want.has("Group")
      ? ctx.db
          .select({ id: groups.id, displayName: groups.displayName, description: groups.description })
          .from(groups)
          .where(and(eq(groups.isAssignableToRole, true), q ? ilike(groups.displayName, pat) : undefined))
          .orderBy(asc(groups.displayName), asc(groups.id))
          .limit(limit)
      : [],
    want.has("ServicePrincipal")
      ? ctx.db
          .select({
            id: servicePrincipals.id,
            displayName: servicePrincipals.displayName,
            appId: servicePrincipals.appId,
          })
          .from(servicePrincipals)
          .where(
            and(eq(servicePrincipals.accountEnabled, true), q ? ilike(servicePrincipals.displayName, pat) : undefined),
          )
          .orderBy(asc(servicePrincipals.displayName), asc(servicePrincipals.id))
          .limit(limit)
      : [],
  ]);
  for (const u of us) out.push({ id: u.id, type: "User", displayName: u.displayName, detail: u.upn });
  for (const g of gs)
    out.push({ id: g.id, type: "Group", displayName: g.displayName, detail: g.description ?? "Role-assignable group" });
  for (const s of sps)
    out.push({ id: s.id, type: "ServicePrincipal", displayName: s.displayName, detail: `App ID ${s.appId}` });
  return out.sort((a, b) => a.displayName.localeCompare(b.displayName)).slice(0, limit);
}

/** Names for a set of principal ids (to show picked members and stage approvers by name). */
export async function principalNames(ctx: Ctx, ids: string[]): Promise<Map<string, PrincipalOption>> {
  const map = new Map<string, PrincipalOption>();
  if (ids.length === 0) return map;
  const [us, gs, sps] = await Promise.all([
    ctx.db
      .select({ id: users.id, n: users.displayName, d: users.userPrincipalName })
      .from(users)
      .where(inArray(users.id, ids)),
    ctx.db.select({ id: groups.id, n: groups.displayName }).from(groups).where(inArray(groups.id, ids)),
    ctx.db
      .select({ id: servicePrincipals.id, n: servicePrincipals.displayName })
      .from(servicePrincipals)
      .where(inArray(servicePrincipals.id, ids)),
  ]);
  for (const u of us) map.set(u.id, { id: u.id, type: "User", displayName: u.n, detail: u.d });
  for (const g of gs) map.set(g.id, { id: g.id, type: "Group", displayName: g.n, detail: "Group" });
  for (const s of sps)
    map.set(s.id, { id: s.id, type: "ServicePrincipal", displayName: s.n, detail: "Service principal" });
  return map;
}

export type ScopeOption = { directoryScopeId: string; label: string };

/** "Directory" and every administrative unit, for the scope selector. */
export async function listScopes(ctx: Ctx): Promise<ScopeOption[]> {
  const aus = await ctx.db
    .select({ id: administrativeUnits.id, displayName: administrativeUnits.displayName })
    .from(administrativeUnits)
    .orderBy(asc(administrativeUnits.displayName));
  return [
    { directoryScopeId: "/", label: "Directory" },
    ...aus.map((a) => ({
      directoryScopeId: `/administrativeUnits/${a.id}`,
      label: `${a.displayName} (Administrative unit)`,
    })),
  ];
}

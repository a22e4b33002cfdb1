"use server";

import { z } from "zod";
import { storableString } from "@/lib/validation/text";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { isPimAdmin } from "@/lib/pim/authz";
import { searchPrincipals, type PrincipalKind, type PrincipalOption } from "@/lib/pim/queries/search-principals";
import { getCtx } from "@/lib/server-db";

const input = z.object({
  query: storableString().max(200),
  types: z
    .array(z.enum(["User", "Group", "ServicePrincipal"]))
    .min(1)
    .max(3),
});

/**
 * The member / approver picker's search. Only people who manage PIM pick principals, so only they may
 * search here (the directory list itself lives on the Users page). Refusals answer an empty list.
 */
export async function searchPrincipalsAction(query: string, types: PrincipalKind[]): Promise<PrincipalOption[]> {
  const parsed = input.safeParse({ query, types });
  if (!parsed.success) return [];
  try {
    const user = await requireActionUser();
    const ctx = await getCtx();
    if (!(await isPimAdmin(ctx, actorFromUser(user)))) return [];
    return await searchPrincipals(ctx, { query: parsed.data.query, types: parsed.data.types, limit: 10 });
  } catch {
    return [];
  }
}

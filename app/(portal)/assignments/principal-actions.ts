"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { storableString } from "@/lib/validation/text";
import { isPimAdmin } from "@/lib/pim/authz";
import { ownsAnyGroup } from "@/lib/pim/groups/group-ownership";
import { searchPrincipals, type PrincipalKind, type PrincipalOption } from "@/lib/pim/queries/search-principals";

const search = defineAction({
  input: z.object({
    query: storableString().max(200),
    types: z
      .array(z.enum(["User", "Group", "ServicePrincipal"]))
      .min(1)
      .max(3),
  }),
  run: async (ctx, actor, input): Promise<PrincipalOption[]> =>
    (await isPimAdmin(ctx, actor)) || (await ownsAnyGroup(ctx.db, actor.id, ctx.now()))
      ? searchPrincipals(ctx, { query: input.query, types: input.types, limit: 10 })
      : [],
  revalidate: [],
});

/**
 * The member / approver picker's search. Only people who manage PIM (GA/PRA, or a group's owner for its
 * memberships) pick principals, so only they may search here (the directory list itself lives on the Users page). Refusals answer an empty list.
 */
export async function searchPrincipalsAction(query: string, types: PrincipalKind[]): Promise<PrincipalOption[]> {
  const r = await search({ query, types });
  return r.ok ? r.data : [];
}

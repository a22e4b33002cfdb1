import { scimTokens, servicePrincipals } from "@/db/schema";
import { createScimTokenInput, type CreateScimTokenInput } from "@/lib/validation/provisioning";
import { writeAudit } from "../audit";
import { assertPimAdmin } from "../authz";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";
import { hashSecret, hintOf, newSecret } from "./create-api-token";

export type CreatedScimToken = {
  id: string;
  token: string;
  hint: string;
  name: string;
  servicePrincipalId: string;
  expiresAt: Date | null;
};

/**
 * "+ New token" on the SCIM page: a GA or PRA holder (now) connects an identity provider. A provisioning
 * application (service principal, named after the connection) is created with its bearer token: opaque,
 * random, stored only as its sha256, shown once. Every SCIM change made with it is audited with that
 * application as the actor. `expiresInDays: 0` = no expiry (identity providers keep the token for years;
 * revoke it on the SCIM page).
 */
export async function createScimToken(ctx: Ctx, actor: Actor, raw: CreateScimTokenInput): Promise<CreatedScimToken> {
  const input = parseInput(createScimTokenInput, raw);
  const meta: UseCaseMeta = {
    category: "ApplicationManagement",
    activity: "Create SCIM token",
    operation: "scim.token.create",
  };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    await assertPimAdmin(tx, actor, now, "connect an identity provider");
    const [sp] = await tx
      .insert(servicePrincipals)
      .values({ displayName: input.name, description: "SCIM provisioning", createdAt: now })
      .returning({ id: servicePrincipals.id });
    if (!sp) throw new PimError("Conflict", "The provisioning application could not be created.");
    const token = newSecret("scim_");
    const expiresAt = input.expiresInDays > 0 ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
    const [row] = await tx
      .insert(scimTokens)
      .values({
        servicePrincipalId: sp.id,
        name: input.name,
        tokenHash: hashSecret(token),
        hint: hintOf(token),
        createdBy: actor.id,
        createdAt: now,
        expiresAt,
      })
      .returning({ id: scimTokens.id });
    if (!row) throw new PimError("Conflict", "The token could not be created.");
    await writeAudit(tx, now, {
      category: "ApplicationManagement",
      activity: "Create SCIM token",
      operation: "scim.token.create",
      actor,
      target: { id: sp.id, type: "ServicePrincipal", name: input.name },
      details: { tokenId: row.id, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { id: row.id, token, hint: hintOf(token), name: input.name, servicePrincipalId: sp.id, expiresAt };
  });
}

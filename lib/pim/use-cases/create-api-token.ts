import { createHash, randomBytes } from "node:crypto";
import { apiTokens } from "@/db/schema";
import { createApiTokenInput, type CreateApiTokenInput } from "@/lib/validation/api-tokens";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { loadPrincipal } from "../internal/directory";
import { auditChange, parseInput, runUseCase, type UseCaseMeta } from "../internal/tx";

/** sha256 (hex) of a token or client secret: what is stored and looked up (the plain value is shown once). */
export const hashSecret = (plain: string) => createHash("sha256").update(plain, "utf8").digest("hex");

/** A new opaque secret with a recognisable prefix: 32 random bytes, base64url. */
export const newSecret = (prefix: string) => `${prefix}${randomBytes(32).toString("base64url")}`;

/** The last characters, shown in lists so a person can tell tokens apart. */
export const hintOf = (plain: string) => `…${plain.slice(-4)}`;

export type CreatedToken = {
  id: string;
  token: string;
  hint: string;
  name: string;
  scopes: string[];
  expiresAt: Date;
  mfaAt: Date | null;
};

/**
 * A personal API token for the signed-in person (Tokens page): opaque, random, stored only as its sha256,
 * shown once. It carries Graph permission names and the actor's last MFA time (`mfa_at`, Graph's MFA claim):
 * a self-activation that requires MFA succeeds with this token only while that MFA is recent (the same
 * window as a session). Audited in the same transaction.
 */
export async function createApiToken(ctx: Ctx, actor: Actor, raw: CreateApiTokenInput): Promise<CreatedToken> {
  const input = parseInput(createApiTokenInput, raw);
  const meta: UseCaseMeta = { operation: "apiToken.create", activity: "Create personal API token" };
  return runUseCase(ctx, actor, meta, async (tx, now) => {
    if (actor.type !== "User") throw new PimError("Forbidden", "Only people create personal API tokens.");
    const me = await loadPrincipal(tx, "User", actor.id);
    if (!me.enabled) throw new PimError("Forbidden", "Your account is disabled.");
    meta.target = { id: me.id, type: "User", name: me.name };
    const token = newSecret("pim_");
    const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
    const mfaAt = actor.mfaAt && actor.mfaAt.getTime() <= now.getTime() + 60_000 ? actor.mfaAt : null;
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: me.id,
        name: input.name,
        tokenHash: hashSecret(token),
        hint: hintOf(token),
        scopes: input.scopes,
        mfaAt,
        expiresAt,
        createdAt: now,
      })
      .returning({ id: apiTokens.id });
    if (!row) throw new PimError("Conflict", "The token could not be created.");
    await auditChange(tx, now, {
      activity: "Create personal API token",
      operation: "apiToken.create",
      actor,
      target: meta.target,
      changed: [row.id],
      details: {
        tokenId: row.id,
        name: input.name,
        scopes: input.scopes,
        expiresAt: expiresAt.toISOString(),
        mfa: mfaAt !== null,
      },
    });
    return { id: row.id, token, hint: hintOf(token), name: input.name, scopes: input.scopes, expiresAt, mfaAt };
  });
}

/**
 * Token authentication for the API: `Authorization: Bearer <token>`. A token is opaque and random; only its
 * sha256 is stored (`api_tokens.token_hash`, unique index), so one indexed lookup finds it. Revoked or expired
 * tokens, and tokens of disabled people or service principals, are refused (401). No session is read.
 * A personal token carries the permissions chosen when it was made; an application token carries the service
 * principal's granted application permissions at the moment of the call (revoking one takes effect at once).
 */
import { clientIpFrom } from "@/lib/http/client-ip";
import { and, eq, isNull, lt, or, sql, type Subquery } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/pg-core";
import type { Db } from "@/db/types";
import { apiTokens, servicePrincipalPermissions as spp, servicePrincipals, users } from "@/db/schema";
import type { Actor, Ctx } from "@/lib/pim/context";
import { hashSecret } from "@/lib/pim/use-cases/create-api-token";
import { forbidden, unauthenticated } from "./errors";
import { NEEDS, type Need } from "./scopes";

export type ApiCaller = {
  tokenId: string;
  kind: "user" | "app";
  actor: Actor;
  scopes: ReadonlySet<string>;
};

const LAST_USED_EVERY_MS = 5 * 60_000;

/** What authentication reads of a request: its headers (a fetch `Request`, or the decision server's node request). */
export type RequestHeaders = { headers: Pick<Headers, "get"> };

export function bearerToken(req: RequestHeaders): string | null {
  const h = req.headers.get("authorization");
  if (!h) return null;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,512})\s*$/i.exec(h);
  return m?.[1] ?? null;
}

/** What the token lookup reads of a token, its owner and (for an application) its granted permissions. */
export const tokenLookupFields = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  spId: apiTokens.servicePrincipalId,
  scopes: apiTokens.scopes,
  mfaAt: apiTokens.mfaAt,
  expiresAt: apiTokens.expiresAt,
  revokedAt: apiTokens.revokedAt,
  lastUsedAt: apiTokens.lastUsedAt,
  userName: users.displayName,
  userEnabled: users.accountEnabled,
  spName: servicePrincipals.displayName,
  spEnabled: servicePrincipals.accountEnabled,
  // an application's permissions are its grants now, not a copy taken when the token was issued
  spPermissions: sql<
    string[] | null
  >`(select array_agg(${spp.permission}) from ${spp} where ${spp.servicePrincipalId} = ${apiTokens.servicePrincipalId})`,
};

/** The token lookup (one indexed query on `api_tokens_hash_idx`), the hash a placeholder named "hash". */
export function tokenLookupSelect(db: Db) {
  return db
    .select(tokenLookupFields)
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(servicePrincipals, eq(servicePrincipals.id, apiTokens.servicePrincipalId))
    .where(eq(apiTokens.tokenHash, sql.placeholder("hash")))
    .limit(1);
}

/**
 * The token lookup with a subquery joined laterally (`left join lateral (…) on true`), its `fields` beside the
 * token's: one row per row of the subquery, or one row with those fields null when it has none; no row when no
 * token has the hash (unique). A role question is asked this way, in the token's statement (both servers).
 */
export function tokenLookupJoining<F extends SelectedFields>(db: Db, lateral: Subquery, fields: F) {
  return db
    .select({ ...tokenLookupFields, ...fields })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(servicePrincipals, eq(servicePrincipals.id, apiTokens.servicePrincipalId))
    .leftJoinLateral(lateral, sql`true`)
    .where(eq(apiTokens.tokenHash, sql.placeholder("hash")));
}

function buildTokenLookup(db: Db) {
  return tokenLookupSelect(db).prepare("pim_api_token_lookup");
}
const tokenLookups = new WeakMap<Db, ReturnType<typeof buildTokenLookup>>();

/** A token row as the lookup returns it. */
export type TokenRow = {
  id: string;
  userId: string | null;
  spId: string | null;
  scopes: string[];
  mfaAt: Date | null;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  userName: string | null;
  userEnabled: boolean | null;
  spName: string | null;
  spEnabled: boolean | null;
  spPermissions: string[] | null;
};

export async function authenticate(ctx: Ctx, req: RequestHeaders): Promise<ApiCaller> {
  const token = bearerToken(req);
  if (!token) throw unauthenticated("Access token is empty. Send Authorization: Bearer <token>.");
  let lookup = tokenLookups.get(ctx.db);
  if (!lookup) {
    lookup = buildTokenLookup(ctx.db);
    tokenLookups.set(ctx.db, lookup);
  }
  const [row] = await lookup.execute({ hash: hashSecret(token) });
  return callerOfToken(ctx, row, req);
}

/**
 * The caller a looked-up token stands for (401 when there is none, or it is revoked, expired, or its owner
 * is disabled); records the token's use at most once every few minutes. Shared by `authenticate` and the
 * decision server, which looks the token up in the same statement as the question.
 */
export async function callerOfToken(ctx: Ctx, row: TokenRow | undefined, req: RequestHeaders): Promise<ApiCaller> {
  const now = ctx.now();
  if (!row) throw unauthenticated();
  if (row.revokedAt) throw unauthenticated("The access token has been revoked.");
  if (row.expiresAt <= now) throw unauthenticated("Lifetime validation failed, the token is expired.");
  const ip = clientIpFrom(req.headers);
  const ua = req.headers.get("user-agent");
  let actor: Actor;
  let kind: ApiCaller["kind"];
  if (row.userId) {
    if (!row.userEnabled) throw unauthenticated("The account of this token is disabled.");
    actor = {
      id: row.userId,
      type: "User",
      displayName: row.userName ?? "",
      mfaAt: row.mfaAt,
      clientIp: ip,
      userAgent: ua,
    };
    kind = "user";
  } else if (row.spId) {
    if (!row.spEnabled) throw unauthenticated("The service principal of this token is disabled.");
    actor = {
      id: row.spId,
      type: "ServicePrincipal",
      displayName: row.spName ?? "",
      mfaAt: null,
      clientIp: ip,
      userAgent: ua,
    };
    kind = "app";
  } else {
    throw unauthenticated();
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    // at most one write per token every few minutes: the hot path stays read-only
    await ctx.db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(apiTokens.id, row.id),
          or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now.getTime() - LAST_USED_EVERY_MS))),
        ),
      );
  }
  const scopes = kind === "app" ? (row.spPermissions ?? []) : row.scopes;
  return { tokenId: row.id, kind, actor, scopes: new Set(scopes) };
}

/** 403 unless the token carries one of the permissions `need` accepts. */
export function requireScope(caller: ApiCaller, need: Need): void {
  const accepted = NEEDS[need] as readonly string[];
  if (!accepted.some((s) => caller.scopes.has(s))) {
    throw forbidden(
      `Either the token lacks the required permission or it is not granted. This call needs one of: ${accepted.join(", ")}.`,
    );
  }
}

/**
 * `POST /oauth2/v2.0/token` — OAuth 2.0 client credentials for service principals (RFC 6749 §4.4, shaped like
 * Microsoft identity platform): `client_id` = the service principal's appId, `client_secret` = a secret made by
 * `createServicePrincipalSecret` (stored as sha256, compared in constant time), `scope` = `<resource>/.default`.
 * The access token is opaque and random, lives one hour, is stored hashed in `api_tokens`; what it may do is
 * the service principal's granted application permissions, read at every call (lib/api/auth.ts). Errors use OAuth's JSON (`error`, `error_description`).
 */
import { clientIpFrom } from "@/lib/http/client-ip";
import { readTextCapped } from "./body";
import { randomUUID, timingSafeEqual } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { apiTokens, servicePrincipalPermissions, servicePrincipalSecrets, servicePrincipals } from "@/db/schema";
import { hashSecret, hintOf, newSecret } from "@/lib/pim/use-cases/create-api-token";
import { apiCtx } from "./handler";
import { checkRateLimit } from "./rate-limit";
import { firstUnstorable } from "@/lib/validation/text";

export const ACCESS_TOKEN_SECONDS = 3600;

function oauthError(status: number, error: string, description: string, traceId: string, now: Date): Response {
  return new Response(
    JSON.stringify({
      error,
      error_description: description,
      error_codes: [],
      timestamp: now.toISOString(),
      trace_id: traceId,
      correlation_id: traceId,
    }),
    { status, headers: { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" } },
  );
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(new TextEncoder().encode(a), new TextEncoder().encode(b));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function handleTokenRequest(req: Request): Promise<Response> {
  const traceId = randomUUID();
  const ctx = await apiCtx();
  const now = ctx.now();
  try {
    if (!(req.headers.get("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      return oauthError(
        400,
        "invalid_request",
        "The request body must be application/x-www-form-urlencoded.",
        traceId,
        now,
      );
    }
    const text = await readTextCapped(req, 8192);
    if (text === null) return oauthError(400, "invalid_request", "The request body is too large.", traceId, now);
    const form = new URLSearchParams(text);
    let clientId = form.get("client_id");
    let clientSecret = form.get("client_secret");
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.get("authorization") ?? "");
    if (basic?.[1]) {
      const [id, secret] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
      try {
        clientId = decodeURIComponent(id ?? "");
        clientSecret = decodeURIComponent(secret ?? "");
      } catch {
        return oauthError(
          401,
          "invalid_client",
          "Client authentication failed: the Basic credentials are not well-formed.",
          traceId,
          now,
        );
      }
    }
    const unstorable = firstUnstorable([...form, ["client_id", clientId ?? ""], ["client_secret", clientSecret ?? ""]]);
    if (unstorable) {
      const why = `Invalid value for '${unstorable.key}': ${unstorable.reason}`;
      return oauthError(400, "invalid_request", why, traceId, now);
    }
    if (form.get("grant_type") !== "client_credentials") {
      return oauthError(
        400,
        "unsupported_grant_type",
        "Only grant_type=client_credentials is supported.",
        traceId,
        now,
      );
    }
    const scope = form.get("scope") ?? "";
    if (!/\/\.default$/.test(scope.trim())) {
      return oauthError(
        400,
        "invalid_scope",
        "The scope must be '<resource>/.default' (e.g. https://graph.microsoft.com/.default); permissions come from the client secret.",
        traceId,
        now,
      );
    }
    if (!clientId || !clientSecret || !GUID.test(clientId) || clientSecret.length > 200) {
      return oauthError(
        401,
        "invalid_client",
        "Client authentication failed: client_id and client_secret are required.",
        traceId,
        now,
      );
    }
    // Per client *and* source address: the client id is public, so a limit on it alone would let anyone
    // lock an application out of its tokens by sending wrong secrets.
    const source = clientIpFrom(req.headers) ?? "-";
    await checkRateLimit(ctx.db, `oauth:${clientId.toLowerCase()}:${source}`, 60, now.getTime(), "this client");
    const hash = hashSecret(clientSecret);
    const candidates = await ctx.db
      .select({
        spId: servicePrincipals.id,
        enabled: servicePrincipals.accountEnabled,
        secretHash: servicePrincipalSecrets.secretHash,
      })
      .from(servicePrincipalSecrets)
      .innerJoin(servicePrincipals, eq(servicePrincipals.id, servicePrincipalSecrets.servicePrincipalId))
      .where(
        and(
          eq(servicePrincipals.appId, clientId.toLowerCase()),
          isNull(servicePrincipalSecrets.revokedAt),
          gt(servicePrincipalSecrets.expiresAt, now),
        ),
      );
    const hit = candidates.find((c) => same(c.secretHash, hash));
    if (!hit || !hit.enabled) {
      return oauthError(
        401,
        "invalid_client",
        "Invalid client secret provided, or the secret has expired or been revoked.",
        traceId,
        now,
      );
    }
    const granted = (
      await ctx.db
        .select({ p: servicePrincipalPermissions.permission })
        .from(servicePrincipalPermissions)
        .where(eq(servicePrincipalPermissions.servicePrincipalId, hit.spId))
    )
      .map((r) => r.p)
      .sort();
    const token = newSecret("pat_");
    await ctx.db.insert(apiTokens).values({
      servicePrincipalId: hit.spId,
      name: "client_credentials",
      tokenHash: hashSecret(token),
      hint: hintOf(token),
      scopes: granted,
      expiresAt: new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000),
      createdAt: now,
    });
    return new Response(
      JSON.stringify({
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_SECONDS,
        ext_expires_in: ACCESS_TOKEN_SECONDS,
        access_token: token,
        scope: granted.join(" "),
      }),
      {
        status: 200,
        headers: { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" },
      },
    );
  } catch (err) {
    if (err && typeof err === "object" && "status" in err && (err as { status: number }).status === 429) {
      return oauthError(
        429,
        "temporarily_unavailable",
        "Too many token requests for this client; retry in a minute.",
        traceId,
        now,
      );
    }
    console.error(`oauth token ${traceId} failed`, err);
    return oauthError(500, "server_error", "The token could not be issued.", traceId, now);
  }
}

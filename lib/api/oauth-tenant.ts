/**
 * The tenant-qualified authority MSAL and `@azure/identity` expect (`https://<portal>/<tenant>`):
 *   POST /{tenant}/oauth2/v2.0/token                         client credentials (the same grant as /oauth2/v2.0/token)
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration     OpenID discovery (MSAL reads token_endpoint, issuer, …)
 *   GET  /{tenant}/discovery/v2.0/keys                       the JWKS the discovery document names (empty: tokens are opaque)
 *   GET  /{tenant}/oauth2/v2.0/authorize                     named by discovery; answers that only client credentials exist
 *   GET  /common/discovery/instance                          instance discovery's answer for this host (for MSAL's
 *                                                            `cloudDiscoveryMetadata` option; MSAL itself asks login.microsoftonline.com)
 * `{tenant}` is the directory's tenant id or a domain of its users' sign-in names; anything else is AADSTS90002.
 */
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { directorySettings, users } from "@/db/schema";
import type { Ctx } from "@/lib/pim/context";
import { apiCtx } from "./handler";
import { handleTokenRequest } from "./oauth";
import { publicBase } from "./public-url";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** The tenant id when `segment` names this directory (its id, or a domain of a user's UPN), else null. */
export async function resolveTenant(ctx: Ctx, segment: string): Promise<string | null> {
  const [t] = await ctx.db
    .select({ id: directorySettings.tenantId })
    .from(directorySettings)
    .where(eq(directorySettings.id, 1));
  if (!t) return null;
  if (GUID.test(segment)) return segment.toLowerCase() === t.id.toLowerCase() ? t.id : null;
  if (!DOMAIN.test(segment)) return null;
  const [hit] = await ctx.db
    .select({ one: sql<number>`1` })
    .from(users)
    .where(sql`lower(split_part(${users.userPrincipalName}, '@', 2)) = ${segment.toLowerCase()}`)
    .limit(1);
  return hit ? t.id : null;
}

const noStore = { "content-type": "application/json", "cache-control": "no-store" };

function tenantNotFound(segment: string, now: Date): Response {
  const traceId = randomUUID();
  return new Response(
    JSON.stringify({
      error: "invalid_tenant",
      error_description: `AADSTS90002: Tenant '${segment.slice(0, 100)}' not found. Use this directory's tenant id or one of its domains.`,
      error_codes: [90002],
      timestamp: now.toISOString(),
      trace_id: traceId,
      correlation_id: traceId,
    }),
    { status: 400, headers: noStore },
  );
}

async function withTenant(segment: string, fn: (tenantId: string, ctx: Ctx) => Promise<Response>): Promise<Response> {
  const ctx = await apiCtx();
  const tenantId = await resolveTenant(ctx, segment);
  if (!tenantId) return tenantNotFound(segment, ctx.now());
  return fn(tenantId, ctx);
}

export function openIdConfiguration(base: string, tenantId: string) {
  const authority = `${base}/${tenantId}`;
  return {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    response_modes_supported: [],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: [],
    response_types_supported: [],
    scopes_supported: [],
    issuer: `${authority}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    grant_types_supported: ["client_credentials"],
    tenant_region_scope: null,
    cloud_instance_name: new URL(base).host,
  };
}

export const tokenForTenant = (req: Request, segment: string) => withTenant(segment, () => handleTokenRequest(req));

export const discoveryForTenant = (req: Request, segment: string) =>
  withTenant(segment, async (tenantId) =>
    Response.json(openIdConfiguration(publicBase(req), tenantId), {
      headers: { "cache-control": "public, max-age=3600" },
    }),
  );

export const keysForTenant = (_req: Request, segment: string) =>
  withTenant(segment, async () =>
    Response.json({ keys: [] }, { headers: { "cache-control": "public, max-age=3600" } }),
  );

export const authorizeForTenant = (_req: Request, segment: string) =>
  withTenant(segment, async (_t, ctx) => {
    const traceId = randomUUID();
    return new Response(
      JSON.stringify({
        error: "unsupported_response_type",
        error_description:
          "This authority issues tokens with the client credentials grant only (POST …/oauth2/v2.0/token). People sign in at the portal and create personal tokens on the Tokens page.",
        timestamp: ctx.now().toISOString(),
        trace_id: traceId,
        correlation_id: traceId,
      }),
      { status: 400, headers: noStore },
    );
  });

/** Instance discovery for this host: what login.microsoftonline.com answers for a trusted custom authority. */
export async function instanceDiscovery(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const base = publicBase(req);
  const host = new URL(base).host;
  const endpoint = url.searchParams.get("authorization_endpoint");
  let tenant = "common";
  if (endpoint) {
    let given: URL | null = null;
    try {
      given = new URL(endpoint);
    } catch {
      given = null;
    }
    if (!given || given.host.toLowerCase() !== host.toLowerCase())
      return new Response(
        JSON.stringify({
          error: "invalid_instance",
          error_description: "AADSTS50049: Unknown or invalid instance: this portal answers only for its own host.",
        }),
        { status: 400, headers: noStore },
      );
    tenant = given.pathname.split("/").filter(Boolean)[0] ?? "common";
  }
  return Response.json({
    tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

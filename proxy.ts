import { NextResponse, type NextRequest } from "next/server";
import { trustedProxyHops } from "@/lib/http/client-ip";
import { refuseActionBody } from "@/lib/http/action-body";
import { isApiPath, newNonce, securityHeaders, servedOverHttps } from "@/lib/http/security-headers";

/**
 * Runs before every page, route handler and server action:
 * - security headers on the response (CSP with a per-request nonce, Next.js's documented pattern: the policy
 *   also goes on the request, so Next puts the nonce on the scripts it renders; pages are dynamic anyway);
 * - trailing slashes (Next's own redirect is off, see next.config.ts): the Graph API and the OAuth authority
 *   answer `…/users/` as `…/users` (Graph does; a 308 would make scripts re-send a POST body and token), every
 *   other path keeps the usual 308 to the address without the slash;
 * - server-action POSTs with a malformed or oversized body answered 4xx (lib/http/action-body.ts);
 * - the requested path for server components (header x-pim-path), so `requireUser()` can send a signed-out
 *   visitor back where they were going.
 * Not an access check: every page, action and route handler authenticates on its own (CVE-2025-29927 is why).
 */
const API_LIKE = /^\/(graph\/|scim\/v2\/|oauth2\/|[^/]+\/oauth2\/|[^/]+\/v2\.0\/|[^/]+\/discovery\/)/;

export async function proxy(request: NextRequest) {
  const nonce = newNonce();
  const { pathname, search } = request.nextUrl;
  const api = isApiPath(pathname);
  const oidc = process.env.OIDC_ISSUER ? safeOrigin(process.env.OIDC_ISSUER) : null;
  const headers = securityHeaders(api ? "api" : "page", {
    nonce,
    dev: process.env.NODE_ENV === "development",
    formTargets: oidc ? [oidc] : [],
    https: servedOverHttps(request.nextUrl, request.headers, trustedProxyHops()),
  });
  const withHeaders = (response: NextResponse) => {
    for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
    return response;
  };
  if (pathname.length > 1 && pathname.endsWith("/")) {
    // API paths are served in place (the route handlers read the path without the slash). Not a rewrite: a
    // rewrite to nextUrl (host "localhost") is proxied as an external URL and answered 500.
    if (API_LIKE.test(pathname)) return withHeaders(NextResponse.next());
    // A plain URL: a clone of nextUrl keeps the trailing slash here (a redirect to itself, a loop).
    const target = new URL(request.url);
    target.pathname = pathname.replace(/\/+$/, "") || "/";
    return withHeaders(NextResponse.redirect(target, 308));
  }
  // Server actions: a malformed or oversized body gets a 4xx here instead of a 500 from Next.
  const refused = api ? null : await refuseActionBody(request);
  if (refused) {
    return new NextResponse(refused.message, {
      status: refused.status,
      headers: { ...headers, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
  if (api) return withHeaders(NextResponse.next());
  const forward = new Headers(request.headers);
  forward.set("x-pim-path", `${pathname}${search}`);
  forward.set("x-nonce", nonce);
  forward.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  return withHeaders(NextResponse.next({ request: { headers: forward } }));
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export const config = {
  // Everything but the build's static files (next.config.ts gives those the non-CSP headers).
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};

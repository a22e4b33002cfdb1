import { NextResponse, type NextRequest } from "next/server";

/**
 * Passes the requested path to server components (header x-pim-path) so `requireUser()` can send a
 * signed-out visitor back where they were going. Not an access check: every page, action and route
 * handler authenticates on its own (CVE-2025-29927 is why).
 *
 * Trailing slashes (Next's own redirect is off, see next.config.ts): the Graph API and the OAuth authority
 * answer `…/users/` as `…/users` (Graph does; a 308 would make scripts re-send a POST body and token),
 * every other path keeps the usual 308 to the address without the slash.
 */
const API_LIKE = /^\/(graph\/|oauth2\/|[^/]+\/oauth2\/|[^/]+\/v2\.0\/|[^/]+\/discovery\/)/;

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname.length > 1 && pathname.endsWith("/")) {
    // API paths are served in place (the route handlers read the path without the slash). Not a rewrite: a
    // rewrite to nextUrl (host "localhost") is proxied as an external URL and answered 500.
    if (API_LIKE.test(pathname)) return NextResponse.next();
    // A plain URL: a clone of nextUrl keeps the trailing slash here (a redirect to itself, a loop).
    const target = new URL(request.url);
    target.pathname = pathname.replace(/\/+$/, "") || "/";
    return NextResponse.redirect(target, 308);
  }
  if (pathname.startsWith("/api/")) return NextResponse.next();
  const headers = new Headers(request.headers);
  headers.set("x-pim-path", `${pathname}${search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};

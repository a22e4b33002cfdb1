import { NextResponse, type NextRequest } from "next/server";

/**
 * Passes the requested path to server components (header x-pim-path) so `requireUser()` can send a
 * signed-out visitor back where they were going. Not an access check: every page, action and route
 * handler authenticates on its own (CVE-2025-29927 is why).
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-pim-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};

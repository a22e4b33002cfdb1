/**
 * The security headers of every response (issue 12 finding 4). Framework-free, so proxy.ts and the tests
 * build them the same way.
 *
 * Pages get a strict Content-Security-Policy (scripts) with a fresh nonce per request (Next.js's documented pattern:
 * the proxy puts the policy on the request too, and Next adds the nonce to its own scripts; `strict-dynamic`
 * lets those scripts load the chunks they need). API answers are JSON, never a document: `default-src 'none'`.
 * Nobody may frame the portal (`frame-ancestors 'none'` and `X-Frame-Options: DENY` for old browsers).
 * HSTS only when the request really came over https: directly, or as told by a trusted reverse proxy
 * (`X-Forwarded-Proto`, believed only when TRUSTED_PROXY_HOPS > 0, like X-Forwarded-For).
 */
export type HeaderKind = "page" | "api";

export const HSTS_VALUE = "max-age=63072000; includeSubDomains";
export const PERMISSIONS_POLICY =
  "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), " +
  "midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()";

/** A nonce for one response: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export type CspOptions = {
  nonce: string;
  /** `next dev` needs eval for React's debugging aids; a production build never gets it. */
  dev?: boolean;
  /** Extra origins a form may post to (the OpenID Connect provider: Auth.js posts, then redirects there). */
  formTargets?: string[];
  https?: boolean;
};

export function pageCsp(o: CspOptions): string {
  const n = `'nonce-${o.nonce}'`;
  return [
    `default-src 'self'`,
    `script-src 'self' ${n} 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    // Styles may be inline (libraries such as the toaster insert <style> at run time): a style cannot run code,
    // and a nonce here would make browsers ignore 'unsafe-inline'. Scripts stay strict.
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' blob: data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'${o.formTargets?.length ? ` ${o.formTargets.join(" ")}` : ""}`,
    `frame-ancestors 'none'`,
    ...(o.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Was this request served over https (directly, or per a trusted proxy's X-Forwarded-Proto)? */
export function servedOverHttps(url: URL, headers: Pick<Headers, "get">, trustedHops: number): boolean {
  if (url.protocol === "https:") return true;
  if (trustedHops <= 0) return false;
  // Each proxy may append its own value: the one the outermost trusted proxy wrote is `trustedHops` from the right.
  const chain = (headers.get("x-forwarded-proto") ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return chain[Math.max(chain.length - trustedHops, 0)] === "https";
}

/** The headers every response carries (static assets too: next.config.ts sets these for them). */
export function baseSecurityHeaders(): Record<string, string> {
  return {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
  };
}

export function securityHeaders(kind: HeaderKind, o: CspOptions): Record<string, string> {
  return {
    ...baseSecurityHeaders(),
    "Content-Security-Policy": kind === "page" ? pageCsp(o) : API_CSP,
    ...(o.https ? { "Strict-Transport-Security": HSTS_VALUE } : {}),
  };
}

/** API-like paths: JSON or files for programs, never a page with scripts. */
export const isApiPath = (pathname: string) =>
  /^\/(api|graph|oauth2)(\/|$)/.test(pathname) ||
  // the SCIM service provider; the SCIM provisioning *page* is /scim and gets the page headers
  /^\/scim\/v2(\/|$)/.test(pathname) ||
  /^\/[^/]+\/(oauth2|v2\.0|discovery)(\/|$)/.test(pathname) ||
  /\/export(\/|$)/.test(pathname);

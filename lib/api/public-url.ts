/**
 * The address clients use to reach the portal, for every absolute URL the API writes (`@odata.context`,
 * `@odata.nextLink`, OAuth discovery documents). Never the listening socket: behind a TLS proxy that would
 * send a script (and its bearer token) to its own localhost.
 *   1. `PUBLIC_URL` when set (origin and optional path prefix);
 *   2. else `X-Forwarded-Host` / `X-Forwarded-Proto`, but only behind a trusted proxy (`TRUSTED_PROXY_HOPS` ≥ 1,
 *      the same setting `clientIpFrom` uses), read `hops` entries from the right like the address chain;
 *   3. else the `Host` header the client sent (its own name for us), with the request's scheme.
 */
import { env } from "@/lib/env";
import { trustedProxyHops } from "@/lib/http/client-ip";

let override: string | null | undefined;
/** Tests: the PUBLIC_URL to use (`undefined` = from the environment, `null` = unset). */
export function setApiPublicUrl(url: string | null | undefined): void {
  override = url;
}

function configured(): string | null {
  if (override !== undefined) return override;
  return env().PUBLIC_URL ?? null;
}

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

function nthFromRight(value: string | null, hops: number): string | null {
  if (!value) return null;
  const chain = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return chain[Math.max(0, chain.length - hops)] ?? null;
}

/** The public base URL without a trailing slash, e.g. `https://pim.example.com` or `https://example.com/pim`. */
export function publicBase(req: Request, hops = trustedProxyHops()): string {
  const fixed = configured();
  if (fixed) {
    try {
      const u = new URL(fixed);
      return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
    } catch {
      // a malformed PUBLIC_URL is refused at startup by lib/env; fall through for tests
    }
  }
  const own = new URL(req.url);
  if (hops > 0) {
    const host = nthFromRight(req.headers.get("x-forwarded-host"), hops);
    if (host && HOST.test(host)) {
      const proto = nthFromRight(req.headers.get("x-forwarded-proto"), hops)?.toLowerCase();
      return `${proto === "http" || proto === "https" ? proto : "https"}://${host}`;
    }
  }
  const host = req.headers.get("host");
  if (host && HOST.test(host)) return `${own.protocol}//${host}`;
  return own.origin;
}

/** The request URL as the client addressed it: public base + the path and query it asked for. */
export function publicUrlOf(req: Request): URL {
  const own = new URL(req.url);
  const base = publicBase(req);
  const prefix = new URL(base).pathname.replace(/\/+$/, "");
  const path = prefix && own.pathname.startsWith(`${prefix}/`) ? own.pathname.slice(prefix.length) : own.pathname;
  return new URL(`${base}${path}${own.search}`);
}

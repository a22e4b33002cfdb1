import { env } from "@/lib/env";
/**
 * The client's address for audit rows and rate limits, from X-Forwarded-For as written by the reverse
 * proxies in front of the portal. The leftmost entry is whatever the client sent and proves nothing; each
 * proxy appends the address it saw, so with N trusted proxies the entry N from the right is the address
 * the outermost trusted proxy saw. `TRUSTED_PROXY_HOPS` (default 1: one proxy, e.g. the platform's load
 * balancer) sets N; 0 ignores the header (the portal is reached directly, so the header is the client's
 * own words). Returns null when there is no such entry.
 */
export function clientIpFrom(headers: Pick<Headers, "get">, hops = trustedProxyHops()): string | null {
  if (hops <= 0) return null;
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const ip = chain[chain.length - hops];
  return ip && ip.length <= 64 && /^[0-9a-fA-F:.[\]]+$/.test(ip) ? ip : null;
}

export function trustedProxyHops(): number {
  return env().TRUSTED_PROXY_HOPS;
}

import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { proxy } from "@/proxy";
import { HSTS_VALUE, isApiPath, pageCsp, servedOverHttps } from "./security-headers";

const get = (url: string, headers: Record<string, string> = {}) => proxy(new NextRequest(url, { headers }));
const hsts = async (url: string, headers: Record<string, string> = {}) =>
  (await get(url, headers)).headers.get("strict-transport-security");
const hops = process.env.TRUSTED_PROXY_HOPS;
afterEach(() => {
  if (hops === undefined) delete process.env.TRUSTED_PROXY_HOPS;
  else process.env.TRUSTED_PROXY_HOPS = hops;
  resetEnvCache();
});

describe("security headers from proxy.ts (issue 12 finding 4)", () => {
  it("a page gets a strict CSP with a fresh nonce per request, forwarded to Next on the request", async () => {
    const a = await get("http://pim.test/my-roles");
    const b = await get("http://pim.test/my-roles");
    const csp = a.headers.get("content-security-policy")!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(nonce!.length).toBeGreaterThanOrEqual(22);
    expect(b.headers.get("content-security-policy")).not.toContain(nonce);
    expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval)/);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    // Next.js reads the nonce from the request's policy: the proxy passes it on (x-middleware-request-*).
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(a.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(a.headers.get("x-middleware-request-x-pim-path")).toBe("/my-roles");
    expect(a.headers.get("x-frame-options")).toBe("DENY");
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(a.headers.get("permissions-policy")).toContain("camera=()");
  });

  it("API routes get the headers too, with a CSP that allows nothing", async () => {
    for (const path of ["/api/health", "/graph/v1.0/me", "/oauth2/v2.0/token", "/activity/export", "/scim/v2/Users"]) {
      const r = await get(`http://pim.test${path}`);
      expect(r.headers.get("content-security-policy"), path).toMatch(/^default-src 'none'.*frame-ancestors 'none'/);
      expect(r.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(r.headers.get("x-frame-options"), path).toBe("DENY");
    }
    expect(isApiPath("/graphical")).toBe(false);
    // the SCIM provisioning page is a page (scripts, styles); its service provider is the API
    expect(isApiPath("/scim")).toBe(false);
    expect(isApiPath("/scim/v2")).toBe(true);
  });

  it("HSTS only over https: directly, or per a trusted proxy's X-Forwarded-Proto", async () => {
    expect(await hsts("http://pim.test/")).toBeNull();
    expect(await hsts("https://pim.test/")).toBe(HSTS_VALUE);
    process.env.TRUSTED_PROXY_HOPS = "1";
    resetEnvCache();
    expect(await hsts("http://pim.test/", { "x-forwarded-proto": "https" })).toBe(HSTS_VALUE);
    // The client's own claim to the left of what the proxy wrote is not believed.
    expect(await hsts("http://pim.test/", { "x-forwarded-proto": "https, http" })).toBeNull();
    process.env.TRUSTED_PROXY_HOPS = "0";
    resetEnvCache();
    expect(await hsts("http://pim.test/", { "x-forwarded-proto": "https" })).toBeNull();
    expect(servedOverHttps(new URL("http://x/"), new Headers({ "x-forwarded-proto": "https" }), 2)).toBe(true);
  });

  it("only next dev gets unsafe-eval; the OIDC provider is a permitted form target", () => {
    expect(pageCsp({ nonce: "abc", dev: true })).toContain("'unsafe-eval'");
    expect(pageCsp({ nonce: "abc", formTargets: ["https://login.example"] })).toContain(
      "form-action 'self' https://login.example",
    );
  });
});

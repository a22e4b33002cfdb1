import type { NextConfig } from "next";
import { baseSecurityHeaders } from "./lib/http/security-headers";

// The e2e suite's build (scripts/e2e.mjs sets PIM_TEST_BUILD=1 at `next build`): only then are `*.testroute.ts`
// files (app/api/test/*) routes, and only then does lib/clock.ts honour per-test clocks. The flag is inlined at
// build time, so a normal build has neither (checked by scripts/check-test-routes.mjs).
const testBuild = process.env.PIM_TEST_BUILD === "1";

const nextConfig: NextConfig = {
  pageExtensions: testBuild ? ["tsx", "ts", "jsx", "js", "testroute.ts"] : ["tsx", "ts", "jsx", "js"],
  env: { PIM_TEST_BUILD: testBuild ? "1" : "" },
  // PGlite loads its WASM through file URLs; bundling it breaks every database page.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "nodemailer"],
  // Separate build folders let e2e runs and development builds coexist.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  // proxy.ts handles trailing slashes: the Graph API answers them in place, pages keep the 308
  skipTrailingSlashRedirect: true,
  typedRoutes: false,
  // The test run typechecks with `tsc --noEmit` separately; local e2e builds may skip it.
  typescript: { ignoreBuildErrors: process.env.NEXT_SKIP_TYPECHECK === "1" },
  // Every response, static files included; proxy.ts adds the CSP (with its nonce) and HSTS where they apply.
  async headers() {
    const all = Object.entries(baseSecurityHeaders()).map(([key, value]) => ({ key, value }));
    return [{ source: "/:path*", headers: all }];
  },
};

export default nextConfig;

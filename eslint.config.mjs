import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const internalOnly = {
  group: ["@/lib/pim/internal", "@/lib/pim/internal/*", "**/lib/pim/internal", "**/lib/pim/internal/*"],
  message: "lib/pim/internal is private to lib/pim: use a use case, a read model or lib/pim/authz.",
};
const frameworkFree = [
  {
    group: ["next", "next/*", "next-auth", "next-auth/*", "@auth/*"],
    message: "lib/pim must not import Next.js or next-auth.",
  },
  { group: ["react", "react/*", "react-dom", "react-dom/*"], message: "lib/pim must not import React." },
  {
    group: ["@/app/*", "@/components/*", "@/lib/auth/*", "@/lib/env", "@/lib/server-db"],
    message: "lib/pim must not depend on adapters or read env: settings come in through ctx.",
  },
];
// Test support (fixtures, seeds, the SMTP sink, factories) lives in test/ and e2e/ and never ships.
const noTestSupport = {
  group: ["@/test/*", "@/e2e/*", "**/test/*", "**/e2e/*"],
  message: "Product code must not import test support (test/, e2e/).",
};
const linkOnly = {
  name: "next/link",
  message:
    "Use @/components/ui/link: it prefetches on hover or focus only (viewport prefetching kept every page loading).",
};
const productFiles = ["app/**", "components/**", "lib/**", "db/**", "pdp/**", "*.ts"];
// Test-build-only routes (*.testroute.ts) are compiled in only by PIM_TEST_BUILD=1 (next.config.ts).
const testFiles = ["**/*.test.ts", "**/*.test.tsx", "**/*.testroute.ts"];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      "node_modules/**",
      ".next*/**",
      ".data/**",
      "db/migrations/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    // Playwright fixtures take a `use` callback that is not React's hook.
    files: ["e2e/**/*.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // lib/pim/internal is the core's own toolbox: adapters use the core's use cases, read models and authz.
    files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.mjs"],
    ignores: ["lib/pim/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [internalOnly], paths: [linkOnly] }] },
  },
  {
    // The domain core stays framework-free: it must run under tests, jobs and any adapter.
    files: ["lib/pim/**/*.ts", "lib/pim/**/*.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: frameworkFree }] },
  },
  {
    files: productFiles,
    ignores: ["lib/pim/**", "playwright.config.ts", ...testFiles],
    rules: { "no-restricted-imports": ["error", { patterns: [internalOnly, noTestSupport], paths: [linkOnly] }] },
  },
  {
    files: ["lib/pim/**/*.ts", "lib/pim/**/*.tsx"],
    ignores: testFiles,
    rules: { "no-restricted-imports": ["error", { patterns: [...frameworkFree, noTestSupport] }] },
  },
  {
    // The one place next/link is used: the wrapper that prefetches on hover or focus only.
    files: ["components/ui/link.tsx"],
    rules: { "no-restricted-imports": "off" },
  },
];

export default config;

import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

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
    // The domain core stays framework-free: it must run under tests, jobs and any adapter.
    files: ["lib/pim/**/*.ts", "lib/pim/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["next", "next/*", "next-auth", "next-auth/*", "@auth/*"],
              message: "lib/pim must not import Next.js or next-auth.",
            },
            { group: ["react", "react/*", "react-dom", "react-dom/*"], message: "lib/pim must not import React." },
            { group: ["@/app/*", "@/components/*", "@/lib/auth/*"], message: "lib/pim must not depend on adapters." },
          ],
        },
      ],
    },
  },
];

export default config;

// Proves the normal production build has no test routes: every `*.testroute.ts` file lives under app/api/test,
// a normal `next build` of that folder plus /api/health (selective: --debug-build-paths, a few seconds) lists
// /api/health but none of the test routes in its route manifest, while the e2e test build (PIM_TEST_BUILD=1,
// made by scripts/e2e.mjs) does list them: the same check would fail if the flag stopped mattering. Usage: node scripts/check-test-routes.mjs [e2e dist dir]
import fs from "node:fs";
import path from "node:path";
import { nextBin, root, run } from "./lib.mjs";

const testDist = process.argv[2] || process.env.NEXT_DIST_DIR || ".next-e2e";
const checkDist = ".next-routecheck";

const testRoutes = [];
const walk = (d) => {
  for (const e of fs.readdirSync(path.join(root, d), { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith(".testroute.ts")) testRoutes.push(p);
  }
};
walk("app");
const fail = (msg) => {
  console.error(`check-test-routes: ${msg}`);
  process.exit(1);
};
if (testRoutes.length === 0) fail("no *.testroute.ts files found under app/ (nothing to check?)");
const outside = testRoutes.filter((p) => !p.startsWith(path.join("app", "api", "test") + path.sep));
if (outside.length) fail(`test routes must live under app/api/test: ${outside.join(", ")}`);
// "/api/test/clock/route" for app/api/test/clock/route.testroute.ts
const routeKeys = testRoutes.map((p) => "/" + p.replace(/^app\//, "").replace(/\.testroute\.ts$/, ""));

const manifest = (dist) => {
  const f = path.join(root, dist, "server", "app-paths-manifest.json");
  if (!fs.existsSync(f)) fail(`${f} is missing: no build there`);
  return Object.keys(JSON.parse(fs.readFileSync(f, "utf8")));
};

const inTestBuild = manifest(testDist);
const missing = routeKeys.filter((k) => !inTestBuild.includes(k));
if (missing.length)
  fail(`the test build in ${testDist} lacks ${missing.join(", ")} (was it built with PIM_TEST_BUILD=1?)`);

fs.rmSync(path.join(root, checkDist), { recursive: true, force: true });
// tsc --noEmit checks the types in the test run; this build only has to show which routes exist.
const env = {
  ...process.env,
  NEXT_DIST_DIR: checkDist,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  NEXT_SKIP_TYPECHECK: "1",
};
delete env.PIM_TEST_BUILD;
// next build adds its dist folder's types to tsconfig.json's include: put the file back as it was.
const tsconfig = path.join(root, "tsconfig.json");
const tsconfigText = fs.readFileSync(tsconfig, "utf8");
const built = await run(
  process.execPath,
  [nextBin, "build", "--debug-build-paths", "app/api/test/**,app/api/health/**"],
  { env },
);
fs.writeFileSync(tsconfig, tsconfigText);
if (built !== 0) fail(`the normal build of app/api/test failed (exit code ${built})`);
const normal = manifest(checkDist);
fs.rmSync(path.join(root, checkDist), { recursive: true, force: true });
if (!normal.includes("/api/health/route")) fail(`the selective build did not build /api/health: ${normal.join(", ")}`);
const inNormalBuild = normal.filter((k) => k.startsWith("/api/test"));
if (inNormalBuild.length) fail(`the normal build contains test routes: ${inNormalBuild.join(", ")}`);
console.log(`check-test-routes: ok (${routeKeys.join(", ")} only in the test build)`);

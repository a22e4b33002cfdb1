// `npm start`: production. Applies migrations (and the first-admin bootstrap on an empty directory), then serves.
// Needs AUTH_SECRET; uses DATABASE_URL when set, the embedded database otherwise. Run `npm run build` first.
import { spawn } from "node:child_process";
import { hasBuild, mustRun, nextBin, root, tsxBin } from "./lib.mjs";

if (!process.env.AUTH_SECRET) {
  console.error("AUTH_SECRET is not set. Generate one with: openssl rand -base64 32");
  process.exit(2);
}
const distDir = process.env.NEXT_DIST_DIR || ".next";
if (!hasBuild(distDir)) {
  console.error(`No production build in ${distDir}: run \`npm run build\` first.`);
  process.exit(2);
}
await mustRun(tsxBin, ["db/setup-cli.ts"]);
const server = spawn(process.execPath, [nextBin, "start", "-p", process.env.PORT || "3000"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production" },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));

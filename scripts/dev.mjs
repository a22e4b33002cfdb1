// `npm run dev`: next dev on the embedded database (its own folder) with the demo directory.
import { spawn } from "node:child_process";
import { localAuthSecret, mustRun, nextBin, root, tsxBin } from "./lib.mjs";

const env = {
  AUTH_SECRET: process.env.AUTH_SECRET || localAuthSecret(),
  AUTH_TRUST_HOST: "true",
  PIM_DEMO_MODE: process.env.DATABASE_URL ? "" : "1",
  PGLITE_DIR: process.env.PGLITE_DIR || ".data/pglite-dev",
  NEXT_DIST_DIR: ".next-dev",
};
await mustRun(tsxBin, ["db/setup-cli.ts", "--demo"], { env });
const server = spawn(process.execPath, [nextBin, "dev", "-p", process.env.PORT || "3000"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, ...env },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));

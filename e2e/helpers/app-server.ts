// Starts an extra portal instance for specs that need their own configuration (e.g. OIDC switched on):
// a fresh PGlite folder seeded like the e2e server, then `next start` from the e2e build on its own port.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// Not imported from scripts/lib.mjs: Playwright's loader compiles .mjs imported from specs to CommonJS.
const root = path.resolve(__dirname, "..", "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const tsxBin = path.join(root, "node_modules", ".bin", "tsx");

function runQuiet(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += String(d)));
    child.stderr.on("data", (d: Buffer) => (out += String(d)));
    child.on("exit", (code: number | null) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")} failed:\n${out}`)),
    );
  });
}

export type AppServer = { baseURL: string; log: () => string; stop: () => Promise<void> };

/**
 * `baseURL` is http://localhost:<port>: Next reports 127.0.0.1 as "localhost" to route handlers, so an
 * OAuth redirect_uri built from AUTH_URL=http://127.0.0.1 in a server action would not match the one the
 * callback handler computes. The server itself listens on 127.0.0.1.
 */
export async function startAppServer(opts: {
  port: number;
  name: string;
  env?: Record<string, string>;
}): Promise<AppServer> {
  const distDir = process.env.NEXT_DIST_DIR || ".next-e2e";
  const pgliteDir = path.join(".data", `e2e-${opts.name}-${Date.now().toString(36)}${process.pid}`);
  const baseURL = `http://localhost:${opts.port}`;
  const healthURL = `http://127.0.0.1:${opts.port}/api/health`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: distDir,
    AUTH_SECRET: `e2e-${opts.name}-secret-0123456789abcdefghijklmnop`,
    AUTH_URL: baseURL,
    PUBLIC_URL: baseURL,
    AUTH_TRUST_HOST: "true",
    PIM_SCHEDULER: "off",
    PIM_DEMO_MODE: "",
    DATABASE_URL: "",
    SMTP_URL: "",
    PGLITE_DIR: pgliteDir,
    ...(opts.env ?? {}),
  };
  await runQuiet(tsxBin, ["e2e/seed/cli.ts"], env);
  const server = spawn(process.execPath, [nextBin, "start", "-p", String(opts.port), "-H", "127.0.0.1"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  server.stdout.on("data", (d: Buffer) => (log += String(d)));
  server.stderr.on("data", (d: Buffer) => (log += String(d)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(healthURL);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill("SIGTERM");
      throw new Error(`extra app server did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    baseURL,
    log: () => log,
    stop: async () => {
      if (process.env.E2E_APP_LOG) fs.writeFileSync(process.env.E2E_APP_LOG, log);
      if (server.exitCode === null && server.signalCode === null) {
        // Next's graceful shutdown waits for open connections (a browser's keep-alive sockets among them): give it
        // a few seconds, then end it, so a teardown never hangs on a socket the test no longer uses.
        const exited = new Promise((r) => server.once("exit", r));
        server.kill("SIGTERM");
        const killer = setTimeout(() => server.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(killer);
      }
      fs.rmSync(path.join(root, pgliteDir), { recursive: true, force: true });
    },
  };
}

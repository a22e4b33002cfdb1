/** Starting and stopping the servers a benchmark measures (the built portal, the decision server, a baseline). */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { BENCH_AUTH_SECRET } from "../generate/personas";

export const ROOT = path.resolve(__dirname, "..", "..");
export const DIST_DIR = process.env.NEXT_DIST_DIR ?? ".next-bench";

export type Running = { proc: ChildProcess; url: string; pid: number; stop: () => Promise<void> };

export async function waitFor(url: string, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error(`no answer from ${url}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function run(cmd: string, args: string[], env: Record<string, string>, health: string, url: string): Promise<Running> {
  const proc = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...env } });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
      setTimeout(() => proc.kill("SIGKILL"), 5000).unref();
    });
  return waitFor(health).then(
    () => ({ proc, url, pid: proc.pid ?? 0, stop }),
    async (e) => {
      await stop();
      throw e;
    },
  );
}

/** `next start` from the benchmark build on `port`, over PostgreSQL (`databaseUrl`) or PGlite (`pgliteDir`). */
export function startPortal(port: number, db: { databaseUrl?: string; pgliteDir?: string }): Promise<Running> {
  const env: Record<string, string> = {
    NODE_ENV: "production",
    NEXT_DIST_DIR: DIST_DIR,
    AUTH_SECRET: BENCH_AUTH_SECRET,
    AUTH_TRUST_HOST: "true",
    AUTH_URL: `http://127.0.0.1:${port}`,
    PIM_SCHEDULER: "off",
    API_RATE_LIMIT_PER_MINUTE: "0",
    DATABASE_URL: db.databaseUrl ?? "",
    PGLITE_DIR: db.pgliteDir ?? "",
  };
  const url = `http://127.0.0.1:${port}`;
  return run(
    process.execPath,
    // BENCH_PORTAL_NODE_ARGS: flags for the portal's node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"; NODE_OPTIONS refuses them)
    [
      ...(process.env.BENCH_PORTAL_NODE_ARGS ?? "").split(" ").filter(Boolean),
      "node_modules/next/dist/bin/next",
      "start",
      "-p",
      String(port),
      "-H",
      "127.0.0.1",
    ],
    env,
    `${url}/api/health`,
    url,
  );
}

/** `npm run pdp` (without npm) on `port`. */
export function startPdp(port: number, databaseUrl: string): Promise<Running> {
  const url = `http://127.0.0.1:${port}`;
  return run(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "pdp/main.ts"],
    { NODE_ENV: "production", DATABASE_URL: databaseUrl, PDP_PORT: String(port), API_RATE_LIMIT_PER_MINUTE: "0" },
    `${url}/api/health`,
    url,
  );
}

/** The bare baseline (bench/baseline-server.ts): one prepared query per request, same driver. */
export function startBaseline(port: number, databaseUrl: string): Promise<Running> {
  const url = `http://127.0.0.1:${port}`;
  return run(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "bench/baseline-server.ts"],
    { DATABASE_URL: databaseUrl, PORT: String(port) },
    `${url}/health`,
    url,
  );
}

/** Resident memory of a process and its children, from /proc (kB): now (VmRSS) and peak (VmHWM). */
export function memoryOf(pid: number): { rssKb: number; hwmKb: number } {
  const pids = [pid, ...childrenOf(pid)];
  let rssKb = 0;
  let hwmKb = 0;
  for (const p of pids) {
    try {
      const s = readFileSync(`/proc/${p}/status`, "utf8");
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0);
      hwmKb += Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0);
    } catch {
      /* gone */
    }
  }
  return { rssKb, hwmKb };
}

function childrenOf(pid: number): number[] {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return kids.flatMap((k) => [k, ...childrenOf(k)]);
  } catch {
    return [];
  }
}

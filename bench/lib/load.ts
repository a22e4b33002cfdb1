/** Load with autocannon: every response time collected, so p50/p95/p99 are exact; the load average beside each figure. */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import autocannon from "autocannon";

export type LoadResult = {
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  bytesPerReq: number;
  load: number;
  /** Every response time, ascending (ms). */
  latencies: number[];
};

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export type LoadSpec = {
  url: string;
  connections: number;
  /** Seconds (default) … */
  duration?: number;
  /** … or a fixed number of requests. */
  amount?: number;
  headers?: Record<string, string>;
  method?: "GET" | "POST";
  body?: string;
  /** Different requests in turn (paths with their own headers/bodies). */
  requests?: autocannon.Request[];
};

export async function load(spec: LoadSpec): Promise<LoadResult> {
  const times: number[] = [];
  let bytes = 0;
  const inst = autocannon({
    url: spec.url,
    connections: spec.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration ?? 10 }),
    ...(spec.headers ? { headers: spec.headers } : {}),
    ...(spec.method ? { method: spec.method } : {}),
    ...(spec.body ? { body: spec.body } : {}),
    ...(spec.requests ? { requests: spec.requests } : {}),
    timeout: 60,
  });
  inst.on("response", (_c: unknown, _status: number, resBytes: number, ms: number) => {
    times.push(ms);
    bytes += resBytes;
  });
  const r = await inst;
  times.sort((a, b) => a - b);
  const secs = Math.max(0.001, (r.duration ?? 1) as number);
  return {
    connections: spec.connections,
    requests: times.length,
    rps: times.length / secs,
    p50: pct(times, 50),
    p95: pct(times, 95),
    p99: pct(times, 99),
    max: times[times.length - 1] ?? 0,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    bytesPerReq: times.length ? bytes / times.length : 0,
    load: os.loadavg()[0] ?? 0,
    latencies: times,
  };
}

export const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
export const machine = () =>
  `${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`;
export const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

/** A markdown table. */
export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

/** CPU seconds used so far by `pid` and its descendants (utime + stime from /proc), for CPU per page load. */
export function cpuSeconds(pid: number): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, "utf8");
      const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(d), { ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12])) / tick });
    } catch {
      // the process ended meanwhile
    }
  }
  const mine = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, st] of stats)
      if (!mine.has(p) && mine.has(st.ppid)) {
        mine.add(p);
        grew = true;
      }
  }
  for (const p of mine) total += stats.get(p)?.cpu ?? 0;
  return total;
}

/**
 * CPU seconds used so far by every PostgreSQL process on the machine (the server's backends and workers), for
 * what a request costs the database beside what it costs the app. Read it on a quiet machine: other databases'
 * work counts too.
 */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!readFileSync(`/proc/${d}/comm`, "utf8").startsWith("postgres")) continue;
      const f = readFileSync(`/proc/${d}/stat`, "utf8");
      const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
      total += (Number(rest[11]) + Number(rest[12])) / 100;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

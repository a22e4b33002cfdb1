/**
 * `npm run bench -- pages --size M`: every page a person uses (first page, a filtered page, a deep keyset page
 * where it pages), server-rendered over HTTP by `next build` + `next start` on the generated database, signed
 * in through the real flow (password, then TOTP). 1 connection (p50/p95) and 10 connections (req/s, p95), the
 * statements per load (PostgreSQL: counted from the server log with log_statement=all on this database only, in a
 * separate server run so logging does not slow the timed one), bytes per page, load average beside each figure.
 * `--pglite` runs the same pages on an embedded PGlite copy of the database (size S).
 */
import { statSync, openSync, readSync, closeSync } from "node:fs";
import postgres from "postgres";
import type { BenchArgs } from "./args";
import { personas, type PersonaKey } from "./generate/personas";
import { cpuSeconds, load, loadavg, machine, ms, table } from "./lib/load";
import { startPortal, type Running } from "./lib/server";
import { signIn } from "./lib/session";

type PageDef = { name: string; who: PersonaKey; path: string; filtered?: string; deep?: boolean };

export const PAGES: PageDef[] = [
  { name: "Overview", who: "ga", path: "/overview" },
  { name: "My roles", who: "user", path: "/my-roles", filtered: "/my-roles?tab=expired" },
  { name: "My requests", who: "user", path: "/pending-requests", filtered: "/pending-requests?show=pending" },
  { name: "Approve requests (approver)", who: "approver", path: "/approve-requests", deep: true },
  { name: "Approve requests (GA)", who: "ga", path: "/approve-requests", deep: true },
  { name: "Assignments", who: "ga", path: "/assignments", filtered: "/assignments?q=smith", deep: true },
  { name: "Assignments: active", who: "ga", path: "/assignments?tab=active", deep: true },
  { name: "Roles", who: "ga", path: "/roles", filtered: "/roles?q=admin" },
  {
    name: "Activity (resource)",
    who: "ga",
    path: "/activity?view=resource",
    filtered: "/activity?view=resource&result=failure",
    deep: true,
  },
  { name: "Activity (mine)", who: "user", path: "/activity" },
  { name: "Users", who: "ga", path: "/users", filtered: "/users?q=smith", deep: true },
  { name: "Notifications", who: "user", path: "/notifications" },
  { name: "API tokens", who: "ga", path: "/tokens" },
  { name: "Service principals", who: "ga", path: "/service-principals" },
  // governance (issue 14)
  { name: "Alerts", who: "ga", path: "/alerts" },
  { name: "Alert: stale accounts", who: "ga", path: "/alerts/staleAccounts" },
  { name: "Access reviews", who: "ga", path: "/access-reviews" },
  { name: "Review access", who: "user", path: "/review-access" },
  { name: "Discovery and insights", who: "ga", path: "/discovery" },
  { name: "Settings", who: "ga", path: "/settings" },
];

const LOG = "/var/log/postgresql/postgresql-15-main.log";

function nextHref(html: string): string | null {
  const m = /<a[^>]*href="([^"]+)"[^>]*>(?:<!-- -->)?\s*Next\b/.exec(html);
  return m?.[1] ? m[1].replace(/&amp;/g, "&") : null;
}

type Variant = { page: string; variant: string; who: PersonaKey; path: string };

async function variants(base: string, cookies: Record<string, string>, depth: number): Promise<Variant[]> {
  const out: Variant[] = [];
  for (const p of PAGES) {
    out.push({ page: p.name, variant: "first", who: p.who, path: p.path });
    if (p.filtered) out.push({ page: p.name, variant: "filtered", who: p.who, path: p.filtered });
    if (p.deep) {
      let path = p.path;
      let n = 0;
      for (; n < depth; n++) {
        const html = await (await fetch(`${base}${path}`, { headers: { cookie: cookies[p.who] ?? "" } })).text();
        const next = nextHref(html);
        if (!next) break;
        path = next;
      }
      if (n > 0) out.push({ page: p.name, variant: `deep (page ${n + 1})`, who: p.who, path });
    }
  }
  return out;
}

async function signInAll(base: string): Promise<Record<string, string>> {
  const cookies: Record<string, string> = {};
  for (const k of new Set(PAGES.map((p) => p.who))) cookies[k] = await signIn(base, personas[k]);
  return cookies;
}

function readFrom(file: string, offset: number): string {
  const size = statSync(file).size;
  const fd = openSync(file, "r");
  const buf = new Uint8Array(Math.max(0, size - offset));
  readSync(fd, buf, 0, buf.length, offset);
  closeSync(fd);
  return new TextDecoder().decode(buf);
}

/** Statements per load, counted from PostgreSQL's log (log_statement=all for this database only). */
async function countStatements(a: BenchArgs, depth: number): Promise<Map<string, number>> {
  const db = new URL(a.databaseUrl).pathname.slice(1);
  const admin = postgres(a.databaseUrl, { max: 1, onnotice: () => {} });
  const counts = new Map<string, number>();
  await admin.unsafe(`alter database ${db} set log_statement = 'all'`);
  let server: Running | null = null;
  try {
    server = await startPortal(3144, { databaseUrl: a.databaseUrl });
    const cookies = await signInAll(server.url);
    for (const v of await variants(server.url, cookies, depth)) {
      const headers = { cookie: cookies[v.who] ?? "" };
      await (await fetch(`${server.url}${v.path}`, { headers })).text(); // warm
      await new Promise((r) => setTimeout(r, 200));
      const offset = statSync(LOG).size;
      await (await fetch(`${server.url}${v.path}`, { headers })).text();
      await new Promise((r) => setTimeout(r, 400));
      const text = readFrom(LOG, offset);
      const re = new RegExp(`@${db} LOG:  (?:statement|execute)`, "g");
      counts.set(`${v.page}|${v.variant}`, (text.match(re) ?? []).length);
    }
  } finally {
    await server?.stop();
    await admin.unsafe(`alter database ${db} reset log_statement`);
    await admin.end();
  }
  return counts;
}

export async function pagesBench(a: BenchArgs, db: { databaseUrl?: string; pgliteDir?: string } = {}): Promise<void> {
  const amount = Number(a.options.amount ?? 15);
  const seconds = Number(a.options.seconds ?? 6);
  const depth = Number(a.options.depth ?? 20);
  const only = a.options.only ? new RegExp(a.options.only, "i") : null;
  const onPglite = Boolean(db.pgliteDir);
  const statements =
    !onPglite && a.options.statements !== "off" ? await countStatements(a, depth) : new Map<string, number>();
  const server = await startPortal(3143, onPglite ? db : { databaseUrl: a.databaseUrl });
  try {
    const cookies = await signInAll(server.url);
    const rows: (string | number)[][] = [];
    console.log(
      `\npages, size ${a.size} on ${onPglite ? "PGlite" : "PostgreSQL"}; 1 connection × ${amount} loads, 10 connections × ${seconds} s; ${machine()}\n`,
    );
    for (const v of await variants(server.url, cookies, depth)) {
      if (only && !only.test(v.page)) continue;
      const url = `${server.url}${v.path}`;
      const headers = { cookie: cookies[v.who] ?? "" };
      const first = await fetch(url, { headers, redirect: "manual" });
      await first.text();
      if (first.status !== 200) throw new Error(`${v.page} ${v.variant}: ${first.status} for ${v.path}`);
      const cpu0 = cpuSeconds(server.pid);
      const one = await load({ url, connections: 1, amount, headers });
      const cpuPerLoad = ((cpuSeconds(server.pid) - cpu0) * 1000) / Math.max(1, one.requests);
      const ten = await load({ url, connections: 10, duration: seconds, headers });
      const row = [
        v.page,
        v.variant,
        ms(one.p50),
        ms(one.p95),
        ms(cpuPerLoad),
        Math.round(ten.rps * 10) / 10,
        ms(ten.p95),
        statements.get(`${v.page}|${v.variant}`) ?? "–",
        `${Math.round(one.bytesPerReq / 1024)} kB`,
        one.non2xx + one.errors + ten.non2xx + ten.errors,
        ten.load.toFixed(1),
      ];
      rows.push(row);
      console.log(`  ${row.join("  ")}`);
    }
    console.log(
      "\n" +
        table(
          [
            "page",
            "variant",
            "1 conn p50 ms",
            "1 conn p95 ms",
            "server CPU ms/load",
            "10 conn req/s",
            "10 conn p95 ms",
            "SQL statements",
            "size",
            "errors",
            "load avg",
          ],
          rows,
        ),
    );
    console.log(`\nload average after: ${loadavg()}`);
  } finally {
    await server.stop();
  }
}

/**
 * The pages on PGlite and on PostgreSQL side by side: both servers run at once and each page's 1-connection
 * loads alternate between them in `rounds` rounds, so the machine's load (shared here) weighs on both alike.
 * Prints each page's p50 on both and the ratio.
 */
export async function pagesSideBySide(a: BenchArgs, pgliteDir: string): Promise<void> {
  const amount = Number(a.options.amount ?? 15);
  const depth = Number(a.options.depth ?? 20);
  const rounds = Number(a.options.rounds ?? 3);
  const only = a.options.only ? new RegExp(a.options.only, "i") : null;
  const pg = await startPortal(3143, { databaseUrl: a.databaseUrl });
  const lite = await startPortal(3144, { pgliteDir });
  try {
    const sides = await Promise.all(
      [pg, lite].map(async (server) => {
        const cookies = await signInAll(server.url);
        const vs = await variants(server.url, cookies, depth);
        return { server, cookies, byKey: new Map(vs.map((v) => [`${v.page}|${v.variant}`, v])) };
      }),
    );
    const rows: (string | number)[][] = [];
    console.log(
      `\npages, size ${a.size}, PGlite beside PostgreSQL; ${rounds} rounds × ${amount} loads each; ${machine()}\n`,
    );
    for (const [key, v] of sides[0]!.byKey) {
      if (only && !only.test(v.page)) continue;
      const times: [number[], number[]] = [[], []];
      const loads: number[] = [];
      for (let r = 0; r < rounds; r++) {
        for (const i of [0, 1] as const) {
          const side = sides[i]!;
          const sv = side.byKey.get(key);
          if (!sv) continue;
          const url = `${side.server.url}${sv.path}`;
          const headers = { cookie: side.cookies[sv.who] ?? "" };
          const warm = await fetch(url, { headers, redirect: "manual" });
          await warm.text();
          if (warm.status !== 200) throw new Error(`${key} on ${i ? "PGlite" : "PostgreSQL"}: ${warm.status}`);
          const one = await load({ url, connections: 1, amount, headers });
          times[i].push(...one.latencies);
          loads.push(Number(loadavg().split(" ")[0]));
        }
      }
      const p = (xs: number[], q: number) =>
        [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
      const [pg50, lite50] = [p(times[0], 0.5), p(times[1], 0.5)];
      const row = [
        v.page,
        v.variant,
        ms(lite50),
        ms(pg50),
        `${(lite50 / pg50).toFixed(2)}×`,
        ms(p(times[1], 0.95)),
        ms(p(times[0], 0.95)),
        `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
      ];
      rows.push(row);
      console.log(`  ${row.join("  ")}`);
    }
    console.log(
      "\n" +
        table(
          [
            "page",
            "variant",
            "PGlite p50 ms",
            "PostgreSQL p50 ms",
            "ratio",
            "PGlite p95",
            "PostgreSQL p95",
            "load avg",
          ],
          rows,
        ),
    );
    const ratios = rows.map((r) => Number(String(r[4]).replace("×", ""))).sort((x, y) => x - y);
    console.log(
      `\nmedian ratio ${ratios[Math.floor(ratios.length / 2)]?.toFixed(2)}×, worst ${ratios.at(-1)?.toFixed(2)}×`,
    );
  } finally {
    await Promise.all([pg.stop(), lite.stop()]);
  }
}

/**
 * Load test of the access check (`GET /api/v1/access/check`) on a built server over PostgreSQL, with autocannon
 * (10 connections). Prepares a scratch database (migrations, the demo directory, plus BENCH_USERS extra people
 * each holding an active assignment so the table is not trivially small), gives a service principal an access token
 * with RoleManagement.Read.Directory (as the client-credentials grant would), starts `next start` from NEXT_DIST_DIR, warms up, measures, stops the server, drops the
 * database.
 *   NEXT_DIST_DIR=.next-graph NEXT_SKIP_TYPECHECK=1 npx next build     (once)
 *   NEXT_DIST_DIR=.next-graph npx tsx bench/access-check.ts            (BENCH_SECONDS=20 BENCH_PORT=3107 BENCH_USERS=5000)
 * Server: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test. Not part of the test run.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import autocannon from "autocannon";
import postgres from "postgres";
import { openDb } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { seedDemo } from "@/db/seed";
import { demoUsers } from "@/db/demo-directory";
import { apiTokens, roleAssignmentSchedules, servicePrincipals, users } from "@/db/schema";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { hashSecret, hintOf, newSecret } from "@/lib/pim/use-cases/create-api-token";
import { eq } from "drizzle-orm";

const base =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const port = Number(process.env.BENCH_PORT ?? 3107);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const extraUsers = Number(process.env.BENCH_USERS ?? 5000);
const distDir = process.env.NEXT_DIST_DIR ?? ".next-graph";

async function waitFor(url: string, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not answer ${url}`);
}

async function main() {
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64");
  const name = `pim_bench_ac_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDb({ url: url.toString(), max: 4 });
  let server: ReturnType<typeof spawn> | null = null;
  try {
    await migrateDb(handle);
    await seedDemo(handle.db);
    const start = new Date(Date.now() - 86_400_000);
    for (let i = 0; i < extraUsers; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, extraUsers - i) }, (_, k) => ({
        displayName: `Bench User ${i + k}`,
        userPrincipalName: `bench.${i + k}@bench.test`,
      }));
      const rows = await handle.db.insert(users).values(batch).returning({ id: users.id });
      await handle.db.insert(roleAssignmentSchedules).values(
        rows.map((r) => ({
          principalId: r.id,
          principalType: "User" as const,
          roleDefinitionId: USER_ADMINISTRATOR,
          directoryScopeId: "/",
          assignmentType: "Assigned" as const,
          startDateTime: start,
          endDateTime: null,
        })),
      );
    }
    const gaUpn = Object.values(demoUsers).find((u) => u.displayName.startsWith("Perparim"))?.userPrincipalName;
    const [ga] = await handle.db
      .select()
      .from(users)
      .where(eq(users.userPrincipalName, String(gaUpn)));
    const [sophia] = await handle.db.select().from(users).where(eq(users.displayName, "Sophia Davis"));
    if (!ga || !sophia) throw new Error("demo users missing");
    // the access check's client is another application: a service principal's token (what /oauth2/v2.0/token issues)
    const [sp] = await handle.db
      .insert(servicePrincipals)
      .values({ displayName: "Bench app" })
      .returning({ id: servicePrincipals.id });
    const token = newSecret("pat_");
    await handle.db.insert(apiTokens).values({
      servicePrincipalId: sp?.id,
      name: "bench",
      tokenHash: hashSecret(token),
      hint: hintOf(token),
      scopes: ["RoleManagement.Read.Directory"],
      expiresAt: new Date(Date.now() + 86_400_000),
    });

    server = spawn(
      process.execPath,
      ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
      {
        stdio: ["ignore", "ignore", "inherit"],
        env: {
          ...process.env,
          NODE_ENV: "production",
          NEXT_DIST_DIR: distDir,
          DATABASE_URL: url.toString(),
          AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64"),
          PIM_SCHEDULER: "off",
          API_RATE_LIMIT_PER_MINUTE: "0",
          AUTH_TRUST_HOST: "true",
        },
      },
    );
    await waitFor(`http://127.0.0.1:${port}/api/health`);
    const paths = [
      `/api/v1/access/check?principalId=${ga.id}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`,
      `/api/v1/access/check?principalId=${sophia.id}&permission=microsoft.directory/users/create&directoryScopeId=/`,
    ];
    for (const p of paths) {
      const r = await fetch(`http://127.0.0.1:${port}${p}`, { headers: { authorization: `Bearer ${token}` } });
      console.log(p.split("?")[1]?.slice(0, 60), r.status, await r.text());
    }
    const run = (duration: number) =>
      autocannon({
        url: `http://127.0.0.1:${port}`,
        connections: 10,
        duration,
        headers: { authorization: `Bearer ${token}` },
        requests: paths.map((path) => ({ method: "GET" as const, path })),
      });
    await run(3); // warm-up (JIT, connection pool, prepared plans)
    const load0 = os.loadavg()[0];
    const r = await run(seconds);
    const load1 = os.loadavg()[0];
    const line = `connections 10, ${seconds} s: ${Math.round(r.requests.average)} req/s, latency p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ${r.requests.total} requests, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}`;
    console.log(line);
    console.log(
      `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}, ${extraUsers} extra users with active assignments; 1-min load average ${load0?.toFixed(1)} before, ${load1?.toFixed(1)} after`,
    );
  } finally {
    server?.kill("SIGTERM");
    await handle.close();
    const a = postgres(base, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${name} with (force)`);
    await a.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

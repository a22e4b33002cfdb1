/**
 * `npm run bench -- access-check --size M`: the access check at 10 connections, side by side in one run:
 * the bare baseline (one prepared query), the decision server (`npm run pdp`), the portal's
 * `/api/v1/access/check` and the portal's `/api/health`. Same questions, same database, same token.
 * Then (PIM for Groups) the decision server and the portal again on a mix of role and group questions
 * (`groupId` + `accessId=member|owner`, and a role held only through an active membership), against the
 * groups under PIM the generator made (`pimGroupId`).
 */
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import type { BenchArgs } from "./args";
import { activatorId, BENCH_APP_TOKEN, personas, pimGroupId } from "./generate/personas";
import { PIM_GROUP_ROLE } from "./generate/pim-groups";
import { cpuSeconds, load, loadavg, machine, ms, postgresCpuSeconds, table, type LoadResult } from "./lib/load";
import { startBaseline, startPdp, startPortal, type Running } from "./lib/server";

export async function accessCheckBench(a: BenchArgs): Promise<void> {
  const seconds = Number(a.options.seconds ?? 10);
  const connections = Number(a.options.connections ?? 10);
  const questions = [
    `principalId=${personas.ga.id}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`, // allowed, direct
    `principalId=${personas.user.id}&roleDefinitionId=${USER_ADMINISTRATOR}`, // eligible only: not allowed
    `principalId=${activatorId(1)}&roleDefinitionId=${USER_ADMINISTRATOR}`, // not allowed
  ];
  const group = (principalId: string, accessId: "member" | "owner", j = 0) =>
    `principalId=${principalId}&groupId=${pimGroupId(j)}&accessId=${accessId}`;
  // role and group questions mixed, half and half (allowed and refused ones of each)
  const mixed = [
    ...questions,
    `principalId=${activatorId(0)}&roleDefinitionId=${PIM_GROUP_ROLE}`, // allowed: through an active membership
    group(activatorId(0), "member"), // allowed: assigned membership
    group(activatorId(1), "member"), // eligible only: not allowed
    group(personas.user.id, "owner"), // allowed: assigned ownership
    group(activatorId(0), "owner"), // not allowed
    group(activatorId(2), "member", 1), // not allowed (another group)
  ];
  const auth = { authorization: `Bearer ${BENCH_APP_TOKEN}` };
  const servers: Running[] = [];
  try {
    const portal = await startPortal(3140, { databaseUrl: a.databaseUrl });
    servers.push(portal);
    const pdp = await startPdp(3141, a.databaseUrl);
    servers.push(pdp);
    const base = await startBaseline(3142, a.databaseUrl);
    servers.push(base);
    const path = (q: string) => `/api/v1/access/check?${q}`;
    const targets: [string, string, string[], Record<string, string>, Running][] = [
      ["bare baseline (1 prepared query)", base.url, questions.map((q) => `/check?${q}`), {}, base],
      ["decision server (npm run pdp)", pdp.url, questions.map(path), auth, pdp],
      ["portal /api/v1/access/check", portal.url, questions.map(path), auth, portal],
      ["portal /api/health", portal.url, ["/api/health"], {}, portal],
      ["decision server, roles + groups", pdp.url, mixed.map(path), auth, pdp],
      ["portal check, roles + groups", portal.url, mixed.map(path), auth, portal],
    ];
    for (const [, url, paths, headers] of targets) {
      for (const p of paths) {
        const r = await fetch(`${url}${p}`, { headers });
        if (!r.ok) throw new Error(`${url}${p} answered ${r.status}: ${await r.text()}`);
      }
      await load({ url, connections, duration: 3, headers, requests: paths.map((p) => ({ method: "GET", path: p })) });
    }
    // Rounds, the four targets in turn in each: on a shared machine the load drifts over a run, so the
    // ratios are taken within a round (targets seconds apart) and their median reported.
    const rounds = Math.max(1, Number(a.options.rounds ?? 3));
    const rows: (string | number)[][] = [];
    const ratios: { baseline: number; health: number; groups: number }[] = [];
    for (let round = 1; round <= rounds; round++) {
      const results: [string, LoadResult, { server: number; postgres: number }][] = [];
      for (const [name, url, paths, headers, server] of targets) {
        // CPU per answer of the server (its process tree) and of PostgreSQL: on two shared cores the throughput
        // follows what the load generator, the server and the database spend together per request
        const s0 = cpuSeconds(server.pid);
        const p0 = postgresCpuSeconds();
        const r = await load({
          url,
          connections,
          duration: seconds,
          headers,
          requests: paths.map((p) => ({ method: "GET", path: p })),
        });
        const per = (secs: number) => (secs * 1e6) / Math.max(1, r.requests);
        results.push([name, r, { server: per(cpuSeconds(server.pid) - s0), postgres: per(postgresCpuSeconds() - p0) }]);
      }
      const baseRps = results[0]?.[1].rps ?? 1;
      const health = results[3]?.[1].rps ?? 1;
      ratios.push({
        baseline: (results[1]?.[1].rps ?? 0) / baseRps,
        health: (results[2]?.[1].rps ?? 0) / health,
        // the portal on the mixed questions against the portal on role questions only
        groups: (results[5]?.[1].rps ?? 0) / (results[2]?.[1].rps ?? 1),
      });
      for (const [n, r, cpu] of results)
        rows.push([
          round,
          n,
          Math.round(r.rps),
          ms(r.p50),
          ms(r.p95),
          ms(r.p99),
          Math.round(cpu.server),
          Math.round(cpu.postgres),
          r.non2xx + r.errors,
          `${((100 * r.rps) / baseRps).toFixed(0)} %`,
          `${((100 * r.rps) / health).toFixed(0)} %`,
          r.load.toFixed(2),
        ]);
    }
    console.log(
      `\naccess check, size ${a.size}, ${connections} connections, ${seconds} s per target, ${rounds} rounds; ${machine()}\n`,
    );
    console.log(
      table(
        [
          "round",
          "server",
          "req/s",
          "p50 ms",
          "p95 ms",
          "p99 ms",
          "server CPU µs/req",
          "PostgreSQL CPU µs/req",
          "non-2xx",
          "of baseline",
          "of /api/health",
          "load avg (1 min)",
        ],
        rows,
      ),
    );
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
    const pcts = (xs: number[]) => xs.map((x) => `${(100 * x).toFixed(0)} %`).join(", ");
    console.log(
      `\nper round: decision server / baseline ${pcts(ratios.map((r) => r.baseline))} (median ${(100 * median(ratios.map((r) => r.baseline))).toFixed(0)} %); ` +
        `portal check / /api/health ${pcts(ratios.map((r) => r.health))} (median ${(100 * median(ratios.map((r) => r.health))).toFixed(0)} %); ` +
        `portal roles + groups / portal roles ${pcts(ratios.map((r) => r.groups))} (median ${(100 * median(ratios.map((r) => r.groups))).toFixed(0)} %)`,
    );
    console.log(`\nload average after: ${loadavg()}`);
  } finally {
    for (const s of servers.reverse()) await s.stop();
  }
}

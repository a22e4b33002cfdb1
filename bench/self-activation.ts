/**
 * Self-activation latency with many GA/PRA holders (every activation notifies them all) on PostgreSQL.
 *   npx tsx bench/self-activation.ts                 (400 holders, 200 activations)
 *   npx tsx bench/self-activation.ts 400 300         (holders, activations)
 * Calls the use case `activateRole` directly (the transaction a Graph selfActivate or the My roles action
 * runs), one at a time on one connection, then times the delivery worker's fan-out of the queued events.
 * Uses BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test as the server;
 * creates a scratch database and drops it. Not part of the test run.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import postgres from "postgres";
import { openDb } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { seedBuiltins } from "@/db/seed";
import {
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { activateRole } from "@/lib/pim/use-cases/activate-role";

const base =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const uuid = (prefix: string, i: number) => `00000000-0000-4000-${prefix}-${i.toString(16).padStart(12, "0")}`;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

async function main() {
  const holders = Number(process.argv[2] ?? 400);
  const n = Number(process.argv[3] ?? 200);
  const name = `pim_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const [ver] = await admin.unsafe("select version() as v");
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDb({ url: url.toString(), max: 4 });
  const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await migrateDb(handle);
    await seedBuiltins(handle.db, "Bench");
    const now = new Date("2026-11-22T12:00:00Z");
    // holders: half Global Administrators, half Privileged Role Administrators (permanent active)
    await raw.unsafe(`
      insert into users (id, display_name, user_principal_name, mail)
      select ('00000000-0000-4000-a000-' || lpad(to_hex(i), 12, '0'))::uuid, 'Admin ' || i, 'admin' || i || '@bench.test', 'admin' || i || '@bench.test'
      from generate_series(1, ${holders}) i`);
    await raw.unsafe(`
      insert into role_assignment_schedules (principal_id, principal_type, role_definition_id, assignment_type, start_date_time)
      select ('00000000-0000-4000-a000-' || lpad(to_hex(i), 12, '0'))::uuid, 'User',
             case when i % 2 = 0 then '${GLOBAL_ADMINISTRATOR}'::uuid else '${PRIVILEGED_ROLE_ADMINISTRATOR}'::uuid end,
             'Assigned', timestamptz '2026-01-01T00:00:00Z'
      from generate_series(1, ${holders}) i`);
    // n people, each eligible for User Administrator (default settings: no approval, justification required)
    await raw.unsafe(`
      insert into users (id, display_name, user_principal_name, mail)
      select ('00000000-0000-4000-b000-' || lpad(to_hex(i), 12, '0'))::uuid, 'Member ' || i, 'member' || i || '@bench.test', 'member' || i || '@bench.test'
      from generate_series(1, ${n}) i`);
    await raw.unsafe(`
      insert into role_eligibility_schedules (principal_id, principal_type, role_definition_id, start_date_time)
      select ('00000000-0000-4000-b000-' || lpad(to_hex(i), 12, '0'))::uuid, 'User', '${USER_ADMINISTRATOR}', timestamptz '2026-01-01T00:00:00Z'
      from generate_series(1, ${n}) i`);
    await raw.unsafe("analyze");

    const ctx = { db: handle.db, now: () => now };
    const times: number[] = [];
    for (let i = 1; i <= n; i++) {
      const actor = { id: uuid("b000", i), type: "User" as const, displayName: `Member ${i}`, mfaAt: now };
      const t = performance.now();
      await activateRole(ctx, actor, {
        roleDefinitionId: USER_ADMINISTRATOR,
        justification: "Bench activation",
        durationMinutes: 60,
      });
      times.push(performance.now() - t);
    }
    const [c] = await raw.unsafe(`
      select (select count(*) from notifications)::int as notices,
             (select count(*) from notification_events)::int as events`);
    console.log(
      `PostgreSQL: ${String(ver?.v).split(" on ")[0]}; ${os.cpus().length} cores; node ${process.version}; load ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}`,
    );
    console.log(
      `${n} self-activations with ${holders} GA/PRA holders: p50 ${pct(times, 50).toFixed(1)} ms, ` +
        `p95 ${pct(times, 95).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms; ` +
        `rows written by the requests: ${JSON.stringify(c)}`,
    );
    // the worker's side, if this build has one
    const fanOut = await import("@/lib/pim/notifications/fan-out").catch(() => null);
    if (fanOut) {
      const t = performance.now();
      let r = { events: 0, notices: 0, failed: 0 };
      for (;;) {
        const p = await fanOut.fanOutEvents(handle.db, now, { baseUrl: "http://localhost:3000" });
        r = { events: r.events + p.events, notices: r.notices + p.notices, failed: r.failed + p.failed };
        if (p.events + p.failed === 0) break;
      }
      const ms = performance.now() - t;
      console.log(
        `fan-out by the worker: ${r.events} events → ${r.notices} notices in ${(ms / 1000).toFixed(1)} s ` +
          `(${Math.round(r.notices / (ms / 1000))} notices/s), failed ${r.failed}`,
      );
    }
  } finally {
    await raw.end();
    await handle.close();
    const a = postgres(base, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${name} with (force)`);
    await a.end();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

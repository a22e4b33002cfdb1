/**
 * How long expireDue takes for 10,000 and 100,000 due activations on PostgreSQL.
 *   npx tsx bench/expire-due.ts               (sizes 10000 and 100000)
 *   npx tsx bench/expire-due.ts 2000          (other sizes)
 * Uses BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test as the server;
 * creates a scratch database per size and drops it. Not part of the test run. Results: bench/RESULTS.md.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import postgres from "postgres";
import { openDb } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { seedBuiltins } from "@/db/seed";
import { USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { expireDue } from "@/lib/pim/use-cases/expire-due";

const base =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function one(n: number, batchSize: number) {
  const name = `pim_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDb({ url: url.toString(), max: 4 });
  const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await migrateDb(handle);
    await seedBuiltins(handle.db, "Bench");
    const now = new Date("2026-11-22T12:00:00Z");
    const users = Math.max(1, Math.min(n, 5000));
    const t0 = performance.now();
    await raw.unsafe(`
      insert into users (id, display_name, user_principal_name, mail)
      select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'Bench user ' || i, 'bench' || i || '@bench.test', 'bench' || i || '@bench.test'
      from generate_series(1, ${users}) i`);
    // n eligibilities (permanent) and one activation each that ended within the last hour
    await raw.unsafe(`
      with e as (
        insert into role_eligibility_schedules (id, principal_id, principal_type, role_definition_id, start_date_time)
        select gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(to_hex(1 + (i % ${users})), 12, '0'))::uuid, 'User', '${USER_ADMINISTRATOR}',
               '2026-11-01T00:00:00Z'
        from generate_series(1, ${n}) i
        returning id, principal_id)
      insert into role_assignment_schedules (principal_id, principal_type, role_definition_id, assignment_type, start_date_time, end_date_time, eligibility_schedule_id)
      select principal_id, 'User', '${USER_ADMINISTRATOR}', 'Activated', timestamptz '2026-11-22T08:00:00Z',
             timestamptz '2026-11-22T11:00:00Z' + (random() * interval '59 minutes'), id
      from e`);
    await raw.unsafe("analyze");
    const setupMs = performance.now() - t0;

    const started = performance.now();
    const first = await expireDue({ db: handle.db, now: () => now }, { batchSize });
    const firstMs = performance.now() - started;
    const s2 = performance.now();
    const second = await expireDue({ db: handle.db, now: () => now }, { batchSize });
    const secondMs = performance.now() - s2;
    const [counts] = await raw.unsafe(`
      select (select count(*) from role_assignment_schedules where status = 'Expired')::int as expired,
             (select count(*) from audit_events)::int as audit,
             (select count(*) from notifications)::int as notices`);
    return { n, batchSize, setupMs, firstMs, secondMs, first, second, counts };
  } finally {
    await raw.end();
    await handle.close();
    const a = postgres(base, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${name} with (force)`);
    await a.end();
  }
}

async function main() {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((x) => x > 0);
  const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 500);
  const [ver] = await postgres(base, { max: 1, onnotice: () => {} })
    .unsafe("select version() as v")
    .then(async (r) => r);
  console.log(
    `PostgreSQL: ${String(ver?.v).split(" on ")[0]}; ${os.cpus().length} cores; node ${process.version}; batch ${batchSize}`,
  );
  for (const n of sizes.length ? sizes : [10_000, 100_000]) {
    const r = await one(n, batchSize);
    console.log(
      `${r.n.toLocaleString("en")} due activations: expireDue ${(r.firstMs / 1000).toFixed(1)} s ` +
        `(${Math.round(r.n / (r.firstMs / 1000)).toLocaleString("en")}/s), second call ${r.secondMs.toFixed(0)} ms; ` +
        `setup ${(r.setupMs / 1000).toFixed(1)} s; first=${JSON.stringify(r.first)} second=${JSON.stringify(r.second)} ` +
        `db=${JSON.stringify(r.counts)}`,
    );
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/**
 * The audit CSV export's stream (what app/(portal)/activity/export/route.ts returns) over N audit rows on
 * PostgreSQL: time to the last byte and the process's peak RSS above its idle RSS.
 *   npx tsx bench/export-csv.ts                 (1,000,000 rows, batches of 5,000)
 *   BENCH_EXPORT_BATCH=500 npx tsx bench/export-csv.ts 200000
 * Runs the route's pipeline in-process (the read model iterateActivity → toRowView → csvRow → csvStream,
 * consumed as a client would read the body); the Next request handling and the socket are left out.
 * Uses BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test as the server;
 * creates a scratch database and drops it. Not part of the test run.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import postgres from "postgres";
import { openDb } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { seedBuiltins } from "@/db/seed";
import { csvStream, type CsvValue } from "@/lib/export/csv";
import { iterateActivity, scopeLabeler } from "@/lib/pim/queries/activity-log";
import { CSV_HEADER, csvRow, parseActivityFilters } from "@/app/(portal)/activity/filters";
import { toActivityQuery, toRowView } from "@/app/(portal)/activity/mapping";

const base =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function main() {
  const n = Number(process.argv[2] ?? 1_000_000);
  const batch = Number(process.env.BENCH_EXPORT_BATCH ?? 5000);
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
    const t0 = performance.now();
    // N rows over the last 30 days, like the sweep's and activations' rows (hashes are not verified here)
    await raw.unsafe(`
      insert into audit_events (created_at, activity, operation, actor_id, actor_type, actor_name, target_id, target_type,
        target_name, role_definition_id, role_name, directory_scope_id, justification, details, prev_hash, hash)
      select timestamptz '2026-11-22T12:00:00Z' - (i * interval '2 seconds'),
             case when i % 3 = 0 then 'Add member to role completed (PIM activation)' else 'Remove member from role (PIM activation expired)' end,
             case when i % 3 = 0 then 'selfActivate' else 'schedule.expire' end,
             ('00000000-0000-4000-8000-' || lpad(to_hex(i % 20000), 12, '0'))::uuid, 'User', 'Bench user ' || (i % 20000),
             ('00000000-0000-4000-8000-' || lpad(to_hex(i % 20000), 12, '0'))::uuid, 'User', 'Bench user ' || (i % 20000),
             '62e90394-69f5-4237-9190-012177145e10'::uuid, 'Global Administrator', '/', 'Bench justification, with a comma',
             '{"kind":"assignment"}'::jsonb, repeat('0', 64), md5(i::text) || md5((i + 1)::text)
      from generate_series(1, ${n}) i`);
    await raw.unsafe("analyze audit_events");
    const setupMs = performance.now() - t0;

    const ctx = { db: handle.db, now: () => new Date("2026-11-22T12:00:00Z") };
    const filters = parseActivityFilters({ view: "resource" });
    const label = await scopeLabeler(ctx);
    const query = toActivityQuery(filters);
    // the reader: a Global Administrator (Resource audit needs a PIM admin or reader role)
    const readerId = "00000000-0000-4000-9000-000000000001";
    await raw.unsafe(
      `insert into users (id, display_name, user_principal_name) values ('${readerId}', 'Reader', 'reader@bench.test')`,
    );
    await raw.unsafe(`insert into role_assignment_schedules (principal_id, principal_type, role_definition_id, assignment_type, start_date_time)
                      values ('${readerId}', 'User', '62e90394-69f5-4237-9190-012177145e10', 'Assigned', timestamptz '2026-01-01T00:00:00Z')`);
    const actor = { id: readerId, type: "User" as const, displayName: "Reader" };
    async function* rows(): AsyncGenerator<CsvValue[]> {
      for await (const r of iterateActivity(ctx, actor, query, batch)) yield csvRow(toRowView(r, label));
    }
    global.gc?.();
    await new Promise((r) => setTimeout(r, 200));
    const idle = process.memoryUsage().rss;
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const started = performance.now();
    const reader = csvStream(CSV_HEADER, rows()).getReader();
    let bytes = 0;
    let chunks = 0;
    let lines = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      bytes += r.value.byteLength;
      chunks++;
      for (const b of r.value) if (b === 10) lines++;
    }
    const ms = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(
      `PostgreSQL: ${String(ver?.v).split(" on ")[0]}; ${os.cpus().length} cores; node ${process.version}; load ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}; setup ${(setupMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `export of ${n.toLocaleString("en")} audit rows (batch ${batch}): ${(ms / 1000).toFixed(1)} s, ` +
        `${(bytes / 1e6).toFixed(0)} MB in ${chunks.toLocaleString("en")} chunks, ${(lines - 1).toLocaleString("en")} rows; ` +
        `RSS idle ${(idle / 1e6).toFixed(0)} MB, peak ${(peak / 1e6).toFixed(0)} MB (+${((peak - idle) / 1e6).toFixed(0)} MB)`,
    );
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

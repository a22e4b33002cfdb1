/**
 * The write-side benchmarks:
 *   self-activation  POST …/roleAssignmentScheduleRequests (Graph, selfActivate) by distinct activators, through the
 *                    built portal (each activation notifies the ~400 GA/PRA holders); p50/p95 at 1 and 10 in flight
 *   sweep            `expireDue` with N due activations (default 100,000, fewer if the size has fewer eligibilities),
 *                    then again with nothing due
 *   export           the Activity CSV of every audit row (Resource audit, GA), time and the server's peak RSS
 */
import postgres from "postgres";
import { openDb } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { purgeOldNotices } from "@/lib/pim/notifications/retention";
import { expireDue } from "@/lib/pim/use-cases/expire-due";
import type { BenchArgs } from "./args";
import { activatorId, activatorToken, personas } from "./generate/personas";
import { sizeOf } from "./generate/sizes";
import { cpuSeconds, loadavg, machine, ms, table } from "./lib/load";
import { memoryOf, startPortal } from "./lib/server";
import { signIn } from "./lib/session";

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

async function resetActivators(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql`update role_assignment_schedules set status = 'Revoked', end_date_time = now(), updated_at = now()
    where principal_id::text like 'b1000000-%' and assignment_type = 'Activated' and status in ('Provisioned', 'Granted')`;
  await sql.end();
}

export async function activationBench(a: BenchArgs): Promise<void> {
  const activators = sizeOf(a.size).activators;
  const n1 = Math.min(Number(a.options.amount ?? 60), Math.floor(activators / 3));
  // activators - 1 is the warm-up's: the measured ones are 0 … n1 + n10 - 1 below it
  const n10 = Math.min(Number(a.options.amount10 ?? 200), activators - 1 - n1);
  await resetActivators(a.databaseUrl);
  const [{ admins } = { admins: 0 }] = await postgres(a.databaseUrl, { max: 1, onnotice: () => {} })`
    select count(distinct u)::int as admins from (
      select principal_id as u from role_assignment_schedules where role_definition_id in ('62e90394-69f5-4237-9190-012177145e10','e8611ab8-c189-46e8-94e1-60213ab1f814') and principal_type = 'User' and status = 'Provisioned' and (end_date_time is null or end_date_time > now())
      union select m.user_id from group_members m join role_assignment_schedules s on s.principal_id = m.group_id where s.role_definition_id in ('62e90394-69f5-4237-9190-012177145e10','e8611ab8-c189-46e8-94e1-60213ab1f814') and s.status = 'Provisioned' and (s.end_date_time is null or s.end_date_time > now())) x`;
  const server = await startPortal(3145, { databaseUrl: a.databaseUrl });
  try {
    const activate = async (i: number) => {
      const t0 = performance.now();
      const r = await fetch(`${server.url}/graph/v1.0/roleManagement/directory/roleAssignmentScheduleRequests`, {
        method: "POST",
        headers: { authorization: `Bearer ${activatorToken(i)}`, "content-type": "application/json" },
        body: JSON.stringify({
          action: "selfActivate",
          principalId: activatorId(i),
          roleDefinitionId: USER_ADMINISTRATOR,
          directoryScopeId: "/",
          justification: "Benchmark activation",
          scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
        }),
      });
      const body = await r.text();
      if (r.status !== 201) throw new Error(`activation ${i}: ${r.status} ${body.slice(0, 300)}`);
      return performance.now() - t0;
    };
    await activate(activators - 1); // warm-up (JIT, pool)
    const one: number[] = [];
    const cpu0 = cpuSeconds(server.pid);
    for (let i = 0; i < n1; i++) one.push(await activate(i));
    await new Promise((r) => setTimeout(r, 1000)); // the relay's later pass (500 ms after the last event)
    const cpuPerActivation = ((cpuSeconds(server.pid) - cpu0) * 1000) / Math.max(1, n1);
    const load1 = loadavg();
    const ten: number[] = [];
    let next = n1;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < n1 + n10) ten.push(await activate(next++));
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    console.log(`\nself-activation (Graph), size ${a.size}, ${admins} GA/PRA holders to notify; ${machine()}\n`);
    console.log(
      `server CPU per activation at 1 in flight (request, relay fan-out of its event): ${cpuPerActivation.toFixed(1)} ms\n`,
    );
    console.log(
      table(
        ["in flight", "activations", "p50 ms", "p95 ms", "max ms", "per s", "load avg"],
        [
          [1, one.length, ms(pct(one, 50)), ms(pct(one, 95)), ms(Math.max(...one)), "", load1],
          [
            10,
            ten.length,
            ms(pct(ten, 50)),
            ms(pct(ten, 95)),
            ms(Math.max(...ten)),
            (ten.length / secs).toFixed(1),
            loadavg(),
          ],
        ],
      ),
    );
  } finally {
    await server.stop();
    await resetActivators(a.databaseUrl);
  }
}

/** The sweep writes (statuses, audit rows, notices): it runs on a copy of the database (CREATE DATABASE … TEMPLATE). */
export async function sweepBench(a: BenchArgs): Promise<void> {
  const source = new URL(a.databaseUrl).pathname.slice(1);
  const copyUrl = new URL(a.databaseUrl);
  copyUrl.pathname = `/${source}_sweep`;
  const admin = postgres(new URL("/postgres", a.databaseUrl).toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${source}_sweep with (force)`);
  await admin.unsafe(`create database ${source}_sweep template ${source}`);
  try {
    await sweepOn({ ...a, databaseUrl: copyUrl.toString() });
  } finally {
    await admin.unsafe(`drop database if exists ${source}_sweep with (force)`);
    await admin.end();
  }
}

async function sweepOn(a: BenchArgs): Promise<void> {
  const want = Number(a.options.due ?? 100_000);
  const m = await openDb({ url: a.databaseUrl, max: 1 });
  await migrateDb(m); // the copy gets this code's migrations (the source database is left as it is)
  await m.close();
  const sql = postgres(a.databaseUrl, { max: 1, onnotice: () => {} });
  // N due activations: from user eligibilities without a live activation, ended within the last hour
  const inserted = await sql`
    insert into role_assignment_schedules (principal_id, principal_type, role_definition_id, directory_scope_id,
      assignment_type, status, start_date_time, end_date_time, eligibility_schedule_id, created_by, created_at, updated_at)
    select e.principal_id, 'User', e.role_definition_id, e.directory_scope_id, 'Activated', 'Provisioned',
      now() - interval '3 hours', now() - random() * interval '55 minutes', e.id, e.principal_id, now() - interval '3 hours', now() - interval '3 hours'
    from role_eligibility_schedules e
    where e.principal_type = 'User' and e.principal_id::text not like 'b1000000-%'
      and not exists (select 1 from role_assignment_schedules s where s.eligibility_schedule_id = e.id and s.principal_id = e.principal_id
        and s.assignment_type = 'Activated' and s.status in ('Provisioned', 'Granted'))
    limit ${want}
    returning id`;
  await sql`analyze role_assignment_schedules`;
  await sql.end();
  const handle = await openDb({ url: a.databaseUrl, max: 4 });
  try {
    const ctx = { db: handle.db, now: () => new Date() };
    const l0 = loadavg();
    const t0 = performance.now();
    const first = await expireDue(ctx);
    const firstMs = performance.now() - t0;
    const l1 = loadavg();
    const t1 = performance.now();
    const second = await expireDue(ctx);
    const secondMs = performance.now() - t1;
    // Pending requests past their deadline (TimedOut): `--overdue N` (default 10,000) inserted now, then swept.
    // `--impl before` sweeps them with lib/pim/use-cases-before/expire-due.ts (a previous version restored with
    // `git show <commit>:lib/pim/use-cases/expire-due.ts`, not part of the tree) for a before/after.
    const overdue = Number(a.options.overdue ?? 10_000);
    const sweep: typeof expireDue =
      a.options.impl === "before"
        ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional file outside the tree
          require(require("node:path").resolve(__dirname, "../lib/pim/use-cases-before/expire-due")).expireDue
        : expireDue;
    let timeoutRow: (string | number)[] | null = null;
    if (overdue > 0) {
      const raw = postgres(a.databaseUrl, { max: 1, onnotice: () => {} });
      const made = await raw`
        insert into schedule_requests (request_type, action, status, principal_id, principal_type, role_definition_id,
          directory_scope_id, requestor_id, requestor_type, justification, expiration_type, duration,
          eligibility_schedule_id, created_date_time, approval_deadline)
        select 'assignment', 'selfActivate', 'PendingApproval', e.principal_id, 'User', e.role_definition_id,
          e.directory_scope_id, e.principal_id, 'User', 'Benchmark request', 'afterDuration', 'PT1H', e.id,
          now() - interval '25 hours' - g * interval '1 ms', now() - interval '1 hour' - g * interval '1 ms'
        from role_eligibility_schedules e cross join generate_series(1, 1 + ${overdue} / 1000) g
        where e.principal_type = 'User'
        limit ${overdue}
        returning id`;
      await raw`analyze schedule_requests`;
      await raw.end();
      const l2 = loadavg();
      const t2 = performance.now();
      const third = await sweep(ctx);
      const thirdMs = performance.now() - t2;
      timeoutRow = [
        `overdue requests (${a.options.impl === "before" ? "before" : "this code"})`,
        made.length,
        `${(thirdMs / 1000).toFixed(1)} s`,
        Math.round(made.length / (thirdMs / 1000)),
        JSON.stringify(third),
        `${l2} → ${loadavg()}`,
      ];
    }
    // Notice retention (a step of every job pass): `--old-notices N` (default 100,000) delivered notices dated
    // 100 days ago, deleted in the job's batches until done, then a run with nothing due.
    const oldNotices = Number(a.options["old-notices"] ?? 100_000);
    const retentionRows: (string | number)[][] = [];
    if (oldNotices > 0) {
      const raw = postgres(a.databaseUrl, { max: 1, onnotice: () => {} });
      await raw`
        insert into notifications (created_at, event_type, recipient_user_id, recipient_email, subject, body_text,
                                   body_html, status, sent_at, dedupe_key)
        select now() - interval '100 days' + g * interval '1 ms', 'roleActivated', u.ids[1 + g % u.n], u.mails[1 + g % u.n],
               'Benchmark notice', 'text', '<p>html</p>', 'sent', now() - interval '100 days', 'bench-retention:' || g
          from generate_series(1, ${oldNotices}) g
         cross join (select array_agg(id) ids, array_agg(mail) mails, count(*)::int n
                       from (select id, mail from users limit 1000) x) u`;
      await raw`analyze notifications`;
      await raw.end();
      const l3 = loadavg();
      const t3 = performance.now();
      const total = { notices: 0, events: 0, bodies: 0 };
      let runs = 0;
      for (let done = false; !done; runs++) {
        const r = await purgeOldNotices(handle.db, new Date(), { retentionDays: 90 });
        total.notices += r.notices;
        total.events += r.events;
        total.bodies += r.bodies;
        done = r.done;
      }
      const purgeMs = performance.now() - t3;
      const t4 = performance.now();
      const idle = await purgeOldNotices(handle.db, new Date(), { retentionDays: 90 });
      const idleMs = performance.now() - t4;
      retentionRows.push(
        [
          `notice retention (${runs} job passes)`,
          oldNotices,
          `${(purgeMs / 1000).toFixed(1)} s`,
          Math.round(total.notices / (purgeMs / 1000)),
          JSON.stringify(total),
          `${l3} → ${loadavg()}`,
        ],
        ["notice retention, nothing due", 0, `${ms(idleMs)} ms`, "", JSON.stringify(idle), loadavg()],
      );
    }
    console.log(`\nexpiry sweep, size ${a.size}; ${machine()}\n`);
    console.log(
      table(
        ["run", "due", "time", "rows/s", "counts", "load avg"],
        [
          [
            "due rows",
            inserted.length,
            `${(firstMs / 1000).toFixed(1)} s`,
            Math.round(inserted.length / (firstMs / 1000)),
            JSON.stringify(first),
            `${l0} → ${l1}`,
          ],
          ["nothing due", 0, `${ms(secondMs)} ms`, "", JSON.stringify(second), loadavg()],
          ...(timeoutRow ? [timeoutRow] : []),
          ...retentionRows,
        ],
      ),
    );
  } finally {
    await handle.close();
  }
}

export async function exportBench(a: BenchArgs): Promise<void> {
  const server = await startPortal(3146, { databaseUrl: a.databaseUrl });
  try {
    const cookie = await signIn(server.url, personas.ga);
    await (await fetch(`${server.url}/activity?view=resource`, { headers: { cookie } })).text();
    await new Promise((r) => setTimeout(r, 1000));
    const idle = memoryOf(server.pid);
    let peak = idle.rssKb;
    const poll = setInterval(() => (peak = Math.max(peak, memoryOf(server.pid).rssKb)), 100);
    const l0 = loadavg();
    const t0 = performance.now();
    const r = await fetch(`${server.url}/activity/export?view=resource`, { headers: { cookie } });
    if (r.status !== 200 || !r.body) throw new Error(`export answered ${r.status}`);
    let bytes = 0;
    let lines = 0;
    let firstByte = 0;
    for await (const chunk of r.body) {
      if (!firstByte) firstByte = performance.now() - t0;
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
    }
    const secs = (performance.now() - t0) / 1000;
    clearInterval(poll);
    const after = memoryOf(server.pid);
    console.log(`\naudit CSV export (Resource audit, every row), size ${a.size}; ${machine()}\n`);
    console.log(
      table(
        ["rows", "size", "time", "first byte", "rows/s", "RSS idle", "RSS peak (polled)", "VmHWM after", "load avg"],
        [
          [
            (lines - 1).toLocaleString("en"),
            `${(bytes / 2 ** 20).toFixed(0)} MB`,
            `${secs.toFixed(1)} s`,
            `${ms(firstByte)} ms`,
            Math.round((lines - 1) / secs),
            `${Math.round(idle.rssKb / 1024)} MB`,
            `${Math.round(peak / 1024)} MB`,
            `${Math.round(after.hwmKb / 1024)} MB`,
            `${l0} → ${loadavg()}`,
          ],
        ],
      ),
    );
  } finally {
    await server.stop();
  }
}

/**
 * `npm run drill:pg-restart [-- --seconds 40 --restarts 3 --workers 4]`: the PostgreSQL restart drill.
 * Starts its OWN throwaway cluster (initdb + pg_ctl from /usr/lib/postgresql/15/bin, as the postgres OS
 * user, on a free port in a temp dir; never the machine's shared server), runs the app's createUser use
 * case from several workers while restarting the cluster (fast and immediate shutdowns), then checks that
 * every acknowledged request is in the database exactly once (the user and its "Add user" audit row) and
 * that the audit chain verifies. Bounded: a hard deadline stops everything. Exit 1 on any loss/duplicate.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/lib/pim/sql-rows";
import { openDb } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { bootstrapFirstAdmin } from "@/db/bootstrap";
import { verifyAuditChain } from "@/lib/pim/audit";
import { createUser } from "@/lib/pim/use-cases/create-user";
import type { Actor } from "@/lib/pim/context";

const BIN = process.env.PG_BIN || "/usr/lib/postgresql/15/bin";
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });

const asPostgres = (cmd: string, args: string[]) =>
  execFileSync("runuser", ["-u", "postgres", "--", path.join(BIN, cmd), ...args], { stdio: "pipe", timeout: 60_000 });

async function main() {
  const seconds = arg("seconds", 40);
  const restarts = arg("restarts", 3);
  const workers = arg("workers", 4);
  const deadline = setTimeout(
    () => {
      console.error("drill: hard deadline reached; stopping");
      cleanup();
      process.exit(3);
    },
    (seconds + 120) * 1000,
  );
  deadline.unref();

  // postgres.js 3.4.9 can throw from a timer when a socket dies mid-write during a restart
  // (connection.js nextWrite: "Cannot read properties of null (reading 'write')"). Count it, keep going,
  // and always stop our cluster.
  let driverCrashes = 0;
  process.on("uncaughtException", (err) => {
    driverCrashes++;
    if (driverCrashes === 1) console.log(`driver threw outside any request: ${err.message}`);
  });
  process.on("exit", () => cleanup());
  const dir = mkdtempSync(path.join(tmpdir(), "pim-drill-"));
  chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  const port = await freePort();
  let started = false;
  const pgctl = (...a: string[]) => asPostgres("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), ...a]);
  function cleanup() {
    if (started) {
      started = false;
      try {
        pgctl("stop", "-m", "immediate", "-w");
      } catch {
        /* already down */
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }

  try {
    asPostgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`;
    pgctl("start", "-w", "-o", opts);
    started = true;
    const base = `postgres://postgres@127.0.0.1:${port}`;
    const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
    await admin`create database drill`;
    await admin.end();
    console.log(`Own PostgreSQL 15 cluster on 127.0.0.1:${port} (${data}).`);

    const handle = await openDb({ url: `${base}/drill`, max: workers + 2 });
    await migrateDb(handle);
    await bootstrapFirstAdmin(handle.db, {
      tenantName: "Drill",
      email: "drill-admin@drill.test",
      password: "drill-admin-password-1",
      displayName: "Drill Admin",
    });
    // The bootstrap's Global Administrator acts.
    const [ga] = rowsOf<{ id: string }>(
      await handle.db.execute(sql`select id from users where user_principal_name = 'drill-admin@drill.test'`),
    );
    if (!ga) throw new Error("drill: bootstrap admin missing");
    const actor: Actor = { id: ga.id, type: "User", displayName: "Drill Admin" };
    const ctx = { db: handle.db, now: () => new Date() };
    // The drill measures durability, not password hashing: a cheap stand-in hash (these users never sign in).
    const deps = { hashPassword: async (p: string) => `drill:${p.length}` };

    let sent = 0;
    const acked = new Map<string, string>();
    const failed: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const upn = `drill-${w}-${i}@drill.test`;
        sent++;
        try {
          const u = await createUser(
            ctx,
            actor,
            { displayName: `Drill ${w}-${i}`, userPrincipalName: upn, password: "drill-password-123" },
            deps,
          );
          acked.set(upn, u.id);
        } catch (err) {
          failed.push(`${upn}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
          await new Promise((r) => setTimeout(r, 100)); // the server is restarting: back off a little
        }
      }
    };
    const running = Array.from({ length: workers }, (_, w) => worker(w));
    const gap = (seconds * 1000) / (restarts + 1);
    for (let r = 0; r < restarts; r++) {
      await new Promise((res) => setTimeout(res, gap));
      const mode = r % 2 === 0 ? "fast" : "immediate";
      const t0 = Date.now();
      pgctl("restart", "-w", "-m", mode, "-o", opts);
      console.log(
        `restart ${r + 1}/${restarts} (${mode} shutdown) took ${Date.now() - t0} ms; acknowledged so far ${acked.size}`,
      );
    }
    await new Promise((res) => setTimeout(res, gap));
    stop = true;
    await Promise.all(running);

    // Every acknowledged request: its user exactly once and its "Add user" audit row exactly once.
    const check = postgres(`${base}/drill`, { max: 1, onnotice: () => {} });
    const users = await check<{ upn: string; id: string; n: number }[]>`
      select user_principal_name as upn, min(id::text) as id, count(*)::int as n from users
      where user_principal_name like 'drill-%' group by 1`;
    const audits = await check<{ id: string; n: number }[]>`
      select target_id::text as id, count(*)::int as n from audit_events
      where operation = 'user.create' and result = 'success' group by 1`;
    await check.end();
    const userCount = new Map(users.map((u) => [u.upn, u.n]));
    const auditCount = new Map(audits.map((a) => [a.id, a.n]));
    let exactlyOnce = 0;
    const problems: string[] = [];
    for (const [upn, id] of acked) {
      const nu = userCount.get(upn) ?? 0;
      const na = auditCount.get(id) ?? 0;
      if (nu === 1 && na === 1) exactlyOnce++;
      else problems.push(`${upn}: ${nu} user rows, ${na} audit rows`);
    }
    const committedUnacked = users.filter((u) => !acked.has(u.upn)).length;
    const v = await verifyAuditChain(handle.db);
    await handle.close();

    console.log(`requests sent ${sent}, succeeded ${acked.size}, failed ${failed.length} (during restarts)`);
    console.log(`acknowledged and found exactly once (user + audit row): ${exactlyOnce} of ${acked.size}`);
    console.log(`committed but not acknowledged (connection lost at commit): ${committedUnacked}`);
    console.log(`driver exceptions outside any request (postgres.js, uncaught): ${driverCrashes}`);
    console.log(`audit chain: ${v.ok ? "verifies" : "BROKEN"} (${v.checked} rows, ${v.breakCount} breaks)`);
    if (failed.length) console.log(`first failure: ${failed[0]}`);
    for (const p of problems.slice(0, 20)) console.log(`PROBLEM ${p}`);
    process.exitCode = problems.length === 0 && v.ok && acked.size > 0 ? 0 : 1;
  } finally {
    cleanup();
    clearTimeout(deadline);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});

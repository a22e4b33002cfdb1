/**
 * SMTP outage drill (`npm run drill:smtp`): emails queued while the mail server is down arrive once it is
 * back, each exactly once.
 *
 * 1. Starts a real SMTP sink (smtp-server) on a free 127.0.0.1 port and a scratch database (PGlite in
 *    memory, or a new PostgreSQL database from DRILL_DATABASE_URL, dropped afterwards).
 * 2. Sends N self-activation requests through the use case (each queues one notification event; the
 *    delivery worker fans it out to the holder and the Global Administrator, both by email).
 * 3. Delivers the first half with the sink up, stops the sink in the middle of the second half, keeps the
 *    worker running against the dead port for DRILL_OUTAGE_MS, restarts the sink on the same port, and lets
 *    the worker retry (its clock moved past each backoff, so the drill does not wait for real hours).
 * 4. Counts what the sink received by Message-ID: every queued email exactly once, none missing.
 *   npm run drill:smtp                       (N = 40)
 *   npm run drill:smtp -- --n=200
 * Bounded: gives up after DRILL_TIMEOUT_MS (default 120 s) with exit code 3. Exit code 1 when any email is
 * missing or duplicated.
 */
import net from "node:net";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { SMTPServer } from "smtp-server";
import { openDb, type DbHandle } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { seedBuiltins } from "@/db/seed";
import { notifications, roleAssignmentSchedules, roleEligibilitySchedules, users } from "@/db/schema";
import { deliverDue } from "@/lib/notify/deliver";
import { smtpTransport } from "@/lib/notify/transport";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { activateRole } from "@/lib/pim/use-cases/activate-role";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const N = Number(arg("n") ?? 40);
const OUTAGE_MS = Number(process.env.DRILL_OUTAGE_MS ?? 3000);
const TIMEOUT_MS = Number(process.env.DRILL_TIMEOUT_MS ?? 120_000);
const DOMAIN = "drill.pim.local";

type Sink = { port: number; stop: () => Promise<void> };

/** A real SMTP server that records each message's Message-ID (the worker sets `<notification id@domain>`). */
async function startSink(port: number, seen: Map<string, number>): Promise<Sink> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, cb) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (c: string) => (raw += c));
      stream.on("end", () => {
        const head = (raw.split(/\r?\n\r?\n/)[0] ?? "").replace(/\r?\n[ \t]+/g, " ");
        const id = /^Message-ID:[ \t]*(.*)$/im.exec(head)?.[1]?.trim() ?? "(none)";
        seen.set(id, (seen.get(id) ?? 0) + 1);
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actual = (server.server.address() as net.AddressInfo).port;
  return {
    port: actual,
    // Stop listening and drop open connections: an outage, not a polite shutdown.
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        const conns = (server as unknown as { connections?: Set<{ close?: () => void }> }).connections;
        for (const c of conns ?? []) c.close?.();
      }),
  };
}

async function scratchDb(): Promise<{ handle: DbHandle; drop: () => Promise<void>; where: string }> {
  const base = process.env.DRILL_DATABASE_URL;
  if (!base) {
    const handle = await openDb({ pgliteDir: "memory://" });
    return { handle, drop: handle.close, where: "PGlite (memory)" };
  }
  const name = `pim_drill_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDb({ url: url.toString(), max: 4 });
  return {
    handle,
    where: `PostgreSQL (${url.host}, scratch database)`,
    drop: async () => {
      await handle.close();
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

async function main() {
  const started = Date.now();
  const seen = new Map<string, number>();
  const db = await scratchDb();
  let sink: Sink | null = null;
  try {
    await migrateDb(db.handle);
    const d = db.handle.db;
    await seedBuiltins(d, "Drill");
    let t = new Date("2026-11-22T09:00:00Z").getTime();
    const now = () => new Date(t);
    const gaId = "00000000-0000-4000-a000-000000000001";
    await d.insert(users).values({
      id: gaId,
      displayName: "Grace Admin",
      userPrincipalName: "grace@drill.test",
      mail: "grace@drill.test",
    });
    await d.insert(roleAssignmentSchedules).values({
      principalId: gaId,
      principalType: "User",
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      assignmentType: "Assigned",
      startDateTime: new Date(t - 86_400_000),
    });
    const people = Array.from({ length: N }, (_, i) => ({
      id: `00000000-0000-4000-b000-${(i + 1).toString(16).padStart(12, "0")}`,
      displayName: `Member ${i + 1}`,
      userPrincipalName: `member${i + 1}@drill.test`,
      mail: `member${i + 1}@drill.test`,
    }));
    await d.insert(users).values(people);
    await d.insert(roleEligibilitySchedules).values(
      people.map((p) => ({
        principalId: p.id,
        principalType: "User" as const,
        roleDefinitionId: USER_ADMINISTRATOR,
        startDateTime: new Date(t - 86_400_000),
      })),
    );

    sink = await startSink(0, seen);
    const port = sink.port;
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`);
    const deliver = () => deliverDue(d, now(), { transport, from: "PIM <pim@drill.test>", messageIdDomain: DOMAIN });
    let sent = 0;
    let succeeded = 0;
    const activate = async (p: (typeof people)[number]) => {
      sent++;
      try {
        await activateRole(
          { db: d, now },
          { id: p.id, type: "User", displayName: p.displayName, mfaAt: now() },
          {
            roleDefinitionId: USER_ADMINISTRATOR,
            justification: "SMTP outage drill",
            durationMinutes: 60,
          },
        );
        succeeded++;
      } catch (err) {
        console.error(`activation of ${p.displayName} refused: ${String(err)}`);
      }
    };

    const half = Math.floor(N / 2);
    // 1. mail server up: the first half is delivered as it comes
    for (const p of people.slice(0, half)) await activate(p);
    const before = await deliver();
    // 2. the second half; the mail server goes down in the middle of it
    for (const p of people.slice(half, half + Math.floor((N - half) / 2))) await activate(p);
    await sink.stop();
    sink = null;
    const outageStart = Date.now();
    for (const p of people.slice(half + Math.floor((N - half) / 2))) await activate(p);
    let retriedDuringOutage = 0;
    let passesDuringOutage = 0;
    do {
      t += 60_000;
      const r = await deliver();
      retriedDuringOutage += r.retried;
      passesDuringOutage++;
      await new Promise((res) => setTimeout(res, 250));
    } while (Date.now() - outageStart < OUTAGE_MS);
    // 3. the mail server is back on the same port; the worker retries after each backoff
    sink = await startSink(port, seen);
    let passes = 0;
    for (;;) {
      t += 2 * 3_600_000; // past any backoff (at most an hour)
      const r = await deliver();
      passes++;
      const [left] = await d.select({ n: sqlCount() }).from(notifications).where(notInFinalState());
      if (Number(left?.n ?? 0) === 0 && r.claimed === 0) break;
      if (Date.now() - started > TIMEOUT_MS) throw new TimeoutError();
    }

    const rows = await d
      .select({ id: notifications.id, status: notifications.status, email: notifications.recipientEmail })
      .from(notifications);
    const emails = rows.filter((r) => r.email);
    const ids = emails.map((r) => `<${r.id}@${DOMAIN}>`);
    const once = ids.filter((id) => seen.get(id) === 1).length;
    const missing = ids.filter((id) => !seen.has(id)).length;
    const twice = ids.filter((id) => (seen.get(id) ?? 0) > 1).length;
    const strangers = [...seen.keys()].filter((id) => !ids.includes(id)).length;
    const summary = {
      database: db.where,
      smtpPort: port,
      requestsSent: sent,
      requestsSucceeded: succeeded,
      emailsQueued: emails.length,
      deliveredBeforeOutage: before.sent,
      outageMs: OUTAGE_MS,
      passesDuringOutage,
      retriedDuringOutage,
      passesAfterRestart: passes,
      foundExactlyOnce: once,
      missing,
      duplicated: twice,
      unexpected: strangers,
      statuses: Object.fromEntries(
        [...new Set(emails.map((r) => r.status))].map((s) => [s, emails.filter((r) => r.status === s).length]),
      ),
      tookMs: Date.now() - started,
    };
    console.log(JSON.stringify(summary, null, 2));
    const ok = succeeded === sent && missing === 0 && twice === 0 && strangers === 0 && once === emails.length;
    console.log(
      ok
        ? `OK: ${sent} requests sent, ${succeeded} succeeded, ${emails.length} emails queued, ${once} found exactly once.`
        : "FAILED: see the counts above.",
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await sink?.stop();
    await db.drop();
  }
}

class TimeoutError extends Error {
  constructor() {
    super(`the drill did not finish within ${TIMEOUT_MS} ms`);
  }
}

const sqlCount = () => sql<number>`count(*)::int`;
const notInFinalState = () =>
  sql`${notifications.recipientEmail} is not null and ${notifications.status} in ('pending', 'sending')`;

const guard = setTimeout(() => {
  console.error(`FAILED: the drill did not finish within ${TIMEOUT_MS} ms.`);
  process.exit(3);
}, TIMEOUT_MS + 5_000);
guard.unref();

main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((err) => {
    console.error(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof TimeoutError ? 3 : 1);
  });

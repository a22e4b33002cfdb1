import { fanOutEvents } from "@/lib/pim/notifications/fan-out";
import { TEST_BASE_URL } from "@/test/fixtures/notifications";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { and, eq, sql } from "drizzle-orm";
import { auditEvents, notificationEvents, notifications, roleAssignmentSchedules } from "@/db/schema";
import { createTestDb, hours, usingPostgres } from "@/test/db";
import { expireDue } from "@/lib/pim/use-cases/expire-due";
import { activation, seedPeople } from "@/test/fixtures/notifications";

const t0 = new Date("2026-11-22T09:00:00Z");
const N = 120;
let h: Awaited<ReturnType<typeof createTestDb>>;

beforeAll(async () => {
  h = await createTestDb();
  await seedPeople(h.db, t0);
  for (let i = 0; i < N; i++) await activation(h.db, t0, new Date(t0.getTime() + hours(1) + i * 1000));
});
afterAll(async () => h.drop());

/** `npm run worker -- --once --now=…` as a real child process on the same database. */
function worker(url: string, now: Date): Promise<{ code: number; out: string; err: string }> {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(
      path.join(root, "node_modules/.bin/tsx"),
      ["scripts/worker.ts", "--once", "--batch-size=7", `--now=${now.toISOString()}`],
      {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: url,
          PIM_TEST_CLOCK: "1",
          SMTP_URL: "",
          CRON_SECRET: "",
          PIM_DEMO_MODE: "",
        },
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => resolve({ code: code ?? 1, out, err }));
  });
}

const count = async (where: ReturnType<typeof sql>) => {
  const [row] = await h.db
    .select({ n: sql<number>`count(*)::int` })
    .from(roleAssignmentSchedules)
    .where(where);
  return row?.n ?? 0;
};

describe("expireDue called by two at the same moment", () => {
  it("handles each due activation exactly once (two processes on PostgreSQL; two callers on PGlite)", async () => {
    const later = new Date(t0.getTime() + hours(3));
    if (usingPostgres) {
      const [a, b] = await Promise.all([worker(h.url!, later), worker(h.url!, later)]);
      expect(a.err + b.err).toBe("");
      expect([a.code, b.code]).toEqual([0, 0]);
      JSON.parse(a.out.trim().split("\n").pop() ?? "");
      JSON.parse(b.out.trim().split("\n").pop() ?? "");
    } else {
      const ctx = { db: h.db, now: () => later };
      await Promise.all([expireDue(ctx, { batchSize: 7 }), expireDue(ctx, { batchSize: 7 })]);
      await Promise.all([
        fanOutEvents(h.db, later, { baseUrl: TEST_BASE_URL, batchSize: 7 }),
        fanOutEvents(h.db, later, { baseUrl: TEST_BASE_URL, batchSize: 7 }),
      ]);
    }
    // one notification event per expiry, each fanned out (by the workers' delivery pass)
    const [events] = await h.db
      .select({ n: sql<number>`count(*)::int`, open: sql<number>`count(*) filter (where fanned_out_at is null)::int` })
      .from(notificationEvents);
    expect(events).toEqual({ n: N, open: 0 });
    expect(await count(sql`${roleAssignmentSchedules.status} = 'Expired'`)).toBe(N);
    // one expiry audit row and one "expired" notice per activation, never two
    const [audits] = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvents)
      .where(sql`${auditEvents.activity} ilike '%expired%'`);
    expect(audits?.n).toBe(N);
    const [notices] = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.eventType, "expired")));
    expect(notices?.n).toBe(N);
    // idempotent: nothing left
    const again = await expireDue({ db: h.db, now: () => later }, { batchSize: 50 });
    expect(Object.values(again as Record<string, unknown>).filter((v) => typeof v === "number" && v > 0)).toEqual([]);
  });
});

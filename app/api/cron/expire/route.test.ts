import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { notifications, roleAssignmentSchedules } from "@/db/schema";
import { createTestDb, hours, minutes } from "@/test/db";
import { resetEnvCache } from "@/lib/env";
import { handleCron } from "@/lib/notify/cron-handler";
import { startSmtpSink } from "@/test/smtp-sink";
import { smtpTransport } from "@/lib/notify/transport";
import { activation, email, seedPeople } from "@/test/fixtures/notifications";
import { GET, POST } from "./route";

const t0 = new Date("2026-11-22T09:00:00Z");
const SECRET = "cron-secret-for-tests-0123456789";
let h: Awaited<ReturnType<typeof createTestDb>>;
const saved = {
  CRON_SECRET: process.env.CRON_SECRET,
  SMTP_URL: process.env.SMTP_URL,
};

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

const req = (auth: string | null, query = "", method = "GET") =>
  new Request(`http://localhost/api/cron/expire${query}`, {
    method,
    headers: auth === null ? {} : { authorization: auth },
  });

/** Sum of every number in the job's expire counts. */
const total = (counts: unknown) =>
  Object.values(counts as Record<string, unknown>).reduce<number>((s, v) => s + (typeof v === "number" ? v : 0), 0);

beforeAll(async () => {
  h = await createTestDb();
  await seedPeople(h.db, t0);
});
afterAll(async () => {
  setEnv(saved);
  await h.drop();
});
afterEach(() => setEnv({ ...saved, SMTP_URL: undefined }));

const statusOf = async (id: string) =>
  (
    await h.db
      .select({ s: roleAssignmentSchedules.status })
      .from(roleAssignmentSchedules)
      .where(eq(roleAssignmentSchedules.id, id))
  )[0]?.s;

describe("cron route /api/cron/expire", () => {
  it("fails closed: secret unset → 503, missing or wrong bearer → 401, and nothing is done", async () => {
    const a = await activation(h.db, t0, new Date(t0.getTime() + hours(1)));
    const later = new Date(t0.getTime() + hours(2));
    const ctx = async () => ({ db: h.db, now: () => later });

    setEnv({ CRON_SECRET: undefined, SMTP_URL: undefined });
    expect((await handleCron(req(`Bearer ${SECRET}`), ctx)).status).toBe(503);
    expect((await GET(req(`Bearer ${SECRET}`))).status).toBe(503);
    expect((await POST(req("Bearer ", "", "POST"))).status).toBe(503);

    setEnv({ CRON_SECRET: SECRET });
    for (const auth of [
      null,
      "",
      "Bearer",
      `Bearer ${SECRET}x`,
      `bearer ${SECRET}`,
      SECRET,
      `Bearer ${SECRET.slice(0, -1)}`,
    ]) {
      const res = await handleCron(req(auth), ctx);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "Unauthorized" } });
    }
    expect((await GET(req("Bearer wrong"))).status).toBe(401);
    expect((await POST(req(null, "", "POST"))).status).toBe(401);
    expect(await statusOf(a.id)).toBe("Provisioned");
    expect(await h.db.select().from(notifications)).toHaveLength(0);
  });

  it("with the secret: records the expiry, queues and sends the notice; a second call returns zero counts", async () => {
    setEnv({ CRON_SECRET: SECRET });
    const sink = await startSmtpSink();
    try {
      await h.db.delete(notifications);
      const a = await activation(h.db, t0, new Date(t0.getTime() + hours(1)));
      const later = new Date(t0.getTime() + hours(3));
      const ctx = async () => ({ db: h.db, now: () => later });
      const opts = { transport: smtpTransport(sink.url) };

      const first = await handleCron(req(`Bearer ${SECRET}`, "", "POST"), ctx, opts);
      expect(first.status).toBe(200);
      const body = (await first.json()) as { ok: boolean; now: string; expire: unknown; delivery: { sent: number } };
      expect(body.ok).toBe(true);
      expect(body.now).toBe(later.toISOString());
      expect(total(body.expire)).toBeGreaterThanOrEqual(1);
      expect(await statusOf(a.id)).toBe("Expired");
      expect(body.delivery.sent).toBeGreaterThanOrEqual(1);
      const expiredMail = sink.received.filter(
        (m) => m.subject === "PIM: Your active User Administrator assignment has expired",
      );
      expect(expiredMail.map((m) => m.to[0])).toContain(email("carol"));

      const second = await handleCron(req(`Bearer ${SECRET}`), ctx, opts);
      const body2 = (await second.json()) as { expire: unknown; delivery: { claimed: number } };
      expect(total(body2.expire)).toBe(0);
      expect(body2.delivery.claimed).toBe(0);
    } finally {
      await sink.close();
    }
  });

  it("runs at the context's clock and takes no time from the query string", async () => {
    const a = await activation(h.db, t0, new Date(t0.getTime() + minutes(30)));
    const at = new Date(t0.getTime() + hours(1));
    setEnv({ CRON_SECRET: SECRET });
    const before = async () => ({ db: h.db, now: () => t0 });
    const ignored = (await (await handleCron(req(`Bearer ${SECRET}`, `?now=${at.toISOString()}`), before)).json()) as {
      now: string;
    };
    expect(ignored.now).toBe(t0.toISOString());
    expect(await statusOf(a.id)).toBe("Provisioned");

    const after = async () => ({ db: h.db, now: () => at });
    const used = (await (await handleCron(req(`Bearer ${SECRET}`), after)).json()) as { now: string };
    expect(used.now).toBe(at.toISOString());
    expect(await statusOf(a.id)).toBe("Expired");
  });
});

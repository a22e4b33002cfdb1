import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { notifications } from "@/db/schema";
import { openDb } from "@/db/client";
import { createTestDb, hours, minutes, usingPostgres } from "@/test/db";
import { emitNotification } from "@/lib/pim/notifications/emit";
import { activation, email, ids, outbox, pendingRequest, seedPeople } from "@/test/fixtures/notifications";
import { deliverDue, retryDelayMs, type MailTransport } from "./deliver";
import { smtpTransport } from "./transport";
import { freePort, startSmtpSink, type ReceivedMail, type SmtpSink } from "@/test/smtp-sink";

const t0 = new Date("2026-11-22T09:00:00Z");
const FROM = "PIM Portal <pim@contoso.test>";
let h: Awaited<ReturnType<typeof createTestDb>>;
let sink: SmtpSink | null = null;

beforeAll(async () => {
  h = await createTestDb();
  await seedPeople(h.db, t0);
});
afterAll(async () => h.drop());
beforeEach(async () => {
  await h.db.delete(notifications);
});
afterEach(async () => {
  await sink?.close();
  sink = null;
});

async function queueActivationNotices(at = t0) {
  const a = await activation(h.db, at, new Date(at.getTime() + hours(4)));
  await h.db.transaction((tx) =>
    emitNotification(tx, at, { type: "roleActivated", scheduleId: a.id, requestId: null }),
  );
}

const countBy = (mail: ReceivedMail[]) => {
  const m = new Map<string, number>();
  for (const r of mail) m.set(r.notificationId, (m.get(r.notificationId) ?? 0) + 1);
  return m;
};

describe("deliverDue against a real SMTP server", () => {
  it("sends each queued notice to the right address with subject, text and HTML; a second pass sends nothing", async () => {
    sink = await startSmtpSink();
    const r = await pendingRequest(h.db, t0, [{ mode: "anyOne", approvers: [{ type: "User", id: ids.dave }] }]);
    await h.db.transaction((tx) => emitNotification(tx, t0, { type: "activationPendingApproval", requestId: r.id }));
    await queueActivationNotices();

    const res = await deliverDue(h.db, t0, { transport: smtpTransport(sink.url), from: FROM });
    expect(res).toMatchObject({ claimed: 4, sent: 4, retried: 0, failed: 0 });
    const got = sink.received.map((m) => `${m.to.join(",")} | ${m.subject}`).sort();
    expect(got).toEqual(
      [
        `${email("dave")} | PIM: Carol User requests approval to activate User Administrator`,
        `${email("alice")} | PIM: Carol User activated User Administrator`,
        `${email("bob")} | PIM: Carol User activated User Administrator`,
        `${email("carol")} | PIM: Your User Administrator role is active`,
      ].sort(),
    );
    const approval = sink.received.find((m) => m.to[0] === email("dave"));
    expect(approval?.raw).toContain("text/html");
    expect(approval?.raw).toContain("text/plain");
    expect(approval?.decoded).toContain(`href="http://localhost:3000/approve-requests?request=${r.id}"`);
    expect(approval?.from).toBe("pim@contoso.test");
    for (const row of await outbox(h.db)) expect(row).toMatchObject({ status: "sent", attempts: 1, sentAt: t0 });

    const again = await deliverDue(h.db, t0, { transport: smtpTransport(sink.url), from: FROM });
    expect(again.claimed).toBe(0);
    expect(sink.received).toHaveLength(4);
  });

  it("with the SMTP server down, messages wait with backoff and are all delivered once it is back, none twice", async () => {
    const port = await freePort();
    const url = `smtp://127.0.0.1:${port}`;
    await queueActivationNotices();
    await queueActivationNotices();
    const queued = (await outbox(h.db)).filter((r) => r.recipientEmail).length;
    expect(queued).toBe(6);

    const down = await deliverDue(h.db, t0, { transport: smtpTransport(url), from: FROM });
    expect(down).toMatchObject({ claimed: 6, sent: 0, retried: 6, failed: 0 });
    for (const row of await outbox(h.db)) {
      expect(row.status).toBe("pending");
      expect(row.attempts).toBe(1);
      expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + minutes(1));
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
    }
    // not due yet: nothing is tried again before the backoff
    expect((await deliverDue(h.db, t0, { transport: smtpTransport(url), from: FROM })).claimed).toBe(0);
    // second failure doubles the wait
    await deliverDue(h.db, new Date(t0.getTime() + minutes(1)), { transport: smtpTransport(url), from: FROM });
    for (const row of await outbox(h.db))
      expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + minutes(1) + minutes(2));

    sink = await startSmtpSink(port);
    const later = new Date(t0.getTime() + minutes(3));
    const back = await deliverDue(h.db, later, { transport: smtpTransport(url), from: FROM });
    expect(back).toMatchObject({ sent: 6, retried: 0 });
    expect(
      await deliverDue(h.db, new Date(later.getTime() + hours(2)), { transport: smtpTransport(url), from: FROM }),
    ).toMatchObject({ claimed: 0 });
    expect(sink.received).toHaveLength(6);
    expect([...countBy(sink.received).values()].every((n) => n === 1)).toBe(true);
    for (const row of (await outbox(h.db)).filter((r) => r.recipientEmail))
      expect(row).toMatchObject({ status: "sent", attempts: 3 });
  });

  it("two delivery workers at the same time never send one message twice", async () => {
    sink = await startSmtpSink();
    for (let i = 0; i < 15; i++) await queueActivationNotices(); // 45 emails
    await outbox(h.db, t0); // fanned out first: this race is about claiming the emails
    const second = usingPostgres ? await openDb({ url: h.url, max: 5 }) : null;
    try {
      const smtp = smtpTransport(sink.url)!;
      // A rendezvous, so the race is real whatever the machine's speed: neither worker's first email leaves
      // before the other worker has claimed emails of its own and starts sending them (one fast worker could
      // otherwise send all 45 before the other's first query).
      const started = { a: () => {}, b: () => {} };
      const go = {
        a: new Promise<void>((r) => (started.a = r)),
        b: new Promise<void>((r) => (started.b = r)),
      };
      const meeting = (mine: () => void, other: Promise<void>): MailTransport => ({
        sendMail: async (m) => {
          mine();
          await other;
          return smtp.sendMail(m);
        },
      });
      const opts = { from: FROM, batchSize: 5, concurrency: 3 };
      const [a, b] = await Promise.all([
        deliverDue(h.db, t0, { ...opts, transport: meeting(started.a, go.b) }),
        deliverDue(second?.db ?? h.db, t0, { ...opts, transport: meeting(started.b, go.a) }),
      ]);
      expect(a.sent + b.sent).toBe(45);
      // both workers did part of the job
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
    } finally {
      await second?.close();
    }
    expect(sink.received).toHaveLength(45);
    const counts = countBy(sink.received);
    expect(counts.size).toBe(45);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it("a refused mailbox (550) fails at once; repeated transient errors fail after the last attempt", async () => {
    sink = await startSmtpSink();
    sink.reject.add(email("alice"));
    await queueActivationNotices();
    const res = await deliverDue(h.db, t0, { transport: smtpTransport(sink.url), from: FROM });
    expect(res).toMatchObject({ sent: 2, failed: 1 });
    const [alice] = (await outbox(h.db)).filter((r) => r.recipientUserId === ids.alice);
    expect(alice).toMatchObject({ status: "failed", attempts: 1 });
    expect(alice?.lastError).toMatch(/550|Mailbox unavailable/);

    await h.db.delete(notifications);
    await queueActivationNotices();
    const flaky: MailTransport = { sendMail: async () => Promise.reject(new Error("421 try later")) };
    let now = t0;
    for (let i = 0; i < 3; i++) {
      await deliverDue(h.db, now, { transport: flaky, from: FROM, maxAttempts: 3 });
      now = new Date(now.getTime() + hours(1));
    }
    for (const row of (await outbox(h.db)).filter((r) => r.recipientEmail))
      expect(row).toMatchObject({ status: "failed", attempts: 3 });
  });

  it("reclaims rows whose lease ran out, leaves live leases alone, and sends nothing without a transport", async () => {
    sink = await startSmtpSink();
    await queueActivationNotices();
    expect(await deliverDue(h.db, t0, { transport: null, from: FROM })).toMatchObject({ claimed: 0 });
    const rows = (await outbox(h.db)).filter((r) => r.recipientEmail);
    expect(rows.every((r) => r.status === "pending")).toBe(true);
    const [dead, live] = rows;
    await h.db
      .update(notifications)
      .set({ status: "sending", attempts: 1, lockedUntil: new Date(t0.getTime() - 1) })
      .where(eq(notifications.id, dead!.id));
    await h.db
      .update(notifications)
      .set({ status: "sending", attempts: 1, lockedUntil: new Date(t0.getTime() + minutes(5)) })
      .where(eq(notifications.id, live!.id));
    const res = await deliverDue(h.db, t0, { transport: smtpTransport(sink.url), from: FROM });
    expect(res).toMatchObject({ reclaimed: 1, sent: 2 });
    expect(sink.received.map((m) => m.notificationId)).not.toContain(live!.id);
    const after = await outbox(h.db);
    expect(after.find((r) => r.id === live!.id)?.status).toBe("sending");
    expect(after.find((r) => r.id === dead!.id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("does not send emails queued longer ago than the delivery window", async () => {
    sink = await startSmtpSink();
    await queueActivationNotices(new Date(t0.getTime() - hours(24 * 8)));
    const res = await deliverDue(h.db, t0, { transport: smtpTransport(sink.url), from: FROM });
    expect(res).toMatchObject({ stale: 3, sent: 0 });
    expect(sink.received).toHaveLength(0);
  });

  it("backs off exponentially with a cap", () => {
    expect([1, 2, 3, 4, 7, 8, 20].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 2, 4, 8, 60, 60, 60]);
  });
});

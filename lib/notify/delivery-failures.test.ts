import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { notifications } from "@/db/schema";
import { createTestDb, hours } from "@/test/db";
import type { Actor } from "@/lib/pim/context";
import { emitNotification } from "@/lib/pim/notifications/emit";
import { listDeliveryProblems, unreadCount } from "@/lib/pim/notifications/inbox";
import { retryDeliveries } from "@/lib/pim/use-cases/retry-deliveries";
import { activation, email, ids, outbox, seedPeople } from "@/test/fixtures/notifications";
import { DELIVERY_DEFAULTS, retryDelayMs } from "./deliver";
import { runJobs } from "./jobs";
import { smtpTransport } from "./transport";
import { freePort, startSmtpSink } from "@/test/smtp-sink";

const t0 = new Date("2026-11-22T09:00:00Z");
const actor = (id: string): Actor => ({ id, type: "User", displayName: id });

describe("after the last failed attempt an email is marked failed and shown to admins", () => {
  let h: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    h = await createTestDb();
    await seedPeople(h.db, t0);
  });
  afterAll(async () => h.drop());

  it("SMTP on a closed port: 8 attempts with backoff through the job, then failed; GA/PRA see it, retry, and it is sent once", async () => {
    const port = await freePort(); // nothing listens here until the sink starts below
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`);
    const a = await activation(h.db, t0, new Date(t0.getTime() + hours(24))); // ends after this test's clock
    await h.db.transaction((tx) =>
      emitNotification(tx, t0, { type: "roleActivated", scheduleId: a.id, requestId: null }),
    );
    const toCarol = (await outbox(h.db)).find((r) => r.recipientEmail === email("carol"));
    expect(toCarol?.status).toBe("pending");

    let now = t0;
    for (let attempt = 1; attempt <= DELIVERY_DEFAULTS.maxAttempts; attempt++) {
      const r = await runJobs({ db: h.db, now: () => now }, { transport });
      const [row] = await h.db.select().from(notifications).where(eq(notifications.id, toCarol!.id));
      expect(row?.attempts).toBe(attempt);
      expect(row?.lastError).toMatch(/ECONNREFUSED|connect/i);
      if (attempt < DELIVERY_DEFAULTS.maxAttempts) {
        expect(row?.status).toBe("pending");
        expect(r.delivery.failed).toBe(0);
        // Not tried again before its backoff has passed.
        const early = await runJobs(
          { db: h.db, now: () => new Date(now.getTime() + retryDelayMs(attempt) - 1000) },
          { transport },
        );
        expect(early.delivery.claimed).toBe(0);
        now = new Date(now.getTime() + retryDelayMs(attempt));
      } else {
        expect(row?.status).toBe("failed");
        expect(r.delivery.failed).toBe(3); // Carol, and the two admins' alerts
      }
    }
    // Failed rows are never claimed again by the job.
    expect(
      (await runJobs({ db: h.db, now: () => new Date(now.getTime() + hours(2)) }, { transport })).delivery.claimed,
    ).toBe(0);

    const ctx = { db: h.db, now: () => now };
    await expect(listDeliveryProblems(ctx, actor(ids.carol))).rejects.toMatchObject({ code: "Forbidden" });
    const problems = await listDeliveryProblems(ctx, actor(ids.alice));
    expect(problems.map((p) => p.recipientEmail).sort()).toEqual([email("alice"), email("bob"), email("carol")].sort());
    expect(problems.find((p) => p.recipientEmail === email("carol"))).toMatchObject({
      subject: "PIM: Your User Administrator role is active",
      attempts: DELIVERY_DEFAULTS.maxAttempts,
    });
    // The notice itself is still in Carol's portal inbox.
    expect(await unreadCount(h.db, ids.carol)).toBe(1);

    // The mail server is back; a PRA puts the emails back in the queue; the next run sends each once.
    const sink = await startSmtpSink(port);
    try {
      expect(await retryDeliveries(ctx, actor(ids.bob), { ids: problems.map((p) => p.id) })).toBe(3);
      expect(await listDeliveryProblems(ctx, actor(ids.alice))).toEqual([]);
      const sent = await runJobs(ctx, { transport });
      expect(sent.delivery).toMatchObject({ sent: 3, failed: 0 });
      expect((await runJobs(ctx, { transport })).delivery.claimed).toBe(0);
      expect(sink.received.map((m) => m.to.join(",")).sort()).toEqual(
        [email("alice"), email("bob"), email("carol")].sort(),
      );
    } finally {
      await sink.close();
    }
  });
});

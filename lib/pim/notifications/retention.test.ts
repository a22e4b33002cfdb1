import { count as countOf } from "@/test/fixtures/pim";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { notificationBodies, notificationEvents, notifications } from "@/db/schema";
import { createTestDb, hours, usingPostgres } from "@/test/db";
import { activation, ids, seedPeople, TEST_BASE_URL } from "@/test/fixtures/notifications";
import { emitNotification } from "./emit";
import { fanOutEvents } from "./fan-out";
import { noticeText } from "./notice-body";
import { purgeOldNotices } from "./retention";

const t0 = new Date("2026-11-22T09:00:00Z");
const days = (n: number) => new Date(t0.getTime() + n * 86_400_000);
let h: Awaited<ReturnType<typeof createTestDb>>;

const count = (q: ReturnType<typeof sql>) => countOf({ db: h.db, now: () => new Date() }, q);
const tally = async () => ({
  notices: await count(sql`select count(*) n from notifications`),
  events: await count(sql`select count(*) n from notification_events`),
  bodies: await count(sql`select count(*) n from notification_bodies`),
});

/** An activation of Carol's at `at`, its event fanned out then: one notice per admin and one for Carol. */
async function activatedAt(at: Date) {
  const a = await activation(h.db, at, new Date(at.getTime() + hours(4)));
  await h.db.transaction((tx) =>
    emitNotification(tx, at, { type: "roleActivated", scheduleId: a.id, requestId: null }),
  );
  await fanOutEvents(h.db, at, { baseUrl: TEST_BASE_URL });
  return a;
}
const markSent = () => h.db.execute(sql`update notifications set status = 'sent', sent_at = created_at`);

beforeAll(async () => {
  h = await createTestDb();
  await seedPeople(h.db, t0);
});
afterAll(async () => h.drop());
beforeEach(async () => {
  await h.db.delete(notifications);
  await h.db.delete(notificationEvents);
  await h.db.delete(notificationBodies);
});

describe("notice retention (purgeOldNotices, a step of the jobs)", () => {
  it("keeps what is younger than the retention, then deletes delivered notices, fanned-out events and their bodies; never a notice still owed its email", async () => {
    await activatedAt(t0);
    const made = await tally();
    expect(made.notices).toBe(3); // Alice (GA), Bob (PRA), Carol
    expect(made.events).toBe(1);
    expect(made.bodies).toBe(2); // the admins' words and Carol's
    await markSent();
    await h.db.execute(sql`update notifications set status = 'pending' where recipient_user_id = ${ids.alice}::uuid`);

    expect(await purgeOldNotices(h.db, days(89), { retentionDays: 90 })).toEqual({
      notices: 0,
      events: 0,
      bodies: 0,
      done: true,
    });
    expect(await tally()).toEqual(made);

    // Alice's email is still owed: her notice and the admins' body stay, and her notice still reads whole
    expect(await purgeOldNotices(h.db, days(91), { retentionDays: 90 })).toEqual({
      notices: 2,
      events: 1,
      bodies: 1,
      done: true,
    });
    const [left] = await h.db
      .select({ recipient: notifications.recipientUserId, text: noticeText })
      .from(notifications);
    expect(left?.recipient).toBe(ids.alice);
    expect(left?.text).toMatch(/^Hello Alice Admin,/);
    expect(left?.text).toContain("Carol");

    await markSent();
    expect(await purgeOldNotices(h.db, days(91), { retentionDays: 90 })).toEqual({
      notices: 1,
      events: 0,
      bodies: 1,
      done: true,
    });
    expect(await tally()).toEqual({ notices: 0, events: 0, bodies: 0 });
  });

  it("a body a fan-out used again within the retention stays with the younger notices that name it", async () => {
    const a = await activatedAt(t0);
    await markSent();
    const bodiesBefore = await h.db.select().from(notificationBodies);
    // the same event again, 60 days on (a retried emission): no new notice (dedupe), but the bodies are used again
    await h.db.transaction((tx) =>
      emitNotification(tx, days(60), { type: "roleActivated", scheduleId: a.id, requestId: null }),
    );
    await fanOutEvents(h.db, days(60), { baseUrl: TEST_BASE_URL });
    const bodiesAfter = await h.db.select().from(notificationBodies);
    expect(bodiesAfter.map((b) => b.key).sort()).toEqual(bodiesBefore.map((b) => b.key).sort());
    expect(bodiesAfter.every((b) => b.createdAt.getTime() === days(60).getTime())).toBe(true);

    // at day 91 the notices of day 0 and the first event go; the bodies were used on day 60 and stay
    expect(await purgeOldNotices(h.db, days(91), { retentionDays: 90 })).toMatchObject({
      notices: 3,
      events: 1,
      bodies: 0,
    });
    expect((await tally()).bodies).toBe(2);
    // a fan-out dated earlier than a body's time (the day-60 event again, its notices dated day 30) does not move
    // the body back
    await h.db.execute(
      sql`update notification_events set fanned_out_at = null, created_at = ${days(30).toISOString()}::timestamptz`,
    );
    await fanOutEvents(h.db, days(30), { baseUrl: TEST_BASE_URL });
    const kept = await h.db.select().from(notificationBodies);
    expect(kept.every((b) => b.createdAt.getTime() === days(60).getTime())).toBe(true);
    await markSent();
    expect(await purgeOldNotices(h.db, days(151), { retentionDays: 90 })).toEqual({
      notices: 3,
      events: 1,
      bodies: 2,
      done: true,
    });
  });

  it("works in batches, oldest first; bodies wait until the old notices are all gone", async () => {
    await activatedAt(t0);
    await activatedAt(days(1));
    await markSent();
    const first = await purgeOldNotices(h.db, days(92), { retentionDays: 90, batchSize: 2 });
    expect(first).toEqual({ notices: 2, events: 2, bodies: 0, done: false });
    // oldest first: the two deleted were of day 0
    expect(
      await count(sql`select count(*) n from notifications where created_at = ${t0.toISOString()}::timestamptz`),
    ).toBe(1);
    let runs = 1;
    let last = first;
    while (!last.done && runs < 10) {
      last = await purgeOldNotices(h.db, days(92), { retentionDays: 90, batchSize: 2 });
      runs++;
    }
    expect(last.done).toBe(true);
    expect(await tally()).toEqual({ notices: 0, events: 0, bodies: 0 });
  });

  it.skipIf(!usingPostgres)(
    "two instances purging at once delete each row once between them (real parallel transactions)",
    async () => {
      for (let d = 0; d < 6; d++) await activatedAt(days(d));
      await markSent();
      const before = await tally();
      const all = await Promise.all(
        [0, 1, 2, 3].map(() => purgeOldNotices(h.db, days(100), { retentionDays: 90, batchSize: 4 })),
      );
      // then one at a time until a run finds nothing more to do
      for (let r = all[0]; !r?.done || all.length === 4;) {
        r = await purgeOldNotices(h.db, days(100), { retentionDays: 90, batchSize: 4 });
        all.push(r);
      }
      expect(await tally()).toEqual({ notices: 0, events: 0, bodies: 0 });
      // every row was deleted by exactly one of them: the counts add up to what there was
      const sum = (k: "notices" | "events" | "bodies") => all.reduce((n, r) => n + r[k], 0);
      expect({ notices: sum("notices"), events: sum("events"), bodies: sum("bodies") }).toEqual(before);
    },
  );
});

import { count as countOf } from "@/test/fixtures/pim";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_BASE_URL } from "@/test/fixtures/notifications";
import { sql } from "drizzle-orm";
import { notificationEvents, notifications, roleAssignmentSchedules, users } from "@/db/schema";
import { createTestDb, hours } from "@/test/db";
import { GLOBAL_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { emitNotification, emitNotifications } from "./emit";
import { fanOutEvents } from "./fan-out";
import { activation, ids, seedPeople } from "@/test/fixtures/notifications";
import { noticeText } from "./notice-body";

const now = new Date("2026-11-22T09:00:00Z");
const EXTRA_ADMINS = 30;
let h: Awaited<ReturnType<typeof createTestDb>>;

const count = (q: ReturnType<typeof sql>) => countOf({ db: h.db, now: () => new Date() }, q);
const notices = () => count(sql`select count(*) n from notifications`);
const pending = () => count(sql`select count(*) n from notification_events where fanned_out_at is null`);
/** (event, recipient) pairs with more than one notice: must stay empty. roleActivated keys are `activated:<schedule>:…`. */
const duplicates = () =>
  count(sql`select count(*) n from (select 1 from notifications
            group by split_part(dedupe_key, ':', 2), coalesce(recipient_user_id::text, recipient_email)
            having count(*) > 1) d`);

beforeAll(async () => {
  h = await createTestDb();
  await seedPeople(h.db, now);
  // 30 more Global Administrators: every activation notifies 32 admins + the holder
  const admins = Array.from({ length: EXTRA_ADMINS }, (_, i) => ({
    id: `00000000-0000-4000-b000-${String(i + 1).padStart(12, "0")}`,
    displayName: `Admin ${String(i + 1).padStart(2, "0")}`,
    userPrincipalName: `admin${i + 1}@contoso.test`,
    mail: `admin${i + 1}@contoso.test`,
  }));
  await h.db.insert(users).values(admins);
  await h.db.insert(roleAssignmentSchedules).values(
    admins.map((a) => ({
      principalId: a.id,
      principalType: "User" as const,
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      assignmentType: "Assigned" as const,
      startDateTime: new Date(now.getTime() - hours(48)),
    })),
  );
});
afterAll(async () => h.drop());
beforeEach(async () => {
  await h.db.delete(notifications);
  await h.db.delete(notificationEvents);
  await h.db.execute(sql`drop trigger if exists fail_for_bob on notifications`);
});

const RECIPIENTS = 2 + EXTRA_ADMINS + 1; // alice (GA), bob (PRA), 30 GAs, carol (the holder)

describe("notification events: one outbox row per event, fanned out by the worker", () => {
  it("the use case's transaction writes one event however many admins there are; the fan-out writes the notices once", async () => {
    const a = await activation(h.db, now, new Date(now.getTime() + hours(4)));
    await h.db.transaction((tx) =>
      emitNotification(tx, now, { type: "roleActivated", scheduleId: a.id, requestId: null }),
    );
    expect(await count(sql`select count(*) n from notification_events`)).toBe(1);
    expect(await notices()).toBe(0);

    const first = await fanOutEvents(h.db, now, { baseUrl: TEST_BASE_URL });
    expect(first).toEqual({ events: 1, notices: RECIPIENTS, failed: 0 });
    expect(await notices()).toBe(RECIPIENTS);
    expect(await pending()).toBe(0);
    // recipients as of the event: its time is the notices' time
    expect(
      await count(sql`select count(*) n from notifications where created_at <> ${now.toISOString()}::timestamptz`),
    ).toBe(0);

    expect(await fanOutEvents(h.db, now, { baseUrl: TEST_BASE_URL })).toEqual({ events: 0, notices: 0, failed: 0 });
    expect(await notices()).toBe(RECIPIENTS);
  });

  it("recipients are resolved as of the event: an admin whose role ended after the event still hears of it", async () => {
    const a = await activation(h.db, now, new Date(now.getTime() + hours(4)));
    await h.db.transaction((tx) =>
      emitNotification(tx, now, { type: "roleActivated", scheduleId: a.id, requestId: null }),
    );
    // Bob's PRA is removed a minute later (removal sets the end to that moment), before the worker runs
    const later = new Date(now.getTime() + 60_000);
    await h.db.execute(
      sql`update role_assignment_schedules set end_date_time = ${later.toISOString()}::timestamptz
          where principal_id = ${ids.bob}::uuid`,
    );
    try {
      await fanOutEvents(h.db, new Date(later.getTime() + 60_000), { baseUrl: TEST_BASE_URL });
      expect(await count(sql`select count(*) n from notifications where recipient_user_id = ${ids.bob}::uuid`)).toBe(1);
    } finally {
      await h.db.execute(
        sql`update role_assignment_schedules set end_date_time = null where principal_id = ${ids.bob}::uuid`,
      );
    }
  });

  it("two workers racing over the same events give each recipient exactly one notice", async () => {
    const EVENTS = 12;
    const acts: { id: string }[] = [];
    for (let i = 0; i < EVENTS; i++) acts.push(await activation(h.db, now, new Date(now.getTime() + hours(4))));
    await h.db.transaction((tx) =>
      emitNotifications(
        tx,
        now,
        acts.map((a) => ({ type: "roleActivated" as const, scheduleId: a.id, requestId: null })),
      ),
    );
    // small batches so the two passes interleave (on PostgreSQL each runs on its own connection)
    const [x, y] = await Promise.all([
      fanOutEvents(h.db, now, { baseUrl: TEST_BASE_URL, batchSize: 2 }),
      fanOutEvents(h.db, now, { baseUrl: TEST_BASE_URL, batchSize: 3 }),
    ]);
    expect(x.events + y.events).toBe(EVENTS);
    expect(x.notices + y.notices).toBe(EVENTS * RECIPIENTS);
    expect(await notices()).toBe(EVENTS * RECIPIENTS);
    expect(await duplicates()).toBe(0);
    expect(await pending()).toBe(0);

    // even if an event's mark were lost and it were fanned out again, nobody gets a second notice
    await h.db.execute(sql`update notification_events set fanned_out_at = null`);
    const again = await Promise.all([
      fanOutEvents(h.db, now, { baseUrl: TEST_BASE_URL }),
      fanOutEvents(h.db, now, { baseUrl: TEST_BASE_URL }),
    ]);
    expect(again[0].events + again[1].events).toBe(EVENTS);
    expect(again[0].notices + again[1].notices).toBe(0);
    expect(await notices()).toBe(EVENTS * RECIPIENTS);
  });

  it("a worker failing mid-fan-out loses nothing: the event stays pending, nobody gets half of it, the next pass delivers it once", async () => {
    const a = await activation(h.db, now, new Date(now.getTime() + hours(4)));
    const b = await activation(h.db, now, new Date(now.getTime() + hours(4)), ids.dave);
    await h.db.transaction(async (tx) => {
      await emitNotification(tx, now, { type: "roleActivated", scheduleId: a.id, requestId: null });
      await emitNotification(tx, now, { type: "roleActivated", scheduleId: b.id, requestId: null });
    });
    // The database refuses the notice to Bob of Carol's activation, after others of the same statement went in.
    await h.db.execute(
      sql.raw(`create or replace function fail_for_bob() returns trigger language plpgsql as $$
        begin
          if new.recipient_user_id = '${ids.bob}' and new.dedupe_key like 'activated:${a.id}:%' then
            raise exception 'worker died mid-fan-out';
          end if;
          return new;
        end $$`),
    );
    await h.db.execute(
      sql`create trigger fail_for_bob before insert on notifications for each row execute function fail_for_bob()`,
    );
    const failed = await fanOutEvents(h.db, now, { baseUrl: TEST_BASE_URL });
    expect(failed).toEqual({ events: 1, notices: RECIPIENTS, failed: 1 }); // Dave's event went through alone
    expect(
      await count(sql`select count(*) n from notifications where ${noticeText} like '%Carol User activated%'`),
    ).toBe(0);
    const [left] = await h.db
      .select()
      .from(notificationEvents)
      .where(sql`${notificationEvents.fannedOutAt} is null`);
    expect(left).toMatchObject({ attempts: 1 });
    expect(left?.lastError).toContain("worker died mid-fan-out");
    expect(left?.nextAttemptAt?.getTime()).toBe(now.getTime() + 30_000);
    // not retried before its backoff
    expect((await fanOutEvents(h.db, new Date(now.getTime() + 10_000), { baseUrl: TEST_BASE_URL })).events).toBe(0);

    await h.db.execute(sql`drop trigger fail_for_bob on notifications`);
    expect(await fanOutEvents(h.db, new Date(now.getTime() + 30_000), { baseUrl: TEST_BASE_URL })).toEqual({
      events: 1,
      notices: RECIPIENTS,
      failed: 0,
    });
    expect(await notices()).toBe(2 * RECIPIENTS);
    expect(await duplicates()).toBe(0);
    expect(await pending()).toBe(0);
  });
});

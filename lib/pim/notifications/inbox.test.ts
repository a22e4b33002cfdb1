import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditEvents, notifications } from "@/db/schema";
import { createTestDb, minutes } from "@/test/db";
import type { Actor } from "@/lib/pim/context";
import { PimError } from "@/lib/pim/errors";
import { decodeCursor, listDeliveryProblems, listMyNotifications, openNotification, unreadCount } from "./inbox";
import { markAllNotificationsRead, markNotificationsRead } from "../use-cases/mark-notifications-read";
import { retryDeliveries } from "../use-cases/retry-deliveries";
import { ids, seedPeople } from "@/test/fixtures/notifications";

const t0 = new Date("2026-11-22T09:00:00Z");
let h: Awaited<ReturnType<typeof createTestDb>>;
const actor = (id: string): Actor => ({ id, type: "User", displayName: id });
const ctx = () => ({ db: h.db, now: () => new Date(t0.getTime() + minutes(100)) });

beforeAll(async () => {
  h = await createTestDb();
  await seedPeople(h.db, t0);
  const row = (userId: string, i: number, status: "sent" | "failed" = "sent") => ({
    createdAt: new Date(t0.getTime() + minutes(i % 40)), // ties on created_at exercise the id tiebreak
    eventType: "roleActivated",
    recipientUserId: userId,
    recipientEmail: `${userId}@x.test`,
    subject: `PIM: notice ${i}`,
    bodyText: "b",
    bodyHtml: "<p>b</p>",
    link: "/my-roles?tab=active",
    status,
    dedupeKey: `k:${userId}:${i}`,
  });
  await h.db
    .insert(notifications)
    .values([
      ...Array.from({ length: 57 }, (_, i) => row(ids.carol, i)),
      ...Array.from({ length: 3 }, (_, i) => row(ids.dave, 100 + i, "failed")),
    ]);
});
afterAll(async () => h.drop());

describe("inbox", () => {
  it("pages through a person's notices newest first with keyset cursors, without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listMyNotifications>> = await listMyNotifications(h.db, ids.carol, {
        cursor,
        limit: 10,
      });
      seen.push(...page.items.map((i) => i.id));
      for (let k = 1; k < page.items.length; k++) {
        const [a, b] = [page.items[k - 1]!, page.items[k]!];
        expect(
          a.createdAt.getTime() > b.createdAt.getTime() ||
            (a.createdAt.getTime() === b.createdAt.getTime() && a.id > b.id),
        ).toBe(true);
      }
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(6);
    expect(new Set(seen).size).toBe(57);
    expect(decodeCursor("garbage")).toBeNull();
  });

  it("counts unread and marks only the caller's own notices read", async () => {
    expect(await unreadCount(h.db, ids.carol)).toBe(57);
    const { items } = await listMyNotifications(h.db, ids.carol, { limit: 2 });
    const daveRows = await h.db.select().from(notifications).where(eq(notifications.recipientUserId, ids.dave));
    // Dave tries to mark Carol's notices (and one of his own): only his own changes
    expect(
      await markNotificationsRead(ctx(), actor(ids.dave), { ids: [...items.map((i) => i.id), daveRows[0]!.id] }),
    ).toBe(1);
    expect(await unreadCount(h.db, ids.carol)).toBe(57);
    expect(await markNotificationsRead(ctx(), actor(ids.carol), { ids: items.map((i) => i.id) })).toBe(2);
    expect(await unreadCount(h.db, ids.carol)).toBe(55);
    expect((await listMyNotifications(h.db, ids.carol, { unreadOnly: true, limit: 100 })).items).toHaveLength(55);
    // opening: someone else's notice gives nothing and stays unread; one's own is marked read
    const [third] = (await listMyNotifications(h.db, ids.carol, { unreadOnly: true, limit: 1 })).items;
    expect(await openNotification(ctx(), actor(ids.dave), third!.id)).toBeNull();
    expect(await openNotification(ctx(), actor(ids.carol), "nope")).toBeNull();
    expect(await unreadCount(h.db, ids.carol)).toBe(55);
    expect(await openNotification(ctx(), actor(ids.carol), third!.id)).toBe("/my-roles?tab=active");
    expect(await unreadCount(h.db, ids.carol)).toBe(54);
    expect(await markAllNotificationsRead(ctx(), actor(ids.carol))).toBe(54);
    expect(await unreadCount(h.db, ids.carol)).toBe(0);
    expect(await unreadCount(h.db, ids.dave)).toBe(2);
    await expect(markNotificationsRead(ctx(), actor(ids.carol), { ids: ["not-a-uuid"] })).rejects.toBeInstanceOf(
      PimError,
    );
  });

  it("shows delivery problems to GA/PRA holders only, and lets them retry (audited)", async () => {
    await expect(listDeliveryProblems(ctx(), actor(ids.carol))).rejects.toMatchObject({ code: "Forbidden" });
    const problems = await listDeliveryProblems(ctx(), actor(ids.bob));
    expect(problems).toHaveLength(3);
    await expect(retryDeliveries(ctx(), actor(ids.dave), { ids: [problems[0]!.id] })).rejects.toMatchObject({
      code: "Forbidden",
    });
    expect(await retryDeliveries(ctx(), actor(ids.alice), { ids: [problems[0]!.id] })).toBe(1);
    expect(await listDeliveryProblems(ctx(), actor(ids.alice))).toHaveLength(2);
    const [again] = await h.db.select().from(notifications).where(eq(notifications.id, problems[0]!.id));
    expect(again).toMatchObject({ status: "pending", attempts: 0 });
    const audit = await h.db.select().from(auditEvents).where(eq(auditEvents.operation, "notifications.retry"));
    expect(audit.map((a) => [a.result, a.actorId])).toEqual([
      ["failure", ids.dave],
      ["success", ids.alice],
    ]);
  });
});

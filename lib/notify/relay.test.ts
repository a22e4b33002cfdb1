import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { notifications } from "@/db/schema";
import { createTestDb, hours } from "@/test/db";
import { emitNotification } from "@/lib/pim/notifications/emit";
import { activation, ids, seedPeople } from "@/test/fixtures/notifications";
import { startFanOutRelay, type FanOutRelay } from "./relay";

const now = new Date("2026-11-22T09:00:00Z");
let h: Awaited<ReturnType<typeof createTestDb>>;
let relay: FanOutRelay | null = null;

beforeAll(async () => {
  h = await createTestDb();
  await seedPeople(h.db, now);
});
afterAll(async () => h.drop());
afterEach(async () => {
  vi.useRealTimers();
  await relay?.stop();
  relay = null;
});

const recipients = async () =>
  (await h.db.select({ to: notifications.recipientUserId }).from(notifications)).map((r) => r.to).sort();

describe("fan-out relay in the server process", () => {
  it("a queued event is fanned out by the pass the relay schedules after the hint, without the minute job", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let passes = 0;
    const getCtx = async () => (passes++, { db: h.db, now: () => now });
    relay = startFanOutRelay(getCtx, { delaysMs: [25], firstDelayMs: 60_000 });
    const a = await activation(h.db, now, new Date(now.getTime() + hours(4)));
    await h.db.transaction((tx) =>
      emitNotification(tx, now, { type: "roleActivated", scheduleId: a.id, requestId: null }),
    );
    expect(await recipients()).toEqual([]); // nothing before the relay's pass
    expect(passes).toBe(0);
    vi.advanceTimersByTime(25); // the pass scheduled by the hint starts
    expect(passes).toBe(1);
    await relay.pass(); // waits for the running pass
    expect(await recipients()).toEqual([ids.alice, ids.bob, ids.carol].sort());
  });

  it("a failing pass is logged in one line and the next one works", async () => {
    const lines: string[] = [];
    let fail = true;
    relay = startFanOutRelay(
      async () => {
        if (fail) throw new Error("database unavailable");
        return { db: h.db, now: () => now };
      },
      { delaysMs: [], firstDelayMs: 60_000, log: (l) => lines.push(l) },
    );
    await relay.pass();
    expect(lines).toEqual(["[pim fan-out] pass failed: database unavailable"]);
    fail = false;
    await relay.pass();
    expect(lines).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_BASE_URL } from "@/test/fixtures/notifications";
import { eq, sql, type SQL } from "drizzle-orm";
import { notifications, roleAssignmentSchedules, roleEligibilitySchedules, scheduleRequests } from "@/db/schema";
import { countStatements, days, hours } from "@/test/db";
import { auditRows, count, pimWorld, T0, type PimWorld } from "@/test/fixtures/pim";
import { GROUPS_ADMINISTRATOR, HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { checkAccess } from "@/lib/pim/access/check-access";
import { activateRole } from "./activate-role";
import { expireDue } from "./expire-due";
import { verifyAuditChain } from "@/lib/pim/audit";
import { fanOutEvents } from "@/lib/pim/notifications/fan-out";

/** Notices as the delivery worker leaves them: after its fan-out of the queued notification events. */
async function noticeCount(q: SQL): Promise<number> {
  await fanOutEvents(w.h.db, w.clock.now(), { baseUrl: TEST_BASE_URL });
  return count(w.ctx, q);
}

let w: PimWorld;
const at = (ms: number) => new Date(T0.getTime() + ms);
beforeAll(async () => {
  w = await pimWorld();
});
afterAll(async () => w.h.drop());

describe("expireDue", () => {
  it("records expired activations, assignments and eligibilities once, with audit rows and notices; idempotent", async () => {
    w.clock.set(T0);
    const [a, b, c] = await w.d.users("Act Ive", "Ass Igned", "Eli Gible");
    await w.d.eligible(a, USER_ADMINISTRATOR, { start: w.since });
    const act = await activateRole(w.ctx, a.actor(), {
      roleDefinitionId: USER_ADMINISTRATOR,
      justification: "x",
      durationMinutes: 60,
    });
    const asg = await w.d.active(b, HELPDESK_ADMINISTRATOR, { start: w.since, end: at(hours(2)) });
    const elg = await w.d.eligible(c, HELPDESK_ADMINISTRATOR, { start: w.since, end: at(hours(3)) });
    // nothing due yet; the month-long assignment and eligibility get their 1-day reminder (the 1-hour activation none)
    expect(await expireDue(w.ctx, { batchSize: 2 })).toEqual({
      assignmentsExpired: 0,
      eligibilitiesExpired: 0,
      requestsTimedOut: 0,
      expiringNotices: 2,
    });
    // access already ended at the window's end, before any sweep
    expect(
      (await checkAccess(w.h.db, { principalId: a.id, roleDefinitionId: USER_ADMINISTRATOR, at: at(hours(1)) }))
        .allowed,
    ).toBe(false);
    w.clock.set(at(hours(4)));
    expect(await expireDue(w.ctx, { batchSize: 1 })).toEqual({
      assignmentsExpired: 2,
      eligibilitiesExpired: 1,
      requestsTimedOut: 0,
      expiringNotices: 0,
    });
    for (const id of [act.schedule!.id, asg.id]) {
      expect(
        (await w.h.db.select().from(roleAssignmentSchedules).where(eq(roleAssignmentSchedules.id, id)))[0]?.status,
      ).toBe("Expired");
    }
    expect(
      (await w.h.db.select().from(roleEligibilitySchedules).where(eq(roleEligibilitySchedules.id, elg.id)))[0]?.status,
    ).toBe("Expired");
    const audits = await auditRows(w.ctx, "schedule.expire");
    expect(audits.map((x) => x.activity).sort()).toEqual([
      "Remove eligible member from role (PIM assignment expired)",
      "Remove member from role (PIM activation expired)",
      "Remove member from role (PIM assignment expired)",
    ]);
    expect(audits.every((x) => x.actor_id === "00000000-0000-0000-0000-000000000000")).toBe(true);
    expect(await noticeCount(sql`select count(*) n from ${notifications} where event_type = 'expired'`)).toBe(3);
    expect(await expireDue(w.ctx, { batchSize: 1 })).toEqual({
      assignmentsExpired: 0,
      eligibilitiesExpired: 0,
      requestsTimedOut: 0,
      expiringNotices: 0,
    });
    expect((await auditRows(w.ctx, "schedule.expire")).length).toBe(3);
  });

  it("queues the 14-day and 1-day reminders once each", async () => {
    w.clock.set(T0);
    const u = await w.d.user("Reminded");
    const e = await w.d.eligible(u, USER_ADMINISTRATOR, { start: w.since, end: at(days(10)) });
    const first = await expireDue(w.ctx);
    expect(first.expiringNotices).toBe(1);
    expect((await expireDue(w.ctx)).expiringNotices).toBe(0);
    w.clock.set(at(days(9) + hours(12)));
    expect((await expireDue(w.ctx)).expiringNotices).toBe(1);
    expect((await expireDue(w.ctx)).expiringNotices).toBe(0);
    const [row] = await w.h.db.select().from(roleEligibilitySchedules).where(eq(roleEligibilitySchedules.id, e.id));
    expect(row?.expiringNotice14dAt).toEqual(T0);
    expect(row?.expiringNotice1dAt).toEqual(at(days(9) + hours(12)));
    expect(
      await noticeCount(
        sql`select count(*) n from ${notifications} where event_type = 'expiringSoon' and recipient_user_id = ${u.id}`,
      ),
    ).toBe(2);
  });

  it("a batch's audit rows are one chained insert: the chain verifies, one row and one notice per expiry, in end order", async () => {
    w.clock.set(T0);
    const people = await w.d.users(
      "Batch One",
      "Batch Two",
      "Batch Three",
      "Batch Four",
      "Batch Five",
      "Batch Six",
      "Batch Seven",
    );
    const ends = people.map((p, i) => ({ p, end: at(hours(10) + i * 60_000) }));
    for (const { p, end } of ends) await w.d.active(p, HELPDESK_ADMINISTRATOR, { start: w.since, end });
    w.clock.set(at(hours(11)));
    expect((await expireDue(w.ctx, { batchSize: 3 })).assignmentsExpired).toBe(7);
    expect((await verifyAuditChain(w.h.db)).ok).toBe(true);
    // the sweep's transactions queue one notification event per expiry (the worker fans them out)
    const events = await count(
      w.ctx,
      sql`select count(*) n from notification_events where event->>'type' = 'expired' and fanned_out_at is null`,
    );
    expect(events).toBe(7);
    const mine = (await auditRows(w.ctx, "schedule.expire")).filter((a) => people.some((p) => p.id === a.target_id));
    // id order = the sweep's order (end time), across the three batches
    expect(mine.sort((x, y) => Number(x.id) - Number(y.id)).map((a) => a.target_id)).toEqual(people.map((p) => p.id));
    for (const p of people) {
      expect(
        await noticeCount(
          sql`select count(*) n from ${notifications} where event_type = 'expired' and recipient_user_id = ${p.id}`,
        ),
      ).toBe(1);
    }
    expect((await expireDue(w.ctx, { batchSize: 3 })).assignmentsExpired).toBe(0);
  });

  it("times out pending requests set-based: statements per batch do not grow with the batch, one audit row and one event per request, chain intact", async () => {
    w.clock.set(T0);
    await w.d.settings(GROUPS_ADMINISTRATOR, { approvalRequired: true });
    const ask = async (names: string[]) => {
      const people = await w.d.users(...names);
      const ids: string[] = [];
      for (const p of people) {
        await w.d.eligible(p, GROUPS_ADMINISTRATOR, { start: w.since });
        const r = await activateRole(w.ctx, p.actor(), {
          roleDefinitionId: GROUPS_ADMINISTRATOR,
          justification: "waiting",
          durationMinutes: 60,
        });
        expect(r.status).toBe("PendingApproval");
        ids.push(r.requestId);
      }
      return { people, ids };
    };
    const sweep = async (batchSize: number) => {
      const { result, statements } = await countStatements(() => expireDue(w.ctx, { batchSize }));
      return { timedOut: result.requestsTimedOut, statements: statements.length };
    };
    // The same sweep with one request due and with six due in one batch costs the same statements.
    const one = await ask(["Wait One"]);
    w.clock.set(at(hours(25)));
    const small = await sweep(10);
    expect(small.timedOut).toBe(1);
    w.clock.set(at(hours(26)));
    const six = await ask(["Wait A", "Wait B", "Wait C", "Wait D", "Wait E", "Wait F"]);
    w.clock.set(at(hours(51)));
    const large = await sweep(10);
    expect(large.timedOut).toBe(6);
    expect(large.statements).toBe(small.statements);
    const requests = [...one.ids, ...six.ids];
    const rows = await w.h.db.select().from(scheduleRequests);
    for (const id of requests) {
      const r = rows.find((x) => x.id === id);
      expect(r?.status).toBe("TimedOut");
      expect(r?.failureReason).toBe("No decision within 24 hours.");
    }
    const audits = (await auditRows(w.ctx, "request.timeout")).filter((a) => requests.includes(a.request_id ?? ""));
    expect(audits.map((a) => a.request_id).sort()).toEqual([...requests].sort());
    expect(audits.every((a) => a.activity === "Add member to role request timed out (PIM activation)")).toBe(true);
    // one audit row per request, naming its requester (the six share a deadline: their order is by id)
    expect(audits.map((a) => a.target_id).sort()).toEqual([...one.people, ...six.people].map((p) => p.id).sort());
    expect(audits[0]?.target_id).toBe(one.people[0]?.id);
    expect(audits.every((a) => (a.details.changed as string[])[0] === a.request_id)).toBe(true);
    expect(
      await count(
        w.ctx,
        sql`select count(*) n from notification_events where event->>'type' = 'requestTimedOut' and fanned_out_at is null`,
      ),
    ).toBe(7);
    expect((await verifyAuditChain(w.h.db)).ok).toBe(true);
    expect((await sweep(10)).timedOut).toBe(0);
  });
});

/**
 * Races with real parallel transactions. On PostgreSQL (TEST_DATABASE_URL) each call runs on its own pooled
 * connection, so the row locks and unique indexes are what keeps the outcome single; on PGlite the same
 * tests run with the transactions serialised by the driver.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { approvalDecisions, auditEvents, roleAssignmentSchedules, scheduleRequests } from "@/db/schema";
import { hours, minutes, usingPostgres } from "@/test/db";
import { pimWorld, T0, type PimWorld } from "@/test/fixtures/pim";
import type { TestUser } from "@/test/fixtures/directory";
import {
  APPLICATION_ADMINISTRATOR,
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  GROUPS_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { isPimError, type PimErrorCode } from "@/lib/pim/errors";
import { activateRole } from "./use-cases/activate-role";
import { cancelRequest } from "./use-cases/cancel-request";
import { decideRequest } from "./use-cases/decide-request";
import { expireDue } from "./use-cases/expire-due";
import { removeAssignment } from "./use-cases/remove-assignment";

let w: PimWorld;
let approvers: TestUser[];
beforeAll(async () => {
  w = await pimWorld();
  approvers = [];
  for (let i = 0; i < 10; i++) approvers.push(await w.d.user(`Approver ${i}`));
  await w.d.settings(USER_ADMINISTRATOR, {
    approvalRequired: true,
    approvalStages: [{ mode: "anyOne", approvers: approvers.map((a) => ({ type: "User" as const, id: a.id })) }],
  });
});
afterAll(async () => w.h.drop());

/** Settles every promise; returns the success values and the PimError codes (anything else rethrows). */
async function settle<T>(ps: Promise<T>[]): Promise<{ ok: T[]; codes: PimErrorCode[] }> {
  const rs = await Promise.allSettled(ps);
  const ok: T[] = [];
  const codes: PimErrorCode[] = [];
  for (const r of rs) {
    if (r.status === "fulfilled") ok.push(r.value);
    else if (isPimError(r.reason)) codes.push(r.reason.code);
    else throw r.reason;
  }
  return { ok, codes };
}

async function pendingRequest(name: string): Promise<{ user: TestUser; requestId: string }> {
  const user = await w.d.user(name);
  await w.d.eligible(user, USER_ADMINISTRATOR, { start: w.since });
  const r = await activateRole(w.ctx, user.actor(), {
    roleDefinitionId: USER_ADMINISTRATOR,
    justification: "race",
    durationMinutes: 60,
  });
  expect(r.status).toBe("PendingApproval");
  return { user, requestId: r.requestId };
}

const successAudits = async (requestId: string) =>
  (
    await w.h.db
      .select({ op: auditEvents.operation })
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.result, "success")))
  ).map((a) => a.op);

// Each race is bounded by its count of trials, not by time: no wall-clock limit (timeout 0), so a busy machine
// makes the file slower, never red (the ten-approvers race took 88 s on PGlite against a 60 s limit).
describe(`races (${usingPostgres ? "PostgreSQL, parallel connections" : "PGlite, serialised"})`, { timeout: 0 }, () => {
  it("ten approvers deciding one request at once: exactly one decision, the others Conflict — 50 times", async () => {
    w.clock.set(T0);
    let multiWinner = 0;
    for (let trial = 0; trial < 50; trial++) {
      const { requestId } = await pendingRequest(`Requester ${trial}`);
      // half approve, half deny: still exactly one decision
      const { ok, codes } = await settle(
        approvers.map((a, i) =>
          decideRequest(w.ctx, a.actor(), {
            requestId,
            decision: i % 2 === 0 ? "Approve" : "Deny",
            justification: `trial ${trial}`,
          }),
        ),
      );
      if (ok.length !== 1) multiWinner++;
      expect(codes).toEqual(Array(9).fill("Conflict"));
      const decisions = await w.h.db.select().from(approvalDecisions).where(eq(approvalDecisions.requestId, requestId));
      expect(decisions).toHaveLength(1);
      const [req] = await w.h.db.select().from(scheduleRequests).where(eq(scheduleRequests.id, requestId));
      expect(req?.status).toBe(decisions[0]?.decision === "Approve" ? "Provisioned" : "Denied");
      const schedules = await w.h.db
        .select()
        .from(roleAssignmentSchedules)
        .where(eq(roleAssignmentSchedules.principalId, req!.principalId));
      expect(schedules).toHaveLength(decisions[0]?.decision === "Approve" ? 1 : 0);
      const ops = await successAudits(requestId);
      expect(ops.filter((o) => o === "request.approve" || o === "request.deny")).toHaveLength(1);
    }
    expect(multiWinner).toBe(0);
  });

  it("approve racing cancel: one outcome, never both — 20 times", async () => {
    w.clock.set(T0);
    const outcomes = { approved: 0, canceled: 0 };
    for (let trial = 0; trial < 20; trial++) {
      const { user, requestId } = await pendingRequest(`Canceller ${trial}`);
      const approver = approvers[trial % 10]!;
      const calls = [
        decideRequest(w.ctx, approver.actor(), { requestId, decision: "Approve", justification: "go" }).then(
          () => "approved" as const,
        ),
        cancelRequest(w.ctx, user.actor(), { requestId }).then(() => "canceled" as const),
      ];
      const { ok, codes } = await settle(trial % 2 ? calls : calls.reverse());
      expect(ok).toHaveLength(1);
      expect(codes).toEqual(["Conflict"]);
      outcomes[ok[0]!]++;
      const [req] = await w.h.db.select().from(scheduleRequests).where(eq(scheduleRequests.id, requestId));
      const live = await w.h.db
        .select()
        .from(roleAssignmentSchedules)
        .where(eq(roleAssignmentSchedules.principalId, user.id));
      if (ok[0] === "approved") {
        expect(req?.status).toBe("Provisioned");
        expect(live).toHaveLength(1);
      } else {
        expect(req?.status).toBe("Canceled");
        expect(live).toHaveLength(0);
        expect(
          await w.h.db.select().from(approvalDecisions).where(eq(approvalDecisions.requestId, requestId)),
        ).toHaveLength(0);
      }
    }
    expect(outcomes.approved + outcomes.canceled).toBe(20);
  });

  it("two activations of the same eligibility at once: one activation, one Conflict, one audit row — 20 times", async () => {
    w.clock.set(T0);
    for (let trial = 0; trial < 20; trial++) {
      const u = await w.d.user(`Double ${trial}`);
      await w.d.eligible(u, APPLICATION_ADMINISTRATOR, { start: w.since });
      const call = () =>
        activateRole(w.ctx, u.actor(), {
          roleDefinitionId: APPLICATION_ADMINISTRATOR,
          justification: "x",
          durationMinutes: 60,
        });
      const { ok, codes } = await settle([call(), call()]);
      expect(ok).toHaveLength(1);
      expect(codes).toEqual(["Conflict"]);
      const rows = await w.h.db
        .select()
        .from(roleAssignmentSchedules)
        .where(eq(roleAssignmentSchedules.principalId, u.id));
      expect(rows).toHaveLength(1);
      const audits = await w.h.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.targetId, u.id),
            eq(auditEvents.operation, "selfActivate"),
            eq(auditEvents.result, "success"),
          ),
        );
      expect(audits).toHaveLength(1);
    }
  });

  it("two activations through two different eligibilities (direct and through a group) at once: one activation — 10 times", async () => {
    w.clock.set(T0);
    for (let trial = 0; trial < 10; trial++) {
      const u = await w.d.user(`Two ways ${trial}`);
      const g = await w.d.group(`Two ways group ${trial}`, [u]);
      const direct = await w.d.eligible(u, GLOBAL_READER, { start: w.since });
      const viaGroup = await w.d.eligible(g, GLOBAL_READER, { start: w.since });
      const call = (eligibilityScheduleId: string) =>
        activateRole(w.ctx, u.actor(), {
          roleDefinitionId: GLOBAL_READER,
          justification: "x",
          durationMinutes: 60,
          eligibilityScheduleId,
        });
      const { ok, codes } = await settle([call(direct.id), call(viaGroup.id)]);
      expect([ok.length, codes]).toEqual([1, ["Conflict"]]);
      const live = await w.h.db
        .select()
        .from(roleAssignmentSchedules)
        .where(
          and(
            eq(roleAssignmentSchedules.principalId, u.id),
            eq(roleAssignmentSchedules.roleDefinitionId, GLOBAL_READER),
          ),
        );
      expect(live).toHaveLength(1);
    }
  });

  it("two activation requests needing approval at once: one pending request", async () => {
    w.clock.set(T0);
    await w.d.settings(GROUPS_ADMINISTRATOR, { approvalRequired: true });
    for (let trial = 0; trial < 10; trial++) {
      const u = await w.d.user(`Double pending ${trial}`);
      await w.d.eligible(u, GROUPS_ADMINISTRATOR, { start: w.since });
      const call = () =>
        activateRole(w.ctx, u.actor(), {
          roleDefinitionId: GROUPS_ADMINISTRATOR,
          justification: "x",
          durationMinutes: 60,
        });
      const { ok, codes } = await settle([call(), call()]);
      expect([ok.length, codes]).toEqual([1, ["Conflict"]]);
      const reqs = await w.h.db
        .select()
        .from(scheduleRequests)
        .where(and(eq(scheduleRequests.principalId, u.id), eq(scheduleRequests.status, "PendingApproval")));
      expect(reqs).toHaveLength(1);
    }
  });

  it("two sweeps at once: each due activation expired once, one audit row each, counts add up", async () => {
    const start = new Date(T0.getTime() + hours(100));
    w.clock.set(start);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const u = await w.d.user(`Sweep ${i}`);
      const e = await w.d.eligible(u, APPLICATION_ADMINISTRATOR, { start: w.since });
      const a = await w.d.active(u, APPLICATION_ADMINISTRATOR, {
        start,
        end: new Date(start.getTime() + minutes(10) + i * 1000),
        assignmentType: "Activated",
        eligibilityScheduleId: e.id,
      });
      ids.push(a.id);
    }
    const later = { db: w.h.db, now: () => new Date(start.getTime() + hours(1)) };
    const [x, y] = await Promise.all([expireDue(later, { batchSize: 3 }), expireDue(later, { batchSize: 3 })]);
    expect(x.assignmentsExpired + y.assignmentsExpired).toBeGreaterThanOrEqual(40);
    const perSchedule = await w.h.db.execute(sql`
      select count(*)::int as n from audit_events
      where operation = 'schedule.expire' and details -> 'changed' ->> 0 = any(${`{${ids.join(",")}}`}::text[])
      group by details -> 'changed' ->> 0`);
    const counts = (
      (Array.isArray(perSchedule) ? perSchedule : (perSchedule as { rows: unknown[] }).rows) as { n: number }[]
    ).map((r) => r.n);
    expect(counts).toHaveLength(40);
    expect(counts.every((n) => n === 1)).toBe(true);
    expect((await expireDue(later)).assignmentsExpired).toBe(0);
  });

  it("two admins removing the last two Global Administrators at once: lockout keeps one", async () => {
    const x = await pimWorld();
    try {
      const [g1, g2] = await x.d.users("GA One", "GA Two");
      const a1 = await x.d.active(g1, GLOBAL_ADMINISTRATOR, { start: x.since });
      const a2 = await x.d.active(g2, GLOBAL_ADMINISTRATOR, { start: x.since });
      const [aliceGa] = await x.h.db
        .select()
        .from(roleAssignmentSchedules)
        .where(eq(roleAssignmentSchedules.principalId, x.alice.id));
      await removeAssignment(x.ctx, x.bob.actor(), { kind: "assignment", scheduleId: aliceGa!.id });
      const { ok, codes } = await settle([
        removeAssignment(x.ctx, x.bob.actor(), { kind: "assignment", scheduleId: a1.id }),
        removeAssignment(x.ctx, x.bob.actor(), { kind: "assignment", scheduleId: a2.id }),
      ]);
      expect([ok.length, codes]).toEqual([1, ["LockoutProtection"]]);
    } finally {
      await x.h.drop();
    }
  });
});

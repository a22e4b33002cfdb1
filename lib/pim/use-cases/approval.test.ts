import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { approvalDecisions, scheduleRequests } from "@/db/schema";
import { hours, minutes } from "@/test/db";
import { auditRows, pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import type { TestUser } from "@/test/fixtures/directory";
import {
  APPLICATION_ADMINISTRATOR,
  AUTHENTICATION_ADMINISTRATOR,
  GROUPS_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { checkAccess } from "@/lib/pim/access/check-access";
import {
  countOtherApprovers,
  listApprovableRequests,
  listMyRequests,
  listOtherApprovers,
} from "@/lib/pim/queries/requests";
import { listRequestDecisions } from "@/lib/pim/queries/request-decisions";
import { activateRole } from "./activate-role";
import { cancelRequest } from "./cancel-request";
import { decideRequest, decideRequests } from "./decide-request";
import { expireDue } from "./expire-due";

let w: PimWorld;
const at = (ms: number) => new Date(T0.getTime() + ms);
beforeAll(async () => {
  w = await pimWorld();
  await w.d.settings(USER_ADMINISTRATOR, { approvalRequired: true });
});
afterAll(async () => w.h.drop());

async function requester(name: string, role = USER_ADMINISTRATOR) {
  const u = await w.d.user(name);
  await w.d.eligible(u, role, { start: w.since });
  return u;
}
const ask = (u: TestUser, role = USER_ADMINISTRATOR) =>
  activateRole(w.ctx, u.actor(), { roleDefinitionId: role, justification: "ticket 42", durationMinutes: 120 });
const approve = (u: TestUser, requestId: string, justification = "ok") =>
  decideRequest(w.ctx, u.actor(), { requestId, decision: "Approve", justification });
const requestRow = async (id: string) =>
  (await w.h.db.select().from(scheduleRequests).where(eq(scheduleRequests.id, id)))[0];

describe("approval with default approvers (GA/PRA)", () => {
  it("a pending request grants nothing; the approver sees it, approves with a justification, and the activation starts", async () => {
    w.clock.set(T0);
    const sophia = await requester("Sophia Pending");
    const r = await ask(sophia);
    expect(r.status).toBe("PendingApproval");
    expect((await requestRow(r.requestId))?.approvalDeadline).toEqual(at(hours(24)));
    expect(
      (await checkAccess(w.h.db, { principalId: sophia.id, roleDefinitionId: USER_ADMINISTRATOR, at: T0 })).allowed,
    ).toBe(false);
    await rejects(ask(sophia), "Conflict", /already have a pending request/);
    expect((await listApprovableRequests(w.ctx, w.bob.actor())).rows.map((x) => x.id)).toContain(r.requestId);
    expect((await listApprovableRequests(w.ctx, sophia.actor())).rows).toHaveLength(0);
    expect(
      (await listMyRequests(w.ctx, sophia.actor(), { pendingOnly: true })).rows.map((x) => [
        x.id,
        x.roleName,
        x.principalName,
      ]),
    ).toEqual([[r.requestId, "User Administrator", "Sophia Pending"]]);
    await rejects(
      decideRequest(w.ctx, w.bob.actor(), { requestId: r.requestId, decision: "Approve", justification: "  " }),
      "ValidationFailed",
      /why you approve/,
    );
    w.clock.advance(minutes(30));
    const d = await approve(w.bob, r.requestId);
    expect(d).toMatchObject({ status: "Provisioned", stage: 0 });
    // the activation starts at approval time and lasts the requested 2 hours
    expect(
      (await checkAccess(w.h.db, { principalId: sophia.id, roleDefinitionId: USER_ADMINISTRATOR, at: w.clock.now() }))
        .allowed,
    ).toBe(true);
    expect(
      (
        await checkAccess(w.h.db, {
          principalId: sophia.id,
          roleDefinitionId: USER_ADMINISTRATOR,
          at: at(minutes(30) + hours(2)),
        })
      ).allowed,
    ).toBe(false);
    await rejects(approve(w.alice, r.requestId), "Conflict", /already been decided/);
    expect((await listApprovableRequests(w.ctx, w.bob.actor())).rows.map((x) => x.id)).not.toContain(r.requestId);
  });

  it("no self-approval, ever — not even for a Global Administrator", async () => {
    w.clock.set(T0);
    await w.d.eligible(w.alice, USER_ADMINISTRATOR, { start: w.since });
    const r = await ask(w.alice);
    await rejects(approve(w.alice, r.requestId), "Forbidden", /your own request/);
    expect((await listApprovableRequests(w.ctx, w.alice.actor())).rows.map((x) => x.id)).not.toContain(r.requestId);
    await cancelRequest(w.ctx, w.alice.actor(), { requestId: r.requestId });
  });

  it("an approver must be entitled at the moment of deciding; a denial ends the request", async () => {
    w.clock.set(T0);
    const [carl, temp] = await w.d.users("Carl Requester", "Temp Admin");
    await w.d.eligible(carl, USER_ADMINISTRATOR, { start: w.since });
    const r = await ask(carl);
    await rejects(approve(temp, r.requestId), "Forbidden", /not an approver/);
    await w.d.active(temp, PRIVILEGED_ROLE_ADMINISTRATOR, { start: T0, end: at(hours(1)) });
    w.clock.advance(hours(1)); // temp's PRA just ended
    await rejects(approve(temp, r.requestId), "Forbidden");
    const d = await decideRequest(w.ctx, w.alice.actor(), {
      requestId: r.requestId,
      decision: "Deny",
      justification: "not now",
    });
    expect(d.status).toBe("Denied");
    await rejects(approve(w.bob, r.requestId), "Conflict");
    expect((await requestRow(r.requestId))?.status).toBe("Denied");
  });

  it("cancel by the requester; a canceled request cannot be approved", async () => {
    w.clock.set(T0);
    const u = await requester("Canceller");
    const r = await ask(u);
    const other = await w.d.user("Stranger");
    await rejects(cancelRequest(w.ctx, other.actor(), { requestId: r.requestId }), "Forbidden");
    await cancelRequest(w.ctx, u.actor(), { requestId: r.requestId });
    await rejects(approve(w.bob, r.requestId), "Conflict", /Canceled/);
    await rejects(cancelRequest(w.ctx, u.actor(), { requestId: r.requestId }), "Conflict");
  });

  it("requests undecided for 24 hours time out (sweep), and cannot be approved after the deadline even before the sweep", async () => {
    w.clock.set(T0);
    const u = await requester("Slow Poke");
    const r = await ask(u);
    w.clock.set(at(hours(24)));
    await rejects(approve(w.bob, r.requestId), "Conflict", /expired without a decision/);
    const c = await expireDue(w.ctx);
    expect(c.requestsTimedOut).toBeGreaterThanOrEqual(1);
    expect((await requestRow(r.requestId))?.status).toBe("TimedOut");
    const audit = (await auditRows(w.ctx, "request.timeout")).filter((a) => a.request_id === r.requestId);
    expect(audit.map((a) => a.activity)).toEqual(["Add member to role request timed out (PIM activation)"]);
    expect((await expireDue(w.ctx)).requestsTimedOut).toBe(0);
  });

  it("bulk decisions report per request", async () => {
    w.clock.set(T0);
    const [a, b] = [await requester("Bulk A"), await requester("Bulk B")];
    const ra = await ask(a);
    const rb = await ask(b);
    await cancelRequest(w.ctx, b.actor(), { requestId: rb.requestId });
    const out = await decideRequests(w.ctx, w.bob.actor(), {
      requestIds: [ra.requestId, rb.requestId],
      decision: "Approve",
      justification: "batch",
    });
    expect(out.map((o) => (o.ok ? o.status : o.code))).toEqual(["Provisioned", "Conflict"]);
  });

  it("eligibility removed before approval: the request ends Failed with the reason", async () => {
    w.clock.set(T0);
    const u = await w.d.user("Lost Eligibility");
    await w.d.eligible(u, USER_ADMINISTRATOR, { start: w.since, end: at(hours(1)) });
    const r = await ask(u);
    w.clock.advance(hours(2));
    const d = await approve(w.bob, r.requestId);
    expect(d.status).toBe("Failed");
    expect(d.failureReason).toMatch(/eligibility for User Administrator ended/);
  });
});

describe("named approvers and stages", () => {
  it("named users and members of named groups; anyOne: the first decision wins", async () => {
    w.clock.set(T0);
    const [dave, erin, notMember] = await w.d.users("Dave Approver", "Erin Group", "Not Member");
    const g = await w.d.group("Approvers", [erin]);
    await w.d.settings(APPLICATION_ADMINISTRATOR, {
      approvalRequired: true,
      approvalStages: [
        {
          mode: "anyOne",
          approvers: [
            { type: "User", id: dave.id },
            { type: "Group", id: g.id },
          ],
        },
      ],
    });
    const u = await requester("App Requester", APPLICATION_ADMINISTRATOR);
    const r = await ask(u, APPLICATION_ADMINISTRATOR);
    expect((await listApprovableRequests(w.ctx, erin.actor())).rows.map((x) => x.id)).toEqual([r.requestId]);
    expect((await listApprovableRequests(w.ctx, w.alice.actor())).rows.map((x) => x.id)).not.toContain(r.requestId);
    await rejects(approve(w.alice, r.requestId), "Forbidden"); // GA is not a named approver here
    await rejects(approve(notMember, r.requestId), "Forbidden");
    expect((await approve(erin, r.requestId)).status).toBe("Provisioned");
    await rejects(approve(dave, r.requestId), "Conflict");
  });

  it("two stages (all of two, then N of M) advance in order; every approval from a distinct person", async () => {
    w.clock.set(T0);
    const [p1, p2, q1, q2, q3] = await w.d.users("Peer One", "Peer Two", "Sec One", "Sec Two", "Sec Three");
    const sec = await w.d.group("Security reviewers", [q1, q2, q3]);
    await w.d.settings(GROUPS_ADMINISTRATOR, {
      approvalRequired: true,
      approvalStages: [
        {
          mode: "all",
          approvers: [
            { type: "User", id: p1.id },
            { type: "User", id: p2.id },
          ],
        },
        {
          mode: "nOfM",
          required: 2,
          approvers: [
            { type: "Group", id: sec.id },
            { type: "User", id: p1.id },
          ],
        },
      ],
    });
    const u = await requester("Groups Requester", GROUPS_ADMINISTRATOR);
    const r = await ask(u, GROUPS_ADMINISTRATOR);
    await rejects(approve(q1, r.requestId), "Forbidden", /stage 1 of 2/);
    expect(await approve(p1, r.requestId)).toMatchObject({ status: "PendingApproval", stage: 0 });
    expect((await requestRow(r.requestId))?.currentStage).toBe(0);
    await rejects(approve(p1, r.requestId), "Conflict", /already decided/);
    expect(await approve(p2, r.requestId)).toMatchObject({ status: "PendingApproval", stage: 0 });
    expect((await requestRow(r.requestId))?.currentStage).toBe(1);
    // p1 is also a stage-2 approver but already approved this request: distinct persons only
    await rejects(approve(p1, r.requestId), "Conflict", /different person/);
    expect(await approve(q1, r.requestId)).toMatchObject({ status: "PendingApproval", stage: 1 });
    expect(await approve(q3, r.requestId)).toMatchObject({ status: "Provisioned", stage: 1 });
    const ds = await w.h.db.select().from(approvalDecisions).where(eq(approvalDecisions.requestId, r.requestId));
    expect(ds.map((x) => [x.stage, x.approverId]).sort()).toEqual(
      [
        [0, p1.id],
        [0, p2.id],
        [1, q1.id],
        [1, q3.id],
      ].sort(),
    );
  });

  it("a denial at a later stage ends the request", async () => {
    w.clock.set(T0);
    const [s1, s2] = await w.d.users("Stage One", "Stage Two");
    await w.d.settings(AUTHENTICATION_ADMINISTRATOR, {
      approvalRequired: true,
      approvalStages: [
        { mode: "anyOne", approvers: [{ type: "User", id: s1.id }] },
        { mode: "anyOne", approvers: [{ type: "User", id: s2.id }] },
      ],
    });
    const u = await requester("Auth Requester", AUTHENTICATION_ADMINISTRATOR);
    const r = await ask(u, AUTHENTICATION_ADMINISTRATOR);
    await approve(s1, r.requestId);
    const d = await decideRequest(w.ctx, s2.actor(), { requestId: r.requestId, decision: "Deny", justification: "no" });
    expect(d).toMatchObject({ status: "Denied", stage: 1 });
    expect(
      (await checkAccess(w.h.db, { principalId: u.id, roleDefinitionId: AUTHENTICATION_ADMINISTRATOR, at: T0 }))
        .allowed,
    ).toBe(false);
  });
  it("a decision that names a stage passed meanwhile is refused and written nowhere, instead of counting in the next stage", async () => {
    w.clock.set(T0);
    const [lead, deputy, both] = await w.d.users("Stage Lead", "Stage Deputy", "Both Stages");
    await w.d.settings(HELPDESK_ADMINISTRATOR, {
      approvalRequired: true,
      approvalStages: [
        {
          mode: "anyOne",
          approvers: [
            { type: "User", id: lead.id },
            { type: "User", id: both.id },
          ],
        },
        {
          mode: "anyOne",
          approvers: [
            { type: "User", id: deputy.id },
            { type: "User", id: both.id },
          ],
        },
      ],
    });
    const u = await requester("Stale Page", HELPDESK_ADMINISTRATOR);
    const r = await ask(u, HELPDESK_ADMINISTRATOR);
    // both opened the request at stage 1; the lead approves first
    expect(await approve(lead, r.requestId)).toMatchObject({ status: "PendingApproval", stage: 0 });
    const stale = { requestId: r.requestId, decision: "Approve" as const, justification: "stage one ok", stage: 0 };
    await rejects(decideRequest(w.ctx, both.actor(), stale), "Conflict", /Stage 1 of this request has been decided/);
    const bulk = await decideRequests(w.ctx, both.actor(), {
      requestIds: [r.requestId],
      decision: "Approve",
      justification: "stage one ok",
      stages: { [r.requestId]: 0 },
    });
    expect(bulk).toEqual([expect.objectContaining({ ok: false, code: "Conflict" })]);
    const ds = await w.h.db.select().from(approvalDecisions).where(eq(approvalDecisions.requestId, r.requestId));
    expect(ds.map((x) => x.approverId)).toEqual([lead.id]);
    expect((await requestRow(r.requestId))?.currentStage).toBe(1);
    // deciding the stage in progress, by name, counts there
    expect(await decideRequest(w.ctx, both.actor(), { ...stale, stage: 1 })).toMatchObject({
      status: "Provisioned",
      stage: 1,
    });
  });

  it("at stage 2 the other approvers never include whoever decided stage 1; the requester sees the stage and who decided", async () => {
    w.clock.set(T0);
    const [first, second] = await w.d.users("Liam Stage", "Olivia Stage");
    const both = await w.d.group("Stage two approvers", [first, second]);
    await w.d.settings(APPLICATION_ADMINISTRATOR, {
      approvalRequired: true,
      approvalStages: [
        { mode: "anyOne", approvers: [{ type: "User", id: first.id }] },
        { mode: "anyOne", approvers: [{ type: "Group", id: both.id }] },
      ],
    });
    const u = await requester("Noah Stage", APPLICATION_ADMINISTRATOR);
    const r = await ask(u, APPLICATION_ADMINISTRATOR);
    await approve(first, r.requestId, "stage one ok");
    // before the fix, the stage-1 approver (a member of the stage-2 group) was counted and named here
    expect(await countOtherApprovers(w.ctx, second.actor(), [r.requestId])).toEqual({ [r.requestId]: 0 });
    expect(await listOtherApprovers(w.ctx, second.actor(), { requestId: r.requestId })).toEqual({
      approvers: [],
      more: false,
    });
    await rejects(approve(first, r.requestId), "Conflict", /different person/);
    const [mine] = (await listMyRequests(w.ctx, u.actor())).rows.filter((x) => x.id === r.requestId);
    expect(mine).toMatchObject({ status: "PendingApproval", currentStage: 1, stageCount: 2 });
    const decisions = await listRequestDecisions(w.ctx, u.actor(), { requestIds: [r.requestId] });
    expect(decisions[r.requestId]).toEqual([
      expect.objectContaining({ stage: 0, approverName: first.displayName, decision: "Approve" }),
    ]);
  });

  it("each stage has its own time to decide (escalationHours), counted from when the request reaches it", async () => {
    w.clock.set(T0);
    const [h1, h2] = await w.d.users("Quick Stage", "Slow Stage");
    await w.d.settings(HELPDESK_ADMINISTRATOR, {
      approvalRequired: true,
      approvalStages: [
        { mode: "anyOne", approvers: [{ type: "User", id: h1.id }], escalationHours: 2 },
        { mode: "anyOne", approvers: [{ type: "User", id: h2.id }], escalationHours: 72 },
      ],
    });
    // Stage 1 waits 2 hours, not 24: undecided, the request times out after 2 hours and says so.
    const late = await requester("Helpdesk Late", HELPDESK_ADMINISTRATOR);
    const r1 = await ask(late, HELPDESK_ADMINISTRATOR);
    expect((await requestRow(r1.requestId))?.approvalDeadline).toEqual(at(hours(2)));
    w.clock.set(at(hours(2)));
    await rejects(approve(h1, r1.requestId), "Conflict", /expired without a decision \(2 hours at this stage\)/);
    expect((await expireDue(w.ctx)).requestsTimedOut).toBeGreaterThanOrEqual(1);
    expect(await requestRow(r1.requestId)).toMatchObject({
      status: "TimedOut",
      failureReason: "No decision within 2 hours.",
    });

    // Approved at stage 1 after 1 hour: stage 2 gets 72 hours from then, so a day later it is still pending.
    w.clock.set(at(hours(3)));
    const ontime = await requester("Helpdesk On Time", HELPDESK_ADMINISTRATOR);
    const r2 = await ask(ontime, HELPDESK_ADMINISTRATOR);
    w.clock.set(at(hours(4)));
    expect(await approve(h1, r2.requestId)).toMatchObject({ status: "PendingApproval", stage: 0 });
    expect(await requestRow(r2.requestId)).toMatchObject({ currentStage: 1, approvalDeadline: at(hours(4 + 72)) });
    w.clock.set(at(hours(4 + 48)));
    await expireDue(w.ctx);
    expect((await requestRow(r2.requestId))?.status).toBe("PendingApproval");
    w.clock.set(at(hours(4 + 72)));
    await expireDue(w.ctx);
    expect(await requestRow(r2.requestId)).toMatchObject({
      status: "TimedOut",
      failureReason: "No decision within 72 hours.",
    });
  });
});

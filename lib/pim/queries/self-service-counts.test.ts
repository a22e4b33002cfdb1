import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { days, hours, minutes } from "@/test/db";
import { pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import {
  AUTHENTICATION_ADMINISTRATOR,
  GROUPS_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { activateRole } from "@/lib/pim/use-cases/activate-role";
import { cancelRequest } from "@/lib/pim/use-cases/cancel-request";
import { countOtherApprovers, listMyRequests, listOtherApprovers } from "./requests";
import { listRequestDecisions } from "./request-decisions";
import { decideRequest } from "@/lib/pim/use-cases/decide-request";
import { countApprovableRequests, countMyRequests, getOverviewStats } from "./self-service-counts";

const exact = (n: number) => ({ n, exact: true });

let w: PimWorld;
const at = (ms: number) => new Date(T0.getTime() + ms);
beforeAll(async () => {
  w = await pimWorld();
});
afterAll(async () => w.h.drop());

describe("self-service read models", () => {
  it("counts my requests and the requests I may decide; names the other approvers; never the requester", async () => {
    w.clock.set(T0);
    const [sam, liam, olivia] = await w.d.users("Sam Requester", "Liam Approver", "Olivia Approver");
    const approvers = await w.d.group("Approvers", [liam, olivia]);
    await w.d.settings(GROUPS_ADMINISTRATOR, {
      approvalRequired: true,
      approvalStages: [{ mode: "anyOne", approvers: [{ type: "Group", id: approvers.id }] }],
    });
    await w.d.settings(HELPDESK_ADMINISTRATOR, { approvalRequired: true });
    await w.d.eligible(sam, GROUPS_ADMINISTRATOR, { start: w.since });
    await w.d.eligible(sam, HELPDESK_ADMINISTRATOR, { start: w.since });
    // Olivia asks too: she never counts her own request, and Liam sees both.
    await w.d.eligible(olivia, GROUPS_ADMINISTRATOR, { start: w.since });

    const g = await activateRole(w.ctx, sam.actor(), {
      roleDefinitionId: GROUPS_ADMINISTRATOR,
      justification: "groups",
    });
    const h = await activateRole(w.ctx, sam.actor(), {
      roleDefinitionId: HELPDESK_ADMINISTRATOR,
      justification: "helpdesk",
    });
    const o = await activateRole(w.ctx, olivia.actor(), {
      roleDefinitionId: GROUPS_ADMINISTRATOR,
      justification: "mine",
    });

    expect(await countMyRequests(w.ctx, sam.actor())).toEqual(exact(2));
    expect(await countMyRequests(w.ctx, sam.actor(), { pendingOnly: true })).toEqual(exact(2));
    expect(await countApprovableRequests(w.ctx, liam.actor())).toEqual(exact(2));
    expect(await countApprovableRequests(w.ctx, olivia.actor())).toEqual(exact(1)); // Sam's Groups request, not her own
    expect(await countApprovableRequests(w.ctx, w.alice.actor())).toEqual(exact(1)); // GA: the Helpdesk request (no named approvers)
    expect(await countApprovableRequests(w.ctx, sam.actor())).toEqual(exact(0));
    expect(await countApprovableRequests(w.ctx, liam.actor(), 1)).toEqual({ n: 1, exact: false }); // capped: "1+"

    // Other approvers: a count per row (never the viewer, the requester or the person asking) ...
    const ids = [g.requestId, h.requestId, o.requestId];
    expect(await countOtherApprovers(w.ctx, liam.actor(), ids)).toEqual({
      [g.requestId]: 1, // Olivia (Liam is the viewer)
      [o.requestId]: 0, // only Liam: the requester is never her own approver
      [h.requestId]: 2, // no named approvers: Alice (GA) and Bob (PRA)
    });
    expect(await countOtherApprovers(w.ctx, liam.actor(), [])).toEqual({});
    // ... and by name for one request, for those who may decide it (or PIM readers), else Forbidden.
    const named = await listOtherApprovers(w.ctx, liam.actor(), { requestId: g.requestId });
    expect(named.approvers.map((p) => p.name)).toEqual(["Olivia Approver"]);
    const forAlice = await listOtherApprovers(w.ctx, w.alice.actor(), { requestId: h.requestId });
    expect(forAlice.approvers.map((p) => p.name)).toEqual(["Bob Roles"]);
    const readerView = await listOtherApprovers(w.ctx, w.alice.actor(), { requestId: g.requestId });
    expect(readerView.approvers.map((p) => p.name)).toEqual(["Liam Approver", "Olivia Approver"]);
    await rejects(listOtherApprovers(w.ctx, sam.actor(), { requestId: g.requestId }), "Forbidden");

    await decideRequest(w.ctx, liam.actor(), {
      requestId: g.requestId,
      decision: "Deny",
      justification: "Not this week",
    });
    const decisions = await listRequestDecisions(w.ctx, sam.actor(), { requestIds: [g.requestId, o.requestId] });
    expect(decisions[g.requestId]).toMatchObject([
      { approverName: "Liam Approver", decision: "Deny", justification: "Not this week", stage: 0 },
    ]);
    expect(decisions[o.requestId]).toBeUndefined();
    expect(await listRequestDecisions(w.ctx, sam.actor(), { requestIds: [] })).toEqual({});
    // Scoped to the actor's own requests: someone else asking for Sam's decisions gets nothing.
    expect(await listRequestDecisions(w.ctx, olivia.actor(), { requestIds: [g.requestId] })).toEqual({});

    await cancelRequest(w.ctx, sam.actor(), { requestId: h.requestId });
    expect(await countMyRequests(w.ctx, sam.actor())).toEqual(exact(2));
    expect(await countMyRequests(w.ctx, sam.actor(), { pendingOnly: true })).toEqual(exact(0));
    const mine = await listMyRequests(w.ctx, sam.actor());
    expect(exact(mine.rows.length)).toEqual(await countMyRequests(w.ctx, sam.actor()));
    // After 24 hours pending requests are no longer pending (deadline), whether or not a sweep ran.
    expect(await countApprovableRequests(w.ctx, liam.actor())).toEqual(exact(1)); // Olivia's
    w.clock.set(at(hours(25)));
    expect(await countMyRequests(w.ctx, olivia.actor(), { pendingOnly: true })).toEqual(exact(0));
    expect(await countApprovableRequests(w.ctx, liam.actor())).toEqual(exact(0));
  });

  it("overview: my eligible and active roles, directory figures for readers only, activations per UTC day", async () => {
    w.clock.set(at(days(2)));
    const [kim, plain] = await w.d.users("Kim Activator", "Pat Plain");
    await w.d.eligible(kim, USER_ADMINISTRATOR, { start: w.since });
    const team = await w.d.group("Team", [kim]);
    await w.d.eligible(team, AUTHENTICATION_ADMINISTRATOR, { start: w.since });
    await activateRole(w.ctx, kim.actor(), {
      roleDefinitionId: USER_ADMINISTRATOR,
      justification: "day 2",
      durationMinutes: 60,
    });
    w.clock.set(at(days(3) + hours(2)));
    await activateRole(w.ctx, kim.actor(), {
      roleDefinitionId: AUTHENTICATION_ADMINISTRATOR,
      justification: "day 3",
      durationMinutes: 30,
    });
    w.clock.set(at(days(3) + hours(2) + minutes(10)));

    const stats = await getOverviewStats(w.ctx, kim.actor());
    expect(stats).toMatchObject({ myEligible: 2, myActive: 1, approvalsForMe: exact(0), directory: null });
    expect(stats.myActivations).toHaveLength(30);
    const dayOf = (d: Date) => d.toISOString().slice(0, 10);
    expect(stats.myActivations.at(-1)).toEqual({ day: dayOf(at(days(3))), count: 1 });
    expect(stats.myActivations.at(-2)).toEqual({ day: dayOf(at(days(2))), count: 1 });
    expect(stats.myActivations.slice(0, -2).every((d) => d.count === 0)).toBe(true);

    const admin = await getOverviewStats(w.ctx, w.alice.actor());
    expect(admin.directory).not.toBeNull();
    expect(admin.directory!.activeAssignments.exact).toBe(true);
    expect(admin.directory!.activeAssignments.n).toBeGreaterThanOrEqual(3); // Alice, Bob, Kim's live activation
    expect(admin.directory!.activations.at(-1)!.count).toBeGreaterThanOrEqual(1);
    expect((await getOverviewStats(w.ctx, plain.actor())).directory).toBeNull();
  });
});

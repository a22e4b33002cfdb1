import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { days, hours, minutes } from "@/test/db";
import { pimWorld, T0, type PimWorld } from "@/test/fixtures/pim";
import {
  AUTHENTICATION_ADMINISTRATOR,
  GROUPS_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { activateRole } from "@/lib/pim/use-cases/activate-role";
import { cancelRequest } from "@/lib/pim/use-cases/cancel-request";
import { listMyRequests } from "./requests";
import { listRequestApprovers } from "./request-approvers";
import { listRequestDecisions } from "./request-decisions";
import { decideRequest } from "@/lib/pim/use-cases/decide-request";
import { countApprovableRequests, countMyRequests, getOverviewStats } from "./self-service-counts";

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

    expect(await countMyRequests(w.ctx, sam.actor())).toBe(2);
    expect(await countMyRequests(w.ctx, sam.actor(), { pendingOnly: true })).toBe(2);
    expect(await countApprovableRequests(w.ctx, liam.actor())).toBe(2);
    expect(await countApprovableRequests(w.ctx, olivia.actor())).toBe(1); // Sam's Groups request, not her own
    expect(await countApprovableRequests(w.ctx, w.alice.actor())).toBe(1); // GA: the Helpdesk request (no named approvers)
    expect(await countApprovableRequests(w.ctx, sam.actor())).toBe(0);
    expect(await countApprovableRequests(w.ctx, liam.actor(), 1)).toBe(1); // capped

    const names = await listRequestApprovers(w.ctx, [g.requestId, h.requestId, o.requestId]);
    expect(names[g.requestId]?.map((p) => p.name)).toEqual(["Liam Approver", "Olivia Approver"]);
    expect(names[o.requestId]?.map((p) => p.name)).toEqual(["Liam Approver"]); // the requester is never her own approver
    expect(names[h.requestId]?.map((p) => p.name)).toEqual(["Alice Admin", "Bob Roles"]);
    expect(await listRequestApprovers(w.ctx, [])).toEqual({});

    await decideRequest(w.ctx, liam.actor(), {
      requestId: g.requestId,
      decision: "Deny",
      justification: "Not this week",
    });
    const decisions = await listRequestDecisions(w.ctx, [g.requestId, o.requestId]);
    expect(decisions[g.requestId]).toMatchObject([
      { approverName: "Liam Approver", decision: "Deny", justification: "Not this week", stage: 0 },
    ]);
    expect(decisions[o.requestId]).toBeUndefined();
    expect(await listRequestDecisions(w.ctx, [])).toEqual({});

    await cancelRequest(w.ctx, sam.actor(), { requestId: h.requestId });
    expect(await countMyRequests(w.ctx, sam.actor())).toBe(2);
    expect(await countMyRequests(w.ctx, sam.actor(), { pendingOnly: true })).toBe(0);
    const mine = await listMyRequests(w.ctx, sam.actor());
    expect(mine.rows.length).toBe(await countMyRequests(w.ctx, sam.actor()));
    // After 24 hours pending requests are no longer pending (deadline), whether or not a sweep ran.
    expect(await countApprovableRequests(w.ctx, liam.actor())).toBe(1); // Olivia's
    w.clock.set(at(hours(25)));
    expect(await countMyRequests(w.ctx, olivia.actor(), { pendingOnly: true })).toBe(0);
    expect(await countApprovableRequests(w.ctx, liam.actor())).toBe(0);
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
    expect(stats).toMatchObject({ myEligible: 2, myActive: 1, approvalsForMe: 0, directory: null });
    expect(stats.myActivations).toHaveLength(30);
    const dayOf = (d: Date) => d.toISOString().slice(0, 10);
    expect(stats.myActivations.at(-1)).toEqual({ day: dayOf(at(days(3))), count: 1 });
    expect(stats.myActivations.at(-2)).toEqual({ day: dayOf(at(days(2))), count: 1 });
    expect(stats.myActivations.slice(0, -2).every((d) => d.count === 0)).toBe(true);

    const admin = await getOverviewStats(w.ctx, w.alice.actor());
    expect(admin.directory).not.toBeNull();
    expect(admin.directory!.activeAssignments).toBeGreaterThanOrEqual(3); // Alice, Bob, Kim's live activation
    expect(admin.directory!.activations.at(-1)!.count).toBeGreaterThanOrEqual(1);
    expect((await getOverviewStats(w.ctx, plain.actor())).directory).toBeNull();
  });
});

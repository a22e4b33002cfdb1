import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { days, hours, minutes } from "@/test/db";
import { pimWorld, T0, type PimWorld } from "@/test/fixtures/pim";
import {
  APPLICATION_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { activateRole } from "@/lib/pim/use-cases/activate-role";
import { listMyActiveRoles, listMyEligibleRoles, listMyExpiredRoles } from "./my-roles";

let w: PimWorld;
const at = (ms: number) => new Date(T0.getTime() + ms);
beforeAll(async () => {
  w = await pimWorld();
});
afterAll(async () => w.h.drop());

describe("my roles read models", () => {
  it("eligible (direct and through a group, with scope names and policy), active, expired (30 days)", async () => {
    w.clock.set(T0);
    const emma = await w.d.user("Emma Smith");
    const ny = await w.d.administrativeUnit("New York Office");
    const team = await w.d.group("App team", [emma]);
    await w.d.eligible(emma, HELPDESK_ADMINISTRATOR, { start: w.since, scope: ny.scopeId, end: at(days(10)) });
    const ua = await w.d.eligible(emma, USER_ADMINISTRATOR, { start: w.since });
    await w.d.eligible(team, APPLICATION_ADMINISTRATOR, { start: w.since });
    await w.d.settings(HELPDESK_ADMINISTRATOR, { activationMaxMinutes: 60, activationRequireMfa: true }, ny.scopeId);
    await w.d.eligible(emma, USER_ADMINISTRATOR, { start: at(-days(40)), end: at(-days(2)), status: "Expired" });
    await w.d.eligible(emma, HELPDESK_ADMINISTRATOR, { start: at(-days(90)), end: at(-days(45)), status: "Expired" });
    const act = await activateRole(w.ctx, emma.actor(), {
      roleDefinitionId: USER_ADMINISTRATOR,
      justification: "x",
      durationMinutes: 120,
    });

    const eligible = await listMyEligibleRoles(w.ctx, emma.actor());
    expect(eligible.map((e) => [e.roleName, e.scopeName, e.memberType, e.viaGroupName])).toEqual([
      ["Application Administrator", "Directory", "Group", "App team"],
      ["Helpdesk Administrator", "New York Office", "Direct", null],
      ["User Administrator", "Directory", "Direct", null],
    ]);
    const hd = eligible[1]!;
    expect(hd.policy).toEqual({
      activationMaxMinutes: 60,
      requireMfa: true,
      requireJustification: true,
      requireTicket: false,
      approvalRequired: false,
    });
    expect(hd.canRequestExtension).toBe(true);
    const uaRow = eligible.find((e) => e.scheduleId === ua.id)!;
    expect(uaRow.activation?.scheduleId).toBe(act.schedule!.id);

    const active = await listMyActiveRoles(w.ctx, emma.actor());
    expect(active.map((a) => [a.roleName, a.assignmentType, a.deactivatableFrom])).toEqual([
      ["User Administrator", "Activated", at(minutes(5))],
    ]);

    w.clock.set(at(hours(3)));
    expect(await listMyActiveRoles(w.ctx, emma.actor())).toEqual([]); // ended, no sweep needed
    const expired = await listMyExpiredRoles(w.ctx, emma.actor());
    // the activation has not been swept (stored status still Provisioned) yet shows as Expired
    expect(expired.map((e) => [e.kind, e.roleName, e.assignmentType, e.status, e.canRequestRenewal])).toEqual([
      ["assignment", "User Administrator", "Activated", "Expired", false],
      ["eligibility", "User Administrator", null, "Expired", true],
    ]);
  });
});

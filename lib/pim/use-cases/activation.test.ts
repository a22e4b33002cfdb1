import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { roleAssignmentSchedules, roleEligibilitySchedules, scheduleRequests } from "@/db/schema";
import { days, hours, minutes } from "@/test/db";
import { auditRows, pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import {
  APPLICATION_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  SECURITY_READER,
  USER_ADMINISTRATOR,
  USER_CREATE_PERMISSION,
} from "@/lib/pim/directory/builtin-roles";
import { checkAccess } from "@/lib/pim/access/check-access";
import { activateRole } from "./activate-role";
import { cancelRequest } from "./cancel-request";
import { deactivateRole } from "./deactivate-role";
import { requestExtension } from "./request-extension";
import { requestRenewal } from "./request-renewal";
import { decideRequest } from "./decide-request";

let w: PimWorld;
const at = (ms: number) => new Date(T0.getTime() + ms);
beforeAll(async () => {
  w = await pimWorld();
});
afterAll(async () => w.h.drop());

const UA = { roleDefinitionId: USER_ADMINISTRATOR, justification: "Need to add a user" };

async function eligibleUser(name: string, end: Date | null = null, role = USER_ADMINISTRATOR) {
  const u = await w.d.user(name);
  const e = await w.d.eligible(u, role, { start: w.since, end });
  return { u, e };
}

describe("activateRole", () => {
  it("Sophia activates User Administrator and only then may create users; the window decides, not the sweep", async () => {
    w.clock.set(T0);
    const { u: sophia, e } = await eligibleUser("Sophia Davis");
    const q = { principalId: sophia.id, permission: USER_CREATE_PERMISSION };
    expect((await checkAccess(w.h.db, { ...q, at: T0 })).allowed).toBe(false);
    const r = await activateRole(w.ctx, sophia.actor(), { ...UA, durationMinutes: 240 });
    expect(r.status).toBe("Provisioned");
    expect(r.schedule).toMatchObject({
      assignmentType: "Activated",
      memberType: "Direct",
      eligibilityScheduleId: e.id,
      startDateTime: T0,
      endDateTime: at(hours(4)),
    });
    const [req] = await w.h.db.select().from(scheduleRequests).where(eq(scheduleRequests.id, r.requestId));
    expect(req).toMatchObject({
      action: "selfActivate",
      status: "Provisioned",
      duration: "PT4H",
      eligibilityScheduleId: e.id,
      justification: "Need to add a user",
    });
    expect((await checkAccess(w.h.db, { ...q, at: T0 })).allowed).toBe(true);
    expect((await checkAccess(w.h.db, { ...q, at: at(hours(4)) })).allowed).toBe(false);
    const audit = (await auditRows(w.ctx, "selfActivate")).filter((a) => a.request_id === r.requestId);
    expect(audit.map((a) => a.activity)).toEqual(["Add member to role completed (PIM activation)"]);
  });

  it("duration: at most the role's maximum, with the rule named; default = the maximum", async () => {
    w.clock.set(T0);
    const { u } = await eligibleUser("Duration Tester");
    const err = await rejects(
      activateRole(w.ctx, u.actor(), { ...UA, durationMinutes: 481 }),
      "ExpirationRule",
      /^User Administrator can be activated for at most 8 hours\.$/,
    );
    expect(err.rule).toBe("ExpirationRule");
    await rejects(activateRole(w.ctx, u.actor(), { ...UA, duration: "PT9H" }), "ExpirationRule");
    const r = await activateRole(w.ctx, u.actor(), UA);
    expect(r.endDateTime).toEqual(at(hours(8)));
  });

  it("justification, ticket and MFA when the settings require them", async () => {
    w.clock.set(T0);
    await w.d.settings(HELPDESK_ADMINISTRATOR, {
      activationRequireTicket: true,
      activationRequireMfa: true,
      activationMaxMinutes: 120,
    });
    const { u } = await eligibleUser("Helpdesk Person", null, HELPDESK_ADMINISTRATOR);
    const hd = { roleDefinitionId: HELPDESK_ADMINISTRATOR };
    await rejects(
      activateRole(w.ctx, u.actor({ mfaAt: T0 }), hd),
      "JustificationRule",
      /justification is required to activate Helpdesk Administrator/,
    );
    await rejects(
      activateRole(w.ctx, u.actor({ mfaAt: T0 }), { ...hd, justification: "x", ticketNumber: "INC-1" }),
      "TicketingRule",
    );
    const full = { ...hd, justification: "x", ticketNumber: "INC-1", ticketSystem: "ServiceNow" };
    await rejects(
      activateRole(w.ctx, u.actor(), full),
      "MfaRule",
      /Helpdesk Administrator requires multifactor authentication/,
    );
    await rejects(activateRole(w.ctx, u.actor({ mfaAt: at(-minutes(16)) }), full), "MfaRule");
    await rejects(
      activateRole(w.ctx, u.actor({ mfaAt: T0 }), { ...full, durationMinutes: 121 }),
      "ExpirationRule",
      /at most 2 hours/,
    );
    const r = await activateRole(w.ctx, u.actor({ mfaAt: at(-minutes(10)) }), full);
    expect(r.endDateTime).toEqual(at(hours(2)));
  });

  it("never outlives the eligibility; refuses when not eligible, and when already active", async () => {
    w.clock.set(T0);
    const { u } = await eligibleUser("Short Eligible", at(hours(1)));
    const r = await activateRole(w.ctx, u.actor(), UA);
    expect(r.endDateTime).toEqual(at(hours(1)));
    await rejects(
      activateRole(w.ctx, u.actor(), UA),
      "Conflict",
      /User Administrator is already active until 2026-11-22 10:00 UTC/,
    );
    await rejects(
      activateRole(w.ctx, u.actor(), { ...UA, roleDefinitionId: APPLICATION_ADMINISTRATOR }),
      "EligibilityRule",
      /not eligible for Application Administrator at Directory/,
    );
    w.clock.advance(hours(1));
    await rejects(activateRole(w.ctx, u.actor(), UA), "EligibilityRule");
  });

  it("after an activation ends (no sweep), the same eligibility activates again: the stale row is recorded Expired first", async () => {
    w.clock.set(T0);
    const { u } = await eligibleUser("Twice");
    const first = await activateRole(w.ctx, u.actor(), { ...UA, durationMinutes: 60 });
    w.clock.advance(hours(2));
    const second = await activateRole(w.ctx, u.actor(), { ...UA, durationMinutes: 60 });
    const [old] = await w.h.db
      .select()
      .from(roleAssignmentSchedules)
      .where(eq(roleAssignmentSchedules.id, first.schedule!.id));
    expect(old?.status).toBe("Expired");
    expect(second.status).toBe("Provisioned");
  });

  it("through a group: the activation is the user's own (Direct), keeping the group's eligibility id; two members each activate", async () => {
    w.clock.set(T0);
    const [m1, m2] = await w.d.users("Member One", "Member Two");
    const g = await w.d.group("UA team", [m1, m2]);
    const ge = await w.d.eligible(g, USER_ADMINISTRATOR, { start: w.since });
    const a1 = await activateRole(w.ctx, m1.actor(), UA);
    const a2 = await activateRole(w.ctx, m2.actor(), UA);
    expect(a1.schedule).toMatchObject({
      principalId: m1.id,
      principalType: "User",
      memberType: "Direct",
      eligibilityScheduleId: ge.id,
    });
    expect(a2.schedule?.principalId).toBe(m2.id);
    await w.d.removeMember(g, m2);
    w.clock.advance(hours(9));
    await rejects(activateRole(w.ctx, m2.actor(), UA), "EligibilityRule");
  });

  it("scope: a directory eligibility may be narrowed to an administrative unit; an AU eligibility does not reach the directory", async () => {
    w.clock.set(T0);
    const ny = await w.d.administrativeUnit("New York Office");
    const { u } = await eligibleUser("Narrower");
    const r = await activateRole(w.ctx, u.actor(), { ...UA, directoryScopeId: ny.scopeId });
    expect(r.schedule?.directoryScopeId).toBe(ny.scopeId);
    expect(
      (
        await checkAccess(w.h.db, {
          principalId: u.id,
          roleDefinitionId: USER_ADMINISTRATOR,
          directoryScopeId: "/",
          at: T0,
        })
      ).allowed,
    ).toBe(false);
    const emma = await w.d.user("Emma Smith");
    await w.d.eligible(emma, HELPDESK_ADMINISTRATOR, { start: w.since, scope: ny.scopeId });
    await rejects(
      activateRole(w.ctx, emma.actor({ mfaAt: T0 }), {
        roleDefinitionId: HELPDESK_ADMINISTRATOR,
        justification: "x",
        ticketNumber: "1",
        ticketSystem: "s",
      }),
      "EligibilityRule",
      /at Directory/,
    );
  });

  it("a custom future start gives a Granted (scheduled) activation that grants nothing before its start", async () => {
    w.clock.set(T0);
    const { u } = await eligibleUser("Scheduler");
    const r = await activateRole(w.ctx, u.actor(), { ...UA, startDateTime: at(hours(2)), durationMinutes: 60 });
    expect(r.status).toBe("Granted");
    expect(
      (await checkAccess(w.h.db, { principalId: u.id, roleDefinitionId: USER_ADMINISTRATOR, at: at(hours(1)) }))
        .allowed,
    ).toBe(false);
    expect(
      (await checkAccess(w.h.db, { principalId: u.id, roleDefinitionId: USER_ADMINISTRATOR, at: at(hours(2)) }))
        .allowed,
    ).toBe(true);
    // withdraw it before it starts
    await cancelRequest(w.ctx, u.actor(), { requestId: r.requestId });
    expect(
      (await checkAccess(w.h.db, { principalId: u.id, roleDefinitionId: USER_ADMINISTRATOR, at: at(hours(2)) }))
        .allowed,
    ).toBe(false);
  });
});

describe("deactivateRole", () => {
  it("not within 5 minutes; then access stops at once (end = now, Revoked)", async () => {
    w.clock.set(T0);
    const { u } = await eligibleUser("Deactivator");
    const r = await activateRole(w.ctx, u.actor(), UA);
    w.clock.advance(minutes(4));
    await rejects(
      deactivateRole(w.ctx, u.actor(), { scheduleId: r.schedule!.id }),
      "ExpirationRule",
      /within 5 minutes/,
    );
    w.clock.advance(minutes(2));
    const d = await deactivateRole(w.ctx, u.actor(), { roleDefinitionId: USER_ADMINISTRATOR });
    expect(d.schedule).toMatchObject({ status: "Revoked", endDateTime: w.clock.now() });
    expect(
      (await checkAccess(w.h.db, { principalId: u.id, roleDefinitionId: USER_ADMINISTRATOR, at: w.clock.now() }))
        .allowed,
    ).toBe(false);
    await rejects(deactivateRole(w.ctx, u.actor(), { scheduleId: r.schedule!.id }), "NotFound");
    // someone else's activation is not found for me
    const other = await eligibleUser("Other");
    const o = await activateRole(w.ctx, other.u.actor(), UA);
    w.clock.advance(minutes(10));
    await rejects(deactivateRole(w.ctx, u.actor(), { scheduleId: o.schedule!.id }), "NotFound");
  });
});

describe("requestExtension / requestRenewal", () => {
  it("extension only within 14 days of the end; approved by an admin, it moves the end", async () => {
    w.clock.set(T0);
    const u = await w.d.user("Extender");
    const far = await w.d.eligible(u, HELPDESK_ADMINISTRATOR, { start: w.since, end: at(days(20)) });
    await rejects(
      requestExtension(w.ctx, u.actor(), { kind: "eligibility", scheduleId: far.id, endDateTime: at(days(60)) }),
      "ExpirationRule",
      /within 14 days/,
    );
    const near = await w.d.eligible(u, USER_ADMINISTRATOR, { start: w.since, end: at(days(10)) });
    const r = await requestExtension(w.ctx, u.actor(), {
      kind: "eligibility",
      scheduleId: near.id,
      endDateTime: at(days(90)),
      justification: "still needed",
    });
    expect(r.status).toBe("PendingApproval");
    await rejects(
      requestExtension(w.ctx, u.actor(), { kind: "eligibility", scheduleId: near.id, endDateTime: at(days(90)) }),
      "Conflict",
      /already asked/,
    );
    const d = await decideRequest(w.ctx, w.bob.actor(), {
      requestId: r.requestId,
      decision: "Approve",
      justification: "ok",
    });
    expect(d).toMatchObject({ status: "Provisioned", scheduleId: near.id });
    const [req] = await w.h.db.select().from(scheduleRequests).where(eq(scheduleRequests.id, r.requestId));
    expect(req?.status).toBe("Provisioned");
  });

  it("renewal only up to 30 days after expiry; approved, it creates a new eligibility", async () => {
    w.clock.set(T0);
    const u = await w.d.user("Renewer");
    const old = await w.d.eligible(u, USER_ADMINISTRATOR, {
      start: at(-days(100)),
      end: at(-days(31)),
      status: "Expired",
    });
    await rejects(
      requestRenewal(w.ctx, u.actor(), { kind: "eligibility", scheduleId: old.id, endDateTime: at(days(30)) }),
      "ExpirationRule",
      /30 days/,
    );
    const recent = await w.d.eligible(u, USER_ADMINISTRATOR, {
      start: at(-days(60)),
      end: at(-days(3)),
      status: "Expired",
    });
    const r = await requestRenewal(w.ctx, u.actor(), {
      kind: "eligibility",
      scheduleId: recent.id,
      endDateTime: at(days(30)),
    });
    const d = await decideRequest(w.ctx, w.alice.actor(), {
      requestId: r.requestId,
      decision: "Approve",
      justification: "fine",
    });
    expect(d.status).toBe("Provisioned");
    expect(d.scheduleId).not.toBe(recent.id);
    const act = await activateRole(w.ctx, u.actor(), UA);
    expect(act.status).toBe("Provisioned");
  });
  it("approval re-checks the window at that moment: a renewal whose end has passed while waiting ends Failed, creating nothing", async () => {
    w.clock.set(T0);
    const u = await w.d.user("Late Renewer");
    const recent = await w.d.eligible(u, APPLICATION_ADMINISTRATOR, {
      start: at(-days(60)),
      end: at(-days(1)),
      status: "Expired",
    });
    const r = await requestRenewal(w.ctx, u.actor(), {
      kind: "eligibility",
      scheduleId: recent.id,
      endDateTime: at(hours(1)),
    });
    w.clock.set(at(hours(5)));
    const d = await decideRequest(w.ctx, w.alice.actor(), {
      requestId: r.requestId,
      decision: "Approve",
      justification: "late",
    });
    expect(d).toMatchObject({ status: "Failed", scheduleId: null });
    expect(d.failureReason).toMatch(/end date is in the past/);
    const live = await w.h.db
      .select()
      .from(roleEligibilitySchedules)
      .where(and(eq(roleEligibilitySchedules.principalId, u.id), eq(roleEligibilitySchedules.status, "Provisioned")));
    expect(live).toHaveLength(0);
  });

  it("approval applies the role's rules as they are then: an extension beyond a maximum set meanwhile ends Failed", async () => {
    w.clock.set(T0);
    const u = await w.d.user("Rules Changed");
    const near = await w.d.eligible(u, SECURITY_READER, { start: at(-days(20)), end: at(days(5)) });
    const r = await requestExtension(w.ctx, u.actor(), {
      kind: "eligibility",
      scheduleId: near.id,
      endDateTime: at(days(200)),
      justification: "more",
    });
    await w.d.settings(SECURITY_READER, { allowPermanentEligible: false, eligibleMaxDays: 90 });
    const d = await decideRequest(w.ctx, w.alice.actor(), {
      requestId: r.requestId,
      decision: "Approve",
      justification: "ok",
    });
    expect(d.status).toBe("Failed");
    expect(d.failureReason).toMatch(/at most/);
    const [row] = await w.h.db.select().from(roleEligibilitySchedules).where(eq(roleEligibilitySchedules.id, near.id));
    expect(row?.endDateTime).toEqual(at(days(5)));
  });
});

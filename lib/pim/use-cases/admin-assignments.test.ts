import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_BASE_URL } from "@/test/fixtures/notifications";
import { eq, sql, type SQL } from "drizzle-orm";
import {
  auditEvents,
  notifications,
  roleAssignmentSchedules,
  roleEligibilitySchedules,
  scheduleRequests,
} from "@/db/schema";
import { days, hours, minutes } from "@/test/db";
import { fanOutEvents } from "@/lib/pim/notifications/fan-out";
import { auditRows, count, pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import {
  GLOBAL_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { checkAccess } from "@/lib/pim/access/check-access";
import { activateRole } from "./activate-role";
import { assignRole } from "./assign-role";
import { extendAssignment } from "./extend-assignment";
import { removeAssignment } from "./remove-assignment";
import { renewAssignment } from "./renew-assignment";
import { updateAssignment } from "./update-assignment";

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

const eligible = (principalId: string, extra: Record<string, unknown> = {}) => ({
  assignmentType: "Eligible" as const,
  principalId,
  principalType: "User" as const,
  roleDefinitionId: USER_ADMINISTRATOR,
  ...extra,
});

describe("assignRole", () => {
  it("makes a user eligible: request adminAssign Provisioned, schedule, one audit row, notices, all in one go", async () => {
    w.clock.set(T0);
    const sophia = await w.d.user("Sophia Davis");
    const r = await assignRole(
      w.ctx,
      w.alice.actor(),
      eligible(sophia.id, { endDateTime: at(days(90)), justification: "On call" }),
    );
    expect(r.schedule).toMatchObject({
      kind: "eligibility",
      principalId: sophia.id,
      status: "Provisioned",
      startDateTime: T0,
      endDateTime: at(days(90)),
    });
    const [req] = await w.h.db.select().from(scheduleRequests).where(eq(scheduleRequests.id, r.requestId));
    expect(req).toMatchObject({
      action: "adminAssign",
      status: "Provisioned",
      requestType: "eligibility",
      requestorId: w.alice.id,
      targetScheduleId: r.schedule.id,
    });
    const audits = (await auditRows(w.ctx, "adminAssign")).filter((a) => a.request_id === r.requestId);
    expect(audits).toHaveLength(1);
    expect(audits[0]?.activity).toBe("Add eligible member to role in PIM completed (timebound)");
    expect(audits[0]?.details.changed).toEqual([r.requestId, r.schedule.id]);
    expect(
      await noticeCount(
        sql`select count(*) n from ${notifications} where request_id = ${r.requestId} or link like '%' || ${"Sophia"} || '%'`,
      ),
    ).toBeGreaterThan(0);
  });

  it("only an actor holding GA or PRA right now may assign; the refusal is audited as a failure", async () => {
    const [eve, target] = await w.d.users("Eve Eligible", "Target Person");
    await w.d.eligible(eve, PRIVILEGED_ROLE_ADMINISTRATOR, { start: w.since });
    await rejects(
      assignRole(w.ctx, eve.actor(), eligible(target.id, { justification: "Onboarding, ticket 7" })),
      "Forbidden",
      /Global Administrator or Privileged Role Administrator/,
    );
    const fails = (await auditRows(w.ctx, "adminAssign")).filter((a) => a.actor_id === eve.id);
    expect(fails.map((f) => f.result)).toEqual(["failure"]);
    // the failure row reads as Entra's does and keeps what the person said
    expect(fails.map((f) => f.activity)).toEqual(["Add eligible member to role in PIM failed"]);
    const [why] = await w.h.db
      .select({ j: auditEvents.justification })
      .from(auditEvents)
      .where(eq(auditEvents.id, Number(fails[0]!.id)));
    expect(why?.j).toBe("Onboarding, ticket 7");
    // eligible is not enough; activated PRA is
    await activateRole(w.ctx, eve.actor(), {
      roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
      justification: "assign",
      durationMinutes: 60,
    });
    await expect(assignRole(w.ctx, eve.actor(), eligible(target.id))).resolves.toBeDefined();
    w.clock.advance(hours(1)); // the activation has ended, without any sweep
    await rejects(
      assignRole(w.ctx, eve.actor(), { ...eligible(target.id), roleDefinitionId: HELPDESK_ADMINISTRATOR }),
      "Forbidden",
    );
    w.clock.set(T0);
  });

  it("service principals: active only; groups may be eligible", async () => {
    const sp = await w.d.servicePrincipal("Deploy bot");
    await rejects(
      assignRole(w.ctx, w.bob.actor(), { ...eligible(sp.id), principalType: "ServicePrincipal" }),
      "EligibilityRule",
      /Service principals can only hold active/,
    );
    const r = await assignRole(w.ctx, w.bob.actor(), {
      ...eligible(sp.id),
      assignmentType: "Active",
      principalType: "ServicePrincipal",
      justification: "CI",
      endDateTime: at(days(30)),
    });
    expect(r.schedule).toMatchObject({
      kind: "assignment",
      assignmentType: "Assigned",
      principalType: "ServicePrincipal",
    });
    const g = await w.d.group("Helpdesk team");
    await expect(
      assignRole(w.ctx, w.bob.actor(), {
        ...eligible(g.id),
        principalType: "Group",
        roleDefinitionId: HELPDESK_ADMINISTRATOR,
      }),
    ).resolves.toBeDefined();
  });

  it("enforces the role's assignment settings: permanent allowed?, maximum length, 5-minute minimum", async () => {
    const u = await w.d.user("Rule Tester");
    await w.d.settings(HELPDESK_ADMINISTRATOR, {
      allowPermanentEligible: false,
      allowPermanentActive: false,
      eligibleMaxDays: 365,
      activeMaxDays: 180,
    });
    const hd = { ...eligible(u.id), roleDefinitionId: HELPDESK_ADMINISTRATOR };
    await rejects(
      assignRole(w.ctx, w.alice.actor(), hd),
      "ExpirationRule",
      /Permanent eligible assignments to Helpdesk Administrator are not allowed/,
    );
    await rejects(
      assignRole(w.ctx, w.alice.actor(), { ...hd, endDateTime: at(days(365) + minutes(1)) }),
      "ExpirationRule",
      /Eligible assignments to Helpdesk Administrator can last at most 365 days/,
    );
    await rejects(
      assignRole(w.ctx, w.alice.actor(), {
        ...hd,
        assignmentType: "Active",
        justification: "x",
        endDateTime: at(days(181)),
      }),
      "ExpirationRule",
      /at most 180 days/,
    );
    await rejects(
      assignRole(w.ctx, w.alice.actor(), { ...hd, endDateTime: at(minutes(4)) }),
      "ExpirationRule",
      /at least 5 minutes/,
    );
    await rejects(
      assignRole(w.ctx, w.alice.actor(), { ...hd, endDateTime: at(-days(1)) }),
      "ExpirationRule",
      /end date is in the past/,
    );
    await rejects(
      assignRole(w.ctx, w.alice.actor(), { ...hd, startDateTime: at(days(3)), endDateTime: at(days(2)) }),
      "ExpirationRule",
      /end date is before the start/,
    );
    await expect(assignRole(w.ctx, w.alice.actor(), { ...hd, endDateTime: at(days(365)) })).resolves.toBeDefined();
    await rejects(
      assignRole(w.ctx, w.alice.actor(), { ...hd, endDateTime: at(days(10)) }),
      "Conflict",
      /already has an eligible assignment/,
    );
  });

  it("active assignment: justification (default on) and MFA when required, MFA recent = 15 minutes", async () => {
    const u = await w.d.user("Active Person");
    await w.d.settings(GLOBAL_ADMINISTRATOR, { activeRequireMfa: true });
    const ga = {
      ...eligible(u.id),
      assignmentType: "Active" as const,
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      endDateTime: at(days(10)),
    };
    await rejects(
      assignRole(w.ctx, w.alice.actor({ mfaAt: T0 }), ga),
      "JustificationRule",
      /justification is required to assign Global Administrator as active/,
    );
    await rejects(
      assignRole(w.ctx, w.alice.actor({ mfaAt: at(-minutes(16)) }), { ...ga, justification: "break glass" }),
      "MfaRule",
      /multifactor authentication in the last 15 minutes/,
    );
    const r = await assignRole(w.ctx, w.alice.actor({ mfaAt: at(-minutes(14)) }), {
      ...ga,
      justification: "break glass",
    });
    const [req] = await w.h.db.select().from(scheduleRequests).where(eq(scheduleRequests.id, r.requestId));
    expect(req?.mfaVerified).toBe(true);
  });

  it("a future start gives a Granted schedule that grants nothing until it starts", async () => {
    const u = await w.d.user("Future Person");
    const r = await assignRole(w.ctx, w.alice.actor(), {
      ...eligible(u.id),
      assignmentType: "Active",
      justification: "later",
      startDateTime: at(days(1)),
      endDateTime: at(days(2)),
    });
    expect(r.schedule.status).toBe("Granted");
    expect(
      (await checkAccess(w.h.db, { principalId: u.id, roleDefinitionId: USER_ADMINISTRATOR, at: T0 })).allowed,
    ).toBe(false);
    expect(
      (await checkAccess(w.h.db, { principalId: u.id, roleDefinitionId: USER_ADMINISTRATOR, at: at(days(1)) })).allowed,
    ).toBe(true);
  });
});

describe("removeAssignment", () => {
  it("not within 5 minutes of creation; then access stops at once (end = now, Revoked)", async () => {
    w.clock.set(T0);
    const u = await w.d.user("Removable");
    const r = await assignRole(w.ctx, w.alice.actor(), {
      ...eligible(u.id),
      assignmentType: "Active",
      justification: "temp",
    });
    w.clock.advance(minutes(4));
    await rejects(
      removeAssignment(w.ctx, w.alice.actor(), { kind: "assignment", scheduleId: r.schedule.id }),
      "ExpirationRule",
      /within 5 minutes of its creation/,
    );
    w.clock.advance(minutes(1));
    const removed = await removeAssignment(w.ctx, w.alice.actor(), {
      kind: "assignment",
      scheduleId: r.schedule.id,
      justification: "done",
    });
    expect(removed.schedule).toMatchObject({ status: "Revoked", endDateTime: w.clock.now() });
    expect(
      (await checkAccess(w.h.db, { principalId: u.id, roleDefinitionId: USER_ADMINISTRATOR, at: w.clock.now() }))
        .allowed,
    ).toBe(false);
    await rejects(
      removeAssignment(w.ctx, w.alice.actor(), { kind: "assignment", scheduleId: r.schedule.id }),
      "Conflict",
      /already ended/,
    );
    w.clock.set(T0);
  });

  it("removing an eligibility ends the activation made from it", async () => {
    w.clock.set(T0);
    const u = await w.d.user("Elig Removed");
    const e = await w.d.eligible(u, USER_ADMINISTRATOR, { start: w.since });
    const act = await activateRole(w.ctx, u.actor(), { roleDefinitionId: USER_ADMINISTRATOR, justification: "work" });
    w.clock.advance(minutes(10));
    await removeAssignment(w.ctx, w.bob.actor(), { kind: "eligibility", scheduleId: e.id });
    const [a] = await w.h.db
      .select()
      .from(roleAssignmentSchedules)
      .where(eq(roleAssignmentSchedules.id, act.schedule!.id));
    expect(a).toMatchObject({ status: "Revoked", endDateTime: w.clock.now() });
    expect(
      (await checkAccess(w.h.db, { principalId: u.id, roleDefinitionId: USER_ADMINISTRATOR, at: w.clock.now() }))
        .allowed,
    ).toBe(false);
    w.clock.set(T0);
  });
});

describe("updateAssignment / extendAssignment / renewAssignment", () => {
  it("update sets a new end; shortening an eligibility shortens its activation", async () => {
    w.clock.set(T0);
    const u = await w.d.user("Updated");
    const e = await w.d.eligible(u, USER_ADMINISTRATOR, { start: w.since, end: at(days(30)) });
    const act = await activateRole(w.ctx, u.actor(), {
      roleDefinitionId: USER_ADMINISTRATOR,
      justification: "work",
      durationMinutes: 480,
    });
    const r = await updateAssignment(w.ctx, w.alice.actor(), {
      kind: "eligibility",
      scheduleId: e.id,
      endDateTime: at(hours(2)),
    });
    expect(r.schedule.endDateTime).toEqual(at(hours(2)));
    const [a] = await w.h.db
      .select()
      .from(roleAssignmentSchedules)
      .where(eq(roleAssignmentSchedules.id, act.schedule!.id));
    expect(a?.endDateTime).toEqual(at(hours(2)));
    expect(
      (await checkAccess(w.h.db, { principalId: u.id, roleDefinitionId: USER_ADMINISTRATOR, at: at(hours(3)) }))
        .allowed,
    ).toBe(false);
  });

  it("extend needs a later end; renew works on an expired one", async () => {
    w.clock.set(T0);
    const u = await w.d.user("Extended");
    const e = await w.d.eligible(u, HELPDESK_ADMINISTRATOR, { start: w.since, end: at(days(5)) });
    await rejects(
      extendAssignment(w.ctx, w.alice.actor(), { kind: "eligibility", scheduleId: e.id, endDateTime: at(days(4)) }),
      "ExpirationRule",
      /later than the current end/,
    );
    const x = await extendAssignment(w.ctx, w.alice.actor(), {
      kind: "eligibility",
      scheduleId: e.id,
      endDateTime: at(days(100)),
      justification: "Project runs on",
      ticketNumber: "CHG-311",
      ticketSystem: "ServiceNow",
    });
    expect(x.schedule.endDateTime).toEqual(at(days(100)));
    // the admin's justification and ticket are in the audit row (the ticket used to be dropped for Extend/Renew)
    const [row] = await w.h.db
      .select({
        activity: auditEvents.activity,
        j: auditEvents.justification,
        t: auditEvents.ticketNumber,
        sys: auditEvents.ticketSystem,
        target: auditEvents.targetName,
      })
      .from(auditEvents)
      .where(eq(auditEvents.requestId, x.requestId));
    expect(row).toEqual({
      activity: "Extend eligible member in role in PIM completed (timebound)",
      j: "Project runs on",
      t: "CHG-311",
      sys: "ServiceNow",
      target: "Extended",
    });
    const old = await w.d.eligible(u, USER_ADMINISTRATOR, { start: w.since, end: at(-days(2)), status: "Expired" });
    await rejects(
      renewAssignment(w.ctx, w.alice.actor(), { kind: "eligibility", scheduleId: e.id, endDateTime: at(days(10)) }),
      "Conflict",
      /has ended can be renewed/,
    );
    const rn = await renewAssignment(w.ctx, w.alice.actor(), {
      kind: "eligibility",
      scheduleId: old.id,
      endDateTime: at(days(60)),
    });
    expect(rn.schedule).toMatchObject({
      status: "Provisioned",
      startDateTime: T0,
      endDateTime: at(days(60)),
      roleDefinitionId: USER_ADMINISTRATOR,
    });
    const [req] = await w.h.db.select().from(scheduleRequests).where(eq(scheduleRequests.id, rn.requestId));
    expect(req?.action).toBe("adminRenew");
    const [kept] = await w.h.db.select().from(roleEligibilitySchedules).where(eq(roleEligibilitySchedules.id, old.id));
    expect(kept?.status).toBe("Expired");
  });
});

describe("lockout protection", () => {
  it("the last active Global Administrator and Privileged Role Administrator cannot be removed", async () => {
    const x = await pimWorld(); // a world of its own: Alice is the only GA, Bob the only PRA
    try {
      const [gaRow] = await x.h.db
        .select()
        .from(roleAssignmentSchedules)
        .where(eq(roleAssignmentSchedules.principalId, x.alice.id));
      const [praRow] = await x.h.db
        .select()
        .from(roleAssignmentSchedules)
        .where(eq(roleAssignmentSchedules.principalId, x.bob.id));
      await rejects(
        removeAssignment(x.ctx, x.bob.actor(), { kind: "assignment", scheduleId: gaRow!.id }),
        "LockoutProtection",
        /Alice Admin is the last active Global Administrator/,
      );
      await rejects(
        removeAssignment(x.ctx, x.alice.actor(), { kind: "assignment", scheduleId: praRow!.id }),
        "LockoutProtection",
        /last active Privileged Role Administrator/,
      );
      await rejects(
        updateAssignment(x.ctx, x.alice.actor(), {
          kind: "assignment",
          scheduleId: praRow!.id,
          endDateTime: at(hours(1)),
          justification: "x",
        }),
        "LockoutProtection",
      );
      // with a second GA (in force, not just eligible), Alice's can go
      const carol = await x.d.user("Carol Second");
      await x.d.active(carol, GLOBAL_ADMINISTRATOR, { start: x.since });
      const removed = await removeAssignment(x.ctx, x.bob.actor(), { kind: "assignment", scheduleId: gaRow!.id });
      expect(removed.schedule.status).toBe("Revoked");
    } finally {
      await x.h.drop();
    }
  });
});

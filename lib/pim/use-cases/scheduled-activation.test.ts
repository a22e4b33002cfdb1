import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { roleAssignmentSchedules, scheduleRequests } from "@/db/schema";
import { days, hours, minutes } from "@/test/db";
import { auditRows, pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import { GROUPS_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { checkAccess } from "@/lib/pim/access/check-access";
import { listMyActiveRoles, listMyEligibleRoles } from "@/lib/pim/queries/my-roles";
import { activateRole } from "./activate-role";
import { cancelRequest } from "./cancel-request";

let w: PimWorld;
const at = (ms: number) => new Date(T0.getTime() + ms);
beforeAll(async () => {
  w = await pimWorld();
  await w.d.settings(GROUPS_ADMINISTRATOR, { approvalRequired: true });
});
afterAll(async () => w.h.drop());

const UA = { roleDefinitionId: USER_ADMINISTRATOR, justification: "Quarter-end user clean-up" };

async function eligibleUser(name: string, role = USER_ADMINISTRATOR) {
  const u = await w.d.user(name);
  await w.d.eligible(u, role, { start: w.since });
  return u;
}
const scheduleOf = async (id: string) =>
  (await w.h.db.select().from(roleAssignmentSchedules).where(eq(roleAssignmentSchedules.id, id)))[0];
const requestOf = async (id: string) =>
  (await w.h.db.select().from(scheduleRequests).where(eq(scheduleRequests.id, id)))[0];
const holds = async (userId: string, when: Date, role = USER_ADMINISTRATOR) =>
  (await checkAccess(w.h.db, { principalId: userId, roleDefinitionId: role, at: when })).allowed;

describe("the custom activation start", () => {
  it("a start in the past is refused with a field message, not moved to now; a few minutes of skew count as now", async () => {
    w.clock.set(T0);
    const u = await eligibleUser("Past Starter");
    const err = await rejects(
      activateRole(w.ctx, u.actor(), { ...UA, startDateTime: at(-hours(3)), durationMinutes: 60 }),
      "ValidationFailed",
      /start time is in the past/,
    );
    expect(err.fieldErrors?.startDateTime?.[0]).toMatch(/in the past/);
    expect(await holds(u.id, T0)).toBe(false);
    const r = await activateRole(w.ctx, u.actor(), { ...UA, startDateTime: at(-minutes(2)), durationMinutes: 60 });
    expect(r).toMatchObject({ status: "Provisioned", startDateTime: T0 });
  });

  it("at most 30 days ahead: 400 days (a typo in the year) is refused, 30 days is accepted", async () => {
    w.clock.set(T0);
    const u = await eligibleUser("Far Planner");
    const err = await rejects(
      activateRole(w.ctx, u.actor(), { ...UA, startDateTime: at(days(400)), durationMinutes: 60 }),
      "ValidationFailed",
      /at most 30 days from now/,
    );
    expect(err.fieldErrors?.startDateTime).toHaveLength(1);
    expect(await holds(u.id, at(days(400)))).toBe(false);
    const r = await activateRole(w.ctx, u.actor(), { ...UA, startDateTime: at(days(30)), durationMinutes: 60 });
    expect(r.status).toBe("Granted");
  });
});

describe("a scheduled activation", () => {
  it("shows as scheduled (not active) on My roles, and activating now replaces it (canceled, audited)", async () => {
    w.clock.set(T0);
    const u = await eligibleUser("Replacing Ravi");
    const later = await activateRole(w.ctx, u.actor(), { ...UA, startDateTime: at(days(10)), durationMinutes: 60 });
    expect(later.status).toBe("Granted");

    const [row] = (await listMyEligibleRoles(w.ctx, u.actor())).filter(
      (r) => r.roleDefinitionId === USER_ADMINISTRATOR,
    );
    expect(row?.activation).toBeNull();
    expect(row?.scheduledActivation).toMatchObject({ scheduleId: later.schedule!.id, startDateTime: at(days(10)) });
    const [active] = await listMyActiveRoles(w.ctx, u.actor());
    expect(active).toMatchObject({ scheduleId: later.schedule!.id, scheduled: true });

    const now = await activateRole(w.ctx, u.actor(), { ...UA, durationMinutes: 60 });
    expect(now.status).toBe("Provisioned");
    expect(await holds(u.id, T0)).toBe(true);
    expect((await scheduleOf(later.schedule!.id))?.status).toBe("Canceled");
    expect((await requestOf(later.requestId))?.status).toBe("Canceled");
    const canceled = (await auditRows(w.ctx, "request.cancel")).filter((a) => a.actor_id === u.id);
    expect(canceled).toHaveLength(1);
    expect(canceled[0]).toMatchObject({
      activity: "Add member to role request canceled (PIM activation)",
      result: "success",
      details: expect.objectContaining({ scheduleId: later.schedule!.id, reason: "Replaced by a new activation" }),
    });
    const [after] = (await listMyEligibleRoles(w.ctx, u.actor())).filter(
      (r) => r.roleDefinitionId === USER_ADMINISTRATOR,
    );
    expect(after?.activation?.scheduleId).toBe(now.schedule!.id);
    expect(after?.scheduledActivation).toBeNull();
    // an active (started) activation is never replaced: a second one is refused as before
    await rejects(activateRole(w.ctx, u.actor(), { ...UA, durationMinutes: 60 }), "Conflict", /already active/);
  });

  it("for a role that needs approval, asking again while one is scheduled is refused by name", async () => {
    w.clock.set(T0);
    const u = await eligibleUser("Approval Amy", GROUPS_ADMINISTRATOR);
    const ask = (startDateTime?: Date) =>
      activateRole(w.ctx, u.actor(), {
        roleDefinitionId: GROUPS_ADMINISTRATOR,
        justification: "groups",
        durationMinutes: 60,
        startDateTime,
      });
    // scheduled while the role needed no approval; then the role's settings change
    await w.d.settings(GROUPS_ADMINISTRATOR, { approvalRequired: false });
    const scheduled = await ask(at(days(3)));
    expect(scheduled.status).toBe("Granted");
    await w.d.settings(GROUPS_ADMINISTRATOR, { approvalRequired: true });
    await rejects(ask(), "Conflict", /scheduled to activate at .* Cancel the scheduled activation/);
    expect((await scheduleOf(scheduled.schedule!.id))?.status).toBe("Granted");
  });

  it("the requester cancels it by its schedule; an admin cancels someone else's; others may not", async () => {
    w.clock.set(T0);
    const [u, v, stranger] = [
      await eligibleUser("Cancel Carla"),
      await eligibleUser("Cancel Victor"),
      await w.d.user("Stranger"),
    ];
    const a = await activateRole(w.ctx, u.actor(), { ...UA, startDateTime: at(days(2)), durationMinutes: 60 });
    await cancelRequest(w.ctx, u.actor(), { scheduleId: a.schedule!.id });
    expect((await scheduleOf(a.schedule!.id))?.status).toBe("Canceled");
    expect((await requestOf(a.requestId))?.status).toBe("Canceled");
    expect(await holds(u.id, at(days(2)))).toBe(false);

    const b = await activateRole(w.ctx, v.actor(), { ...UA, startDateTime: at(days(2)), durationMinutes: 60 });
    await rejects(cancelRequest(w.ctx, stranger.actor(), { scheduleId: b.schedule!.id }), "Forbidden");
    await cancelRequest(w.ctx, w.bob.actor(), { scheduleId: b.schedule!.id });
    expect((await scheduleOf(b.schedule!.id))?.status).toBe("Canceled");
    await rejects(cancelRequest(w.ctx, w.bob.actor(), { scheduleId: b.schedule!.id }), "Conflict");
    // then the person activates now
    const c = await activateRole(w.ctx, v.actor(), { ...UA, durationMinutes: 60 });
    expect(c.status).toBe("Provisioned");
    await rejects(cancelRequest(w.ctx, v.actor(), { scheduleId: c.schedule!.id }), "Conflict", /no longer pending/);
  });
});

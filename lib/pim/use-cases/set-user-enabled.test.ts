import { fanOutEvents } from "@/lib/pim/notifications/fan-out";
import { TEST_BASE_URL } from "@/test/fixtures/notifications";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import {
  apiTokens,
  authSessions,
  notifications,
  roleAssignmentSchedules,
  roleEligibilitySchedules,
  scheduleRequests,
  users,
} from "@/db/schema";
import { hours, usingPostgres } from "@/test/db";
import { auditRows, count, pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import type { TestUser } from "@/test/fixtures/directory";
import { checkAccess } from "@/lib/pim/access/check-access";
import {
  APPLICATION_ADMINISTRATOR,
  GLOBAL_ADMINISTRATOR,
  GROUPS_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { isPimError } from "@/lib/pim/errors";
import { activateRole } from "./activate-role";
import { setUserEnabled, userEnablementRights } from "./set-user-enabled";

let w: PimWorld;
let ua: TestUser;
beforeAll(async () => {
  w = await pimWorld();
  w.clock.set(T0);
  ua = await w.d.user("Uma Useradmin");
  await w.d.active(ua, USER_ADMINISTRATOR, { start: w.since, end: new Date(T0.getTime() + hours(8)) });
  // Bob (PRA) also holds User Administrator: PRA alone does not manage users, it only unlocks privileged targets
  await w.d.active(w.bob, USER_ADMINISTRATOR, { start: w.since });
  // Application Administrator needs Alice's approval: activating it leaves a pending request
  await w.d.settings(APPLICATION_ADMINISTRATOR, {
    approvalRequired: true,
    approvalStages: [{ mode: "anyOne", approvers: [{ type: "User" as const, id: w.alice.id }] }],
  });
});
afterAll(async () => w.h.drop());

const disable = (userId: string, justification = "Left the company") => ({ userId, enabled: false, justification });
const enable = (userId: string, justification = "Came back from leave") => ({ userId, enabled: true, justification });
const enabled = async (id: string) =>
  (await w.h.db.select({ e: users.accountEnabled }).from(users).where(eq(users.id, id)))[0]?.e;
const summaries = async (id: string, op: string) => (await auditRows(w.ctx, op)).filter((a) => a.target_id === id);

/** A person with a session, a live and a revoked API token, an activation, a pending request and an eligibility. */
async function busyPerson(name: string) {
  const p = await w.d.user(name);
  await w.h.db.insert(authSessions).values([
    { userId: p.id, createdAt: T0, expiresAt: new Date(T0.getTime() + hours(8)) },
    { userId: p.id, createdAt: T0, expiresAt: new Date(T0.getTime() + hours(8)) },
  ]);
  await w.h.db.insert(apiTokens).values([
    {
      userId: p.id,
      name: "live",
      tokenHash: `h-live-${p.id}`,
      hint: "a",
      expiresAt: new Date(T0.getTime() + hours(24)),
    },
    {
      userId: p.id,
      name: "old",
      tokenHash: `h-old-${p.id}`,
      hint: "b",
      expiresAt: new Date(T0.getTime() + hours(24)),
      revokedAt: w.since,
    },
  ]);
  const groupsElig = await w.d.eligible(p, GROUPS_ADMINISTRATOR, { start: w.since });
  await w.d.eligible(p, APPLICATION_ADMINISTRATOR, { start: w.since });
  const act = await activateRole(w.ctx, p.actor({ mfaAt: T0 }), {
    roleDefinitionId: GROUPS_ADMINISTRATOR,
    justification: "work",
    durationMinutes: 60,
  });
  expect(act.status).not.toBe("PendingApproval");
  const req = await activateRole(w.ctx, p.actor({ mfaAt: T0 }), {
    roleDefinitionId: APPLICATION_ADMINISTRATOR,
    justification: "work",
    durationMinutes: 60,
  });
  expect(req.status).toBe("PendingApproval");
  return { p, groupsElig, requestId: req.requestId };
}

describe("setUserEnabled (Disable user / Enable user)", () => {
  it("User Administrator now disables a person: sessions, tokens, pending requests, activations end; eligibilities kept; audited", async () => {
    w.clock.set(T0);
    const { p, groupsElig, requestId } = await busyPerson("Dana Disabled");
    expect(
      (await checkAccess(w.ctx.db, { principalId: p.id, roleDefinitionId: GROUPS_ADMINISTRATOR, at: T0 })).allowed,
    ).toBe(true);

    const r = await setUserEnabled(w.ctx, ua.actor(), disable(p.id));
    expect(r).toEqual({
      userId: p.id,
      displayName: "Dana Disabled",
      accountEnabled: false,
      sessionsEnded: 2,
      tokensRevoked: 1,
      requestsCanceled: 1,
      activationsEnded: 1,
    });
    expect(await enabled(p.id)).toBe(false);
    expect(
      await count(w.ctx, sql`select count(*) n from auth_sessions where user_id = ${p.id} and revoked_at is null`),
    ).toBe(0);
    expect(
      await count(w.ctx, sql`select count(*) n from api_tokens where user_id = ${p.id} and revoked_at is null`),
    ).toBe(0);
    const [req] = await w.h.db.select().from(scheduleRequests).where(eq(scheduleRequests.id, requestId));
    expect(req).toMatchObject({ status: "Canceled", completedDateTime: T0 });
    const acts = await w.h.db
      .select()
      .from(roleAssignmentSchedules)
      .where(and(eq(roleAssignmentSchedules.principalId, p.id)));
    expect(acts.map((a) => [a.assignmentType, a.status, a.endDateTime?.toISOString()])).toEqual([
      ["Activated", "Revoked", T0.toISOString()],
    ]);
    // eligibilities are kept, and grant nothing while disabled
    const eligs = await w.h.db
      .select()
      .from(roleEligibilitySchedules)
      .where(eq(roleEligibilitySchedules.principalId, p.id));
    expect(eligs.map((e) => e.status).sort()).toEqual(["Provisioned", "Provisioned"]);
    expect(eligs.some((e) => e.id === groupsElig.id && e.endDateTime === null)).toBe(true);
    expect(
      (await checkAccess(w.ctx.db, { principalId: p.id, roleDefinitionId: GROUPS_ADMINISTRATOR, at: T0 })).allowed,
    ).toBe(false);

    const summary = await summaries(p.id, "user.disable");
    expect(summary.map((a) => [a.activity, a.actor_id, a.result])).toEqual([["Disable user", ua.id, "success"]]);
    expect(summary[0]?.details).toMatchObject({
      sessionsEnded: 2,
      tokensRevoked: 1,
      requestsCanceled: 1,
      activationsEnded: 1,
    });
    expect(
      await count(
        w.ctx,
        sql`select count(*) n from audit_events where operation = 'user.disable' and justification = 'Left the company'`,
      ),
    ).toBe(1);
    const ended = await summaries(p.id, "schedule.userDisabled");
    expect(ended.map((a) => a.activity)).toEqual(["Remove member from role (PIM activation ended: user disabled)"]);
    expect(ended[0]?.details).toMatchObject({ changed: [acts[0]?.id] });
    const canceled = (await auditRows(w.ctx, "request.cancel")).filter((a) => a.request_id === requestId);
    expect(canceled.map((a) => [a.activity, a.actor_id])).toEqual([
      ["Add member to role request canceled (PIM activation)", ua.id],
    ]);
    // the approver (Alice) is told the request was canceled (once the worker fans the event out)
    await fanOutEvents(w.h.db, w.clock.now(), { baseUrl: TEST_BASE_URL });
    const notices = await w.h.db
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.requestId, requestId), sql`${notifications.dedupeKey} like ${`canceled:${requestId}%`}`),
      );
    expect(notices.map((n) => n.recipientUserId)).toContain(w.alice.id);

    // enable: the account comes back, nothing that ended does
    w.clock.set(new Date(T0.getTime() + 60_000));
    const back = await setUserEnabled(w.ctx, ua.actor(), enable(p.id));
    expect(back).toMatchObject({ accountEnabled: true, activationsEnded: 0 });
    expect(await enabled(p.id)).toBe(true);
    expect((await summaries(p.id, "user.enable")).map((a) => [a.activity, a.actor_id])).toEqual([
      ["Enable user", ua.id],
    ]);
    expect(
      (await w.h.db.select().from(roleAssignmentSchedules).where(eq(roleAssignmentSchedules.principalId, p.id))).map(
        (a) => a.status,
      ),
    ).toEqual(["Revoked"]);
    expect((await w.h.db.select().from(scheduleRequests).where(eq(scheduleRequests.id, requestId)))[0]?.status).toBe(
      "Canceled",
    );
    expect(
      (await checkAccess(w.ctx.db, { principalId: p.id, roleDefinitionId: GROUPS_ADMINISTRATOR, at: w.clock.now() }))
        .allowed,
    ).toBe(false);
    expect(
      await count(w.ctx, sql`select count(*) n from auth_sessions where user_id = ${p.id} and revoked_at is null`),
    ).toBe(0);
    // again: already enabled
    await rejects(setUserEnabled(w.ctx, ua.actor(), enable(p.id)), "Conflict", /already enabled/);
  });

  it("refuses: eligible-only User Administrator, self, a GA-eligible person for a User Administrator; nothing written", async () => {
    w.clock.set(T0);
    const target = await w.d.user("Tom Target");
    const eligibleOnly = await w.d.user("Eli Eligible");
    await w.d.eligible(eligibleOnly, USER_ADMINISTRATOR, { start: w.since });
    await rejects(
      setUserEnabled(w.ctx, eligibleOnly.actor(), disable(target.id)),
      "Forbidden",
      /active User Administrator/,
    );
    await rejects(setUserEnabled(w.ctx, ua.actor(), disable(ua.id)), "Forbidden", /your own account/);
    const gaEligible = await w.d.user("Gail Eligible");
    await w.d.eligible(gaEligible, GLOBAL_ADMINISTRATOR, { start: w.since });
    await rejects(setUserEnabled(w.ctx, ua.actor(), disable(gaEligible.id)), "Forbidden", /privileged role/);
    expect([await enabled(target.id), await enabled(ua.id), await enabled(gaEligible.id)]).toEqual([true, true, true]);
    const failures = (await auditRows(w.ctx, "user.disable")).filter(
      (a) => a.result === "failure" && a.actor_id === ua.id,
    );
    expect(failures.map((a) => a.activity)).toContain("Disable user failed");
    // PRA alone is not enough (it does not manage users); PRA with User Administrator may disable
    const praOnly = await w.d.user("Pat PRA only");
    await w.d.active(praOnly, PRIVILEGED_ROLE_ADMINISTRATOR, { start: w.since });
    await rejects(setUserEnabled(w.ctx, praOnly.actor(), disable(gaEligible.id)), "Forbidden", /User Administrator/);
    // a PRA holder the GA-eligible person; the rights helper says the same
    expect((await userEnablementRights(w.ctx, ua.actor(), [target.id, gaEligible.id, ua.id])).has(target.id)).toBe(
      true,
    );
    expect([...(await userEnablementRights(w.ctx, ua.actor(), [gaEligible.id, ua.id]))]).toEqual([]);
    expect([...(await userEnablementRights(w.ctx, eligibleOnly.actor(), [target.id]))]).toEqual([]);
    expect([...(await userEnablementRights(w.ctx, w.bob.actor(), [gaEligible.id]))]).toEqual([gaEligible.id]);
    await setUserEnabled(w.ctx, w.bob.actor(), disable(gaEligible.id));
    expect(await enabled(gaEligible.id)).toBe(false);
  });

  it("never disables the last person holding Global Administrator now", async () => {
    w.clock.set(T0);
    // Alice is the only GA: Bob (PRA) may not disable her
    await rejects(
      setUserEnabled(w.ctx, w.bob.actor(), disable(w.alice.id)),
      "LockoutProtection",
      /last active Global Administrator/,
    );
    expect(await enabled(w.alice.id)).toBe(true);
    // with a second GA she can be disabled, then the second one cannot
    const carl = await w.d.user("Carl Second GA");
    await w.d.active(carl, GLOBAL_ADMINISTRATOR, { start: w.since });
    await setUserEnabled(w.ctx, w.bob.actor(), disable(w.alice.id));
    await rejects(setUserEnabled(w.ctx, w.bob.actor(), disable(carl.id)), "LockoutProtection");
    expect(await enabled(carl.id)).toBe(true);
    await setUserEnabled(w.ctx, w.bob.actor(), enable(w.alice.id));
  });

  it("bad input: ValidationFailed per field, nothing written", async () => {
    const target = await w.d.user("Val Input");
    const before = await count(w.ctx, sql`select count(*) n from audit_events`);
    const err = await rejects(
      setUserEnabled(w.ctx, ua.actor(), { userId: "nope", enabled: false, justification: " " }),
      "ValidationFailed",
    );
    expect(Object.keys(err.fieldErrors ?? {}).sort()).toEqual(["justification", "userId"]);
    await rejects(
      setUserEnabled(w.ctx, ua.actor(), { ...disable(target.id), justification: "x".repeat(501) }),
      "ValidationFailed",
    );
    await rejects(
      setUserEnabled(w.ctx, ua.actor(), { userId: target.id, justification: "valid reason" } as never),
      "ValidationFailed",
    );
    expect(await count(w.ctx, sql`select count(*) n from audit_events`)).toBe(before);
    expect(await enabled(target.id)).toBe(true);
  });

  it(`two admins disabling the last two Global Administrators at once: exactly one is refused, 10 times (${usingPostgres ? "PostgreSQL, parallel" : "PGlite, serialised"})`, async () => {
    w.clock.set(T0);
    const [pra1, pra2] = await w.d.users("Pra One", "Pra Two");
    for (const p of [pra1, pra2]) {
      await w.d.active(p, PRIVILEGED_ROLE_ADMINISTRATOR, { start: w.since });
      await w.d.active(p, USER_ADMINISTRATOR, { start: w.since });
    }
    for (let i = 0; i < 10; i++) {
      // the two new GAs are the only ones in force
      await w.h.db
        .update(roleAssignmentSchedules)
        .set({ endDateTime: T0, status: "Revoked" })
        .where(eq(roleAssignmentSchedules.roleDefinitionId, GLOBAL_ADMINISTRATOR));
      const [g1, g2] = await w.d.users(`GA One ${i}`, `GA Two ${i}`);
      await w.d.active(g1, GLOBAL_ADMINISTRATOR, { start: w.since });
      await w.d.active(g2, GLOBAL_ADMINISTRATOR, { start: w.since });
      const rs = await Promise.allSettled([
        setUserEnabled(w.ctx, pra1.actor(), disable(g1.id)),
        setUserEnabled(w.ctx, pra2.actor(), disable(g2.id)),
      ]);
      const codes = rs.map((r) =>
        r.status === "fulfilled" ? "ok" : isPimError(r.reason) ? r.reason.code : String(r.reason),
      );
      expect(codes.sort()).toEqual(["LockoutProtection", "ok"]);
      expect([await enabled(g1.id), await enabled(g2.id)].filter(Boolean)).toHaveLength(1);
    }
  });
  it(`an activation racing the disable never survives it: refused, or ended by it — 10 times (${usingPostgres ? "PostgreSQL, parallel" : "PGlite, serialised"})`, async () => {
    w.clock.set(T0);
    for (let i = 0; i < 10; i++) {
      const p = await w.d.user(`Racer ${i}`);
      await w.d.eligible(p, GROUPS_ADMINISTRATOR, { start: w.since });
      await Promise.allSettled([
        activateRole(w.ctx, p.actor({ mfaAt: T0 }), {
          roleDefinitionId: GROUPS_ADMINISTRATOR,
          justification: "race",
          durationMinutes: 60,
        }),
        setUserEnabled(w.ctx, ua.actor(), disable(p.id)),
      ]);
      expect(await enabled(p.id)).toBe(false);
      const live = await w.h.db
        .select()
        .from(roleAssignmentSchedules)
        .where(
          and(
            eq(roleAssignmentSchedules.principalId, p.id),
            sql`${roleAssignmentSchedules.status} in ('Provisioned','Granted')`,
          ),
        );
      expect(live).toHaveLength(0);
    }
  });
});

/**
 * Property-based tests: fast-check generates random sequences of use-case calls (admin assignments and
 * removals, activations, deactivations, approvals, cancels, settings changes, group membership changes,
 * clock jumps, sweeps) and after EVERY step checks the invariants:
 *   1. no active assignment without an eligibility or an admin grant (activations sit inside their eligibility);
 *   2. checkAccess is true exactly inside a window (compared with a model computed in JS from the rows);
 *   3. no request is decided twice (one decision per any-one stage, nothing after the end, terminal stays terminal);
 *   4. every state change has exactly one audit row (ids in `details.changed` = rows that changed).
 * PIM for Groups: each sequence also has a role-assignable group under PIM that holds the sequence's role; its
 * memberships are assigned (eligible/active), activated, deactivated, removed and expire like roles, and the
 * invariants cover them: (1) holds for memberships too, (2) the role inherited through the group is live only
 * inside a membership's window, and checkGroupAccess answers exactly the membership windows.
 * Each sequence gets its own custom role, people, group and time range in one shared database.
 * PIM_PROPERTY_RUNS sets the number of sequences (default 40).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import {
  approvalDecisions,
  auditEvents,
  groupMembers,
  roleAssignmentSchedules as ras,
  roleDefinitions,
  roleEligibilitySchedules as res,
  roleSettings,
  scheduleRequests,
} from "@/db/schema";
import { days, hours, minutes } from "@/test/db";
import { pimWorld, T0, type PimWorld } from "@/test/fixtures/pim";
import type { Principal, TestUser } from "@/test/fixtures/directory";
import { checkAccess } from "./access/check-access";
import { checkGroupAccess } from "./access/check-group-access";
import type { Ctx } from "./context";
import { isPimError } from "./errors";
import { activateRole } from "./use-cases/activate-role";
import { assignRole } from "./use-cases/assign-role";
import { cancelRequest } from "./use-cases/cancel-request";
import { deactivateRole } from "./use-cases/deactivate-role";
import { decideRequest } from "./use-cases/decide-request";
import { expireDue } from "./use-cases/expire-due";
import { manageGroup } from "./use-cases/manage-group";
import { removeAssignment } from "./use-cases/remove-assignment";
import { requestExtension } from "./use-cases/request-extension";
import { updateRoleSettings } from "./use-cases/update-role-settings";

const RUNS = Number(process.env.PIM_PROPERTY_RUNS ?? 40);
let w: PimWorld;
let sequences = 0;
let steps = 0;
let succeeded = 0;
/** Successful calls per kind of step: the invariants must have been checked after real changes. */
const succeededBy = new Map<string, number>();
beforeAll(async () => {
  w = await pimWorld();
});
afterAll(async () => w.h.drop());

type Op =
  | { t: "assignElig"; who: number; days: number }
  | { t: "assignActive"; who: number; hours: number }
  | { t: "remove"; pick: number }
  | { t: "activate"; who: number; minutes: number; later: boolean }
  | { t: "deactivate"; who: number }
  | { t: "decide"; pick: number; approver: number; approve: boolean }
  | { t: "cancel"; pick: number }
  | { t: "extend"; pick: number }
  | { t: "advance"; minutes: number }
  | { t: "sweep" }
  | { t: "approval"; mode: number }
  | { t: "membership"; add: boolean }
  // PIM for Groups: memberships of the sequence's group under PIM (which holds the sequence's role)
  | { t: "gAssignElig"; who: number; days: number }
  | { t: "gAssignActive"; who: number; hours: number }
  | { t: "gActivate"; who: number; minutes: number }
  | { t: "gDeactivate"; who: number }
  | { t: "gRemove"; pick: number };

const w8 = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  w8(3, fc.record({ t: fc.constant("assignElig" as const), who: fc.nat(3), days: fc.nat(20) })),
  w8(1, fc.record({ t: fc.constant("assignActive" as const), who: fc.nat(2), hours: fc.nat(48) })),
  w8(2, fc.record({ t: fc.constant("remove" as const), pick: fc.nat(20) })),
  w8(
    1,
    fc.record({
      t: fc.constant("activate" as const),
      who: fc.nat(2),
      minutes: fc.integer({ min: 1, max: 600 }),
      later: fc.boolean(),
    }),
  ),
  w8(
    3,
    fc.record({
      t: fc.constant("activate" as const),
      who: fc.nat(2),
      minutes: fc.integer({ min: 5, max: 480 }),
      later: fc.constant(false),
    }),
  ),
  w8(1, fc.record({ t: fc.constant("deactivate" as const), who: fc.nat(2) })),
  w8(2, fc.record({ t: fc.constant("decide" as const), pick: fc.nat(10), approver: fc.nat(3), approve: fc.boolean() })),
  w8(1, fc.record({ t: fc.constant("cancel" as const), pick: fc.nat(10) })),
  w8(1, fc.record({ t: fc.constant("extend" as const), pick: fc.nat(10) })),
  w8(1, fc.record({ t: fc.constant("advance" as const), minutes: fc.integer({ min: 1, max: 2000 }) })),
  w8(3, fc.record({ t: fc.constant("advance" as const), minutes: fc.integer({ min: 5, max: 20 }) })),
  w8(1, fc.record({ t: fc.constant("sweep" as const) })),
  w8(1, fc.record({ t: fc.constant("approval" as const), mode: fc.nat(3) })),
  w8(1, fc.record({ t: fc.constant("membership" as const), add: fc.boolean() })),
  w8(2, fc.record({ t: fc.constant("gAssignElig" as const), who: fc.nat(2), days: fc.nat(10) })),
  w8(1, fc.record({ t: fc.constant("gAssignActive" as const), who: fc.nat(2), hours: fc.nat(24) })),
  w8(2, fc.record({ t: fc.constant("gActivate" as const), who: fc.nat(2), minutes: fc.integer({ min: 1, max: 480 }) })),
  w8(1, fc.record({ t: fc.constant("gDeactivate" as const), who: fc.nat(2) })),
  w8(1, fc.record({ t: fc.constant("gRemove" as const), pick: fc.nat(20) })),
);

type Run = {
  ctx: Ctx & { set: (d: Date) => void };
  roleId: string;
  people: TestUser[];
  group: Principal;
  named: TestUser[];
  admins: TestUser[];
  /** The group under PIM holding the role (active, permanent) and its "member" access definition. */
  pimGroup: Principal;
  memberId: string;
};

async function newRun(n: number): Promise<Run> {
  const roleId = crypto.randomUUID();
  await w.h.db.insert(roleDefinitions).values({
    id: roleId,
    displayName: `Prop Role ${n} ${roleId.slice(0, 8)}`,
    isBuiltIn: false,
    allowedResourceActions: [`custom/prop/${roleId}`],
  });
  const people = await w.d.users(`P${n} Ann`, `P${n} Ben`, `P${n} Cy`);
  const named = await w.d.users(`P${n} Named`, `P${n} Groupie`);
  const group = await w.d.group(`P${n} Team`, [people[2]]);
  let t = T0.getTime() + days(400) * (n + 1);
  const ctx = { db: w.h.db, now: () => new Date(t), set: (d: Date) => (t = d.getTime()) };
  // A role-assignable group holding the role, brought under PIM: its members inherit the role.
  const pimGroup = await w.d.group(`P${n} PIM Team`);
  const admin = w.alice.actor({ mfaAt: ctx.now() });
  await assignRole(ctx, admin, {
    assignmentType: "Active",
    principalId: pimGroup.id,
    principalType: "Group",
    roleDefinitionId: roleId,
    endDateTime: null,
    justification: "the team holds the role",
  });
  const { memberDefinitionId } = await manageGroup(ctx, admin, { groupId: pimGroup.id });
  return {
    ctx,
    roleId,
    people: [...people],
    group,
    named: [...named],
    admins: [w.alice, w.bob],
    pimGroup,
    memberId: memberDefinitionId,
  };
}

const later = (ctx: Ctx, ms: number) => new Date(ctx.now().getTime() + ms);

async function apply(run: Run, op: Op): Promise<void> {
  const { ctx, roleId, people } = run;
  const admin = run.admins[0]!.actor({ mfaAt: ctx.now() });
  const mine = (who: number) => people[who]!.actor({ mfaAt: ctx.now() });
  switch (op.t) {
    case "assignElig": {
      const p: Principal = op.who === 3 ? run.group : people[op.who]!;
      await assignRole(ctx, admin, {
        assignmentType: "Eligible",
        principalId: p.id,
        principalType: p.type,
        roleDefinitionId: roleId,
        endDateTime: op.days ? later(ctx, days(op.days)) : null,
        justification: "prop",
      });
      return;
    }
    case "assignActive":
      await assignRole(ctx, admin, {
        assignmentType: "Active",
        principalId: people[op.who]!.id,
        principalType: "User",
        roleDefinitionId: roleId,
        endDateTime: op.hours ? later(ctx, hours(op.hours)) : null,
        justification: "prop",
      });
      return;
    case "remove": {
      const rows = (await schedulesOf(run)).filter(
        (r) => r.assignmentType !== "Activated" && ["Provisioned", "Granted"].includes(r.status),
      );
      const target = rows[op.pick % Math.max(1, rows.length)];
      if (target) await removeAssignment(ctx, admin, { kind: target.kind, scheduleId: target.id });
      return;
    }
    case "activate":
      await activateRole(ctx, mine(op.who), {
        roleDefinitionId: roleId,
        justification: "prop",
        durationMinutes: op.minutes,
        startDateTime: op.later ? later(ctx, minutes(30)) : undefined,
      });
      return;
    case "deactivate":
      await deactivateRole(ctx, mine(op.who), { roleDefinitionId: roleId });
      return;
    case "decide": {
      const reqs = (await requestsOf(run)).filter((x) => x.status === "PendingApproval" || op.pick % 4 === 0);
      const r = reqs[op.pick % Math.max(1, reqs.length)];
      const approver = [...run.admins, ...run.named][op.approver]!;
      if (r)
        await decideRequest(ctx, approver.actor(), {
          requestId: r.id,
          decision: op.approve ? "Approve" : "Deny",
          justification: "prop",
        });
      return;
    }
    case "cancel": {
      const reqs = await requestsOf(run);
      const r = reqs[op.pick % Math.max(1, reqs.length)];
      const who = people.find((p) => p.id === r?.principalId);
      if (r && who) await cancelRequest(ctx, who.actor(), { requestId: r.id });
      return;
    }
    case "extend": {
      const rows = (await schedulesOf(run)).filter(
        (r) => r.principalType === "User" && ["Provisioned", "Granted"].includes(r.status),
      );
      const s = rows[op.pick % Math.max(1, rows.length)];
      const who = people.find((p) => p.id === s?.principalId);
      if (s && who)
        await requestExtension(ctx, who.actor(), { kind: s.kind, scheduleId: s.id, endDateTime: later(ctx, hours(6)) });
      return;
    }
    case "advance":
      ctx.set(later(ctx, minutes(op.minutes)));
      return;
    case "sweep":
      await expireDue(ctx, { batchSize: 3 });
      return;
    case "approval": {
      const stages =
        op.mode === 2
          ? [{ mode: "anyOne" as const, approvers: [{ type: "User" as const, id: run.named[0]!.id }] }]
          : op.mode === 3
            ? [
                { mode: "anyOne" as const, approvers: [{ type: "User" as const, id: run.named[0]!.id }] },
                { mode: "anyOne" as const, approvers: [{ type: "User" as const, id: run.named[1]!.id }] },
              ]
            : [];
      await updateRoleSettings(ctx, admin, {
        roleDefinitionId: roleId,
        approvalRequired: op.mode > 0,
        approvalStages: stages,
      });
      return;
    }
    case "gAssignElig":
    case "gAssignActive":
      await assignRole(ctx, admin, {
        assignmentType: op.t === "gAssignElig" ? "Eligible" : "Active",
        principalId: people[op.who]!.id,
        principalType: "User",
        roleDefinitionId: run.memberId,
        endDateTime:
          op.t === "gAssignElig"
            ? op.days
              ? later(ctx, days(op.days))
              : null
            : op.hours
              ? later(ctx, hours(op.hours))
              : null,
        justification: "prop",
      });
      return;
    case "gActivate":
      await activateRole(ctx, mine(op.who), {
        roleDefinitionId: run.memberId,
        justification: "prop",
        durationMinutes: op.minutes,
      });
      return;
    case "gDeactivate":
      await deactivateRole(ctx, mine(op.who), { roleDefinitionId: run.memberId });
      return;
    case "gRemove": {
      const rows = (await schedulesFor(run.memberId)).filter(
        (r) => r.assignmentType !== "Activated" && ["Provisioned", "Granted"].includes(r.status),
      );
      const target = rows[op.pick % Math.max(1, rows.length)];
      if (target) await removeAssignment(ctx, admin, { kind: target.kind, scheduleId: target.id });
      return;
    }
    case "membership":
      if (op.add)
        await w.h.db
          .insert(groupMembers)
          .values({ groupId: run.group.id, userId: people[2]!.id })
          .onConflictDoNothing();
      else
        await w.h.db
          .delete(groupMembers)
          .where(and(eq(groupMembers.groupId, run.group.id), eq(groupMembers.userId, people[2]!.id)));
  }
}

type Sched = {
  kind: "eligibility" | "assignment";
  id: string;
  principalId: string;
  principalType: string;
  status: string;
  start: Date;
  end: Date | null;
  assignmentType: string | null;
  eligibilityScheduleId: string | null;
};

/** The run's role's schedules (the group memberships are `schedulesFor(run.memberId)`). */
const schedulesOf = (run: Run) => schedulesFor(run.roleId);

async function schedulesFor(definitionId: string): Promise<Sched[]> {
  const e = await w.h.db
    .select()
    .from(res)
    .where(eq(res.roleDefinitionId, definitionId))
    .orderBy(res.createdAt, res.id);
  const a = await w.h.db
    .select()
    .from(ras)
    .where(eq(ras.roleDefinitionId, definitionId))
    .orderBy(ras.createdAt, ras.id);
  return [
    ...e.map((r) => ({
      kind: "eligibility" as const,
      id: r.id,
      principalId: r.principalId,
      principalType: r.principalType,
      status: r.status,
      start: r.startDateTime,
      end: r.endDateTime,
      assignmentType: null,
      eligibilityScheduleId: null,
    })),
    ...a.map((r) => ({
      kind: "assignment" as const,
      id: r.id,
      principalId: r.principalId,
      principalType: r.principalType,
      status: r.status,
      start: r.startDateTime,
      end: r.endDateTime,
      assignmentType: r.assignmentType,
      eligibilityScheduleId: r.eligibilityScheduleId,
    })),
  ];
}
/** Requests of the run's role and of its group's memberships. */
const requestsOf = (run: Run) =>
  w.h.db
    .select()
    .from(scheduleRequests)
    .where(inArray(scheduleRequests.roleDefinitionId, [run.roleId, run.memberId]))
    .orderBy(scheduleRequests.createdDateTime, scheduleRequests.id);
async function decisionsOf(run: Run) {
  return w.h.db
    .select({ d: approvalDecisions })
    .from(approvalDecisions)
    .innerJoin(scheduleRequests, eq(scheduleRequests.id, approvalDecisions.requestId))
    .where(inArray(scheduleRequests.roleDefinitionId, [run.roleId, run.memberId]))
    .then((rows) => rows.map((r) => r.d));
}

/** id → fingerprint of its state, over the run's schedules, requests and decisions. */
async function snapshot(run: Run): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const s of [...(await schedulesOf(run)), ...(await schedulesFor(run.memberId))])
    m.set(s.id, `${s.status}|${s.start.getTime()}|${s.end?.getTime() ?? "-"}`);
  for (const r of await requestsOf(run)) m.set(r.id, `${r.status}|${r.currentStage}|${r.targetScheduleId ?? "-"}`);
  for (const d of await decisionsOf(run)) m.set(d.id, d.decision);
  for (const r of await w.h.db
    .select()
    .from(roleSettings)
    .where(inArray(roleSettings.roleDefinitionId, [run.roleId, run.memberId]))) {
    m.set(
      r.id,
      `${r.updatedAt.getTime()}|${r.updatedBy ?? "-"}|${JSON.stringify(r.approvalStages)}|${r.approvalRequired}`,
    );
  }
  return m;
}

const TERMINAL = new Set(["Provisioned", "Granted", "Denied", "Canceled", "Revoked", "Failed", "TimedOut"]);

async function checkInvariants(
  run: Run,
  before: Map<string, string>,
  lastAuditId: number,
  prevRequests: Map<string, string>,
): Promise<void> {
  const now = run.ctx.now();
  const scheds = await schedulesOf(run);
  const memberships = await schedulesFor(run.memberId);
  const byId = new Map([...scheds, ...memberships].map((s) => [s.id, s]));
  const requests = await requestsOf(run);

  // 1. no active assignment (nor active membership) without an eligibility or an admin grant
  const grants = new Set(
    requests
      .filter((r) => ["adminAssign", "adminRenew", "selfRenew"].includes(r.action) && r.requestType === "assignment")
      .map((r) => r.targetScheduleId),
  );
  for (const s of [...scheds, ...memberships].filter((x) => x.kind === "assignment" && x.status !== "Canceled")) {
    if (s.assignmentType === "Assigned") {
      expect(grants.has(s.id), `assignment ${s.id} has no admin grant`).toBe(true);
    } else {
      const e = s.eligibilityScheduleId ? byId.get(s.eligibilityScheduleId) : undefined;
      expect(e, `activation ${s.id} has no eligibility`).toBeDefined();
      expect(s.end, "activations are time-bound").not.toBeNull();
      expect(s.start.getTime()).toBeGreaterThanOrEqual(e!.start.getTime());
      if (e!.end)
        expect(s.end!.getTime(), `activation ${s.id} outlives its eligibility`).toBeLessThanOrEqual(
          Math.max(e!.end.getTime(), s.start.getTime()),
        );
    }
  }

  // 2. checkAccess is true exactly inside a window (JS model over the rows + current group membership)
  const members = new Set(
    (await w.h.db.select().from(groupMembers).where(eq(groupMembers.groupId, run.group.id))).map((m) => m.userId),
  );
  const points = new Set<number>([now.getTime(), now.getTime() - 1, now.getTime() + minutes(31)]);
  for (const s of [...scheds.filter((x) => x.kind === "assignment").slice(-3), ...memberships.slice(-3)]) {
    points.add(s.start.getTime());
    if (s.end) [s.end.getTime() - 1, s.end.getTime()].forEach((p) => points.add(p));
  }
  /** A membership of the group under PIM in force at `at` (its window; never the sweep's status). */
  const memberAt = (u: TestUser, at: Date) =>
    memberships.some(
      (s) =>
        s.kind === "assignment" &&
        s.principalId === u.id &&
        s.status !== "Canceled" &&
        s.start <= at &&
        (s.end === null || at < s.end),
    );
  for (const u of run.people) {
    for (const p of points) {
      const at = new Date(p);
      const model = scheds.some(
        (s) =>
          s.kind === "assignment" &&
          s.status !== "Canceled" &&
          s.start <= at &&
          (s.end === null || at < s.end) &&
          (s.principalId === u.id ||
            (s.principalType === "Group" && s.principalId === run.group.id && members.has(u.id)) ||
            // inherited through the group under PIM: only inside the membership's window
            (s.principalId === run.pimGroup.id && memberAt(u, at))),
      );
      const real = await checkAccess(w.h.db, { principalId: u.id, roleDefinitionId: run.roleId, at });
      expect(real.allowed, `checkAccess(${u.displayName}, ${at.toISOString()})`).toBe(model);
      const member = await checkGroupAccess(w.h.db, {
        principalId: u.id,
        groupId: run.pimGroup.id,
        accessId: "member",
        at,
      });
      expect(member.allowed, `checkGroupAccess(${u.displayName}, member, ${at.toISOString()})`).toBe(memberAt(u, at));
    }
  }

  // 3. no request decided twice
  const decisions = await decisionsOf(run);
  for (const r of requests) {
    const ds = decisions.filter((d) => d.requestId === r.id);
    const stages = r.approvalStages.length || 1;
    for (let st = 0; st < stages; st++) {
      const mode = r.approvalStages[st]?.mode ?? "anyOne";
      if (mode === "anyOne")
        expect(ds.filter((d) => d.stage === st).length, `request ${r.id} stage ${st}`).toBeLessThanOrEqual(1);
    }
    expect(ds.filter((d) => d.decision === "Deny").length).toBeLessThanOrEqual(1);
    if (r.completedDateTime)
      for (const d of ds) expect(d.decidedAt.getTime()).toBeLessThanOrEqual(r.completedDateTime.getTime());
    const prev = prevRequests.get(r.id);
    if (prev && TERMINAL.has(prev) && prev !== r.status) {
      // the only allowed move out of a final state: a scheduled (Granted) activation withdrawn before it starts
      expect([prev, r.status], `request ${r.id} changed after it was final`).toEqual(["Granted", "Canceled"]);
    }
  }

  // 4. every state change has exactly one audit row
  const after = await snapshot(run);
  const changed = [...after.keys()].filter((id) => before.get(id) !== after.get(id)).sort();
  const audits = await w.h.db
    .select({ details: auditEvents.details })
    .from(auditEvents)
    .where(
      and(
        gt(auditEvents.id, lastAuditId),
        inArray(auditEvents.roleDefinitionId, [run.roleId, run.memberId]),
        sql`${auditEvents.details} ? 'changed'`,
      ),
    );
  const listed = audits.flatMap((a) => (a.details.changed as string[]) ?? []);
  expect([...listed].sort(), "audited ids").toEqual(changed);
  expect(new Set(listed).size, "an id audited twice").toBe(listed.length);
}

const maxAuditId = async () =>
  Number((await w.h.db.select({ m: sql<number>`coalesce(max(${auditEvents.id}), 0)` }).from(auditEvents))[0]?.m ?? 0);

describe("engine invariants over random sequences of use-case calls", () => {
  it(`hold after every step (${RUNS} sequences)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30, size: "max" }), async (ops) => {
        const run = await newRun(sequences++);
        const reqStatus = new Map<string, string>();
        for (const op of ops) {
          const before = await snapshot(run);
          const lastAudit = await maxAuditId();
          try {
            await apply(run, op);
            succeeded++;
            succeededBy.set(op.t, (succeededBy.get(op.t) ?? 0) + 1);
          } catch (err) {
            if (!isPimError(err)) throw err; // a refusal is fine; anything else is a bug
          }
          await checkInvariants(run, before, lastAudit, reqStatus);
          for (const r of await requestsOf(run)) reqStatus.set(r.id, r.status);
          steps++;
        }
      }),
      {
        numRuns: RUNS,
        // hand-written sequences always run first: removal of an eligibility under an activation, approval flow, group member leaving
        examples: [
          [
            [
              { t: "assignElig", who: 0, days: 0 },
              { t: "activate", who: 0, minutes: 240, later: false },
              { t: "advance", minutes: 10 },
              { t: "remove", pick: 0 },
              { t: "advance", minutes: 10 },
            ],
          ],
          [
            [
              { t: "approval", mode: 3 },
              { t: "assignElig", who: 1, days: 3 },
              { t: "activate", who: 1, minutes: 60, later: false },
              { t: "decide", pick: 0, approver: 2, approve: true },
              { t: "decide", pick: 0, approver: 3, approve: true },
              { t: "sweep" },
            ],
          ],
          [
            [
              { t: "gAssignElig", who: 0, days: 2 },
              { t: "gActivate", who: 0, minutes: 60 },
              { t: "advance", minutes: 30 },
              { t: "gDeactivate", who: 0 },
              { t: "gAssignActive", who: 1, hours: 1 },
              { t: "advance", minutes: 61 },
              { t: "sweep" },
              { t: "gRemove", pick: 0 },
              { t: "gActivate", who: 0, minutes: 240 },
              { t: "advance", minutes: 3000 },
              { t: "sweep" },
            ],
          ],
          [
            [
              { t: "assignElig", who: 3, days: 0 },
              { t: "activate", who: 2, minutes: 60, later: false },
              { t: "membership", add: false },
              { t: "advance", minutes: 61 },
              { t: "sweep" },
            ],
          ],
        ],
      },
    );
    console.info(
      `property sequences: ${sequences}, steps: ${steps} (${succeeded} calls succeeded, the rest refused by a rule)`,
    );
    expect(sequences).toBeGreaterThanOrEqual(RUNS);
    // Not vacuous: the hand-written sequences alone assign, activate and remove successfully, so the invariants
    // were checked after each kind of change (a run where every call was refused fails here). Their "decide"
    // steps are all refused today (found by this check; see issue 11), so decide is not required yet.
    for (const kind of [
      "assignElig",
      "activate",
      "remove",
      "gAssignElig",
      "gAssignActive",
      "gActivate",
      "gDeactivate",
      "gRemove",
    ]) {
      expect(succeededBy.get(kind) ?? 0, `successful ${kind} steps`).toBeGreaterThan(0);
    }
  }, 600_000);
});

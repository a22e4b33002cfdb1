/**
 * The read side's shape, per page read model: a fixed number of statements whatever the number of rows
 * shown or admins in the directory (fails on an N+1), and a person without the right gets Forbidden or a
 * result scoped to themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countStatements, days } from "@/test/db";
import { pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import type { TestUser } from "@/test/fixtures/directory";
import {
  GLOBAL_ADMINISTRATOR,
  GROUPS_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SECURITY_READER,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { activateRole } from "@/lib/pim/use-cases/activate-role";
import { decideRequest } from "@/lib/pim/use-cases/decide-request";
import { listMyNotifications, unreadCount } from "@/lib/pim/notifications/inbox";
import { listMyApiTokens } from "@/lib/api/tokens-view";
import { listServicePrincipals } from "@/lib/api/service-principals/queries";
import { activityViews, iterateActivity, listActivity, listActivityFilterOptions, scopeLabeler } from "./activity-log";
import { getAuditStatus } from "./audit-status";
import { readRights } from "./read-scope";
import { getTenantName } from "./tenant";
import { listAssignmentPolicies } from "./assignment-policies";
import { iterateBladeAssignments, listBladeAssignments, loadAssignmentsBlade } from "./assignments-blade";
import { listRolesWithCounts } from "./list-roles-with-counts";
import { listUsers } from "./list-users";
import { listMyActiveRoles, listMyEligibleRoles, listMyExpiredRoles } from "./my-roles";
import { listRequestDecisions } from "./request-decisions";
import {
  countApprovableRequests,
  countMyRequests,
  countOtherApprovers,
  getRequestView,
  listApprovableRequests,
  listMyRequests,
  listOtherApprovers,
} from "./requests";
import { getRoleSettingsView } from "./role-settings-view";
import { getOverviewStats } from "./self-service-counts";
import { loadAccessReviewsPage } from "./access-reviews";
import { discoveryInsights } from "./discovery";
import { createAccessReview } from "@/lib/pim/use-cases/access-reviews";

let w: PimWorld;
let plain: TestUser;
let reader: TestUser;
let userAdmin: TestUser;
let requesters: TestUser[];
const requestIds: string[] = [];
const ROWS = 30;

/** Statements one call sends. */
async function statementsOf(fn: () => Promise<unknown>): Promise<number> {
  return (await countStatements(fn)).statements.length;
}

/** The same page load with 2 rows and with `many` rows: equal counts (no N+1), and within `max`. */
async function flat(load: (limit: number) => Promise<unknown>, max: number, many = 25) {
  const small = await statementsOf(() => load(2));
  const large = await statementsOf(() => load(many));
  expect(large).toBe(small);
  expect(large).toBeLessThanOrEqual(max);
  return large;
}

beforeAll(async () => {
  w = await pimWorld();
  w.clock.set(T0);
  const past = { start: w.since };
  [plain, reader, userAdmin] = await w.d.users("Pat Plain", "Rita Reader", "Uma Useradmin");
  await w.d.active(reader, SECURITY_READER, past);
  await w.d.active(userAdmin, USER_ADMINISTRATOR, past);
  // Many admins, directly and through a group: approvers resolved per row would grow with them.
  for (let i = 0; i < 8; i++) await w.d.active(await w.d.user(`Extra Admin ${i}`), GLOBAL_ADMINISTRATOR, past);
  const adminGroup = await w.d.group("PRA team");
  for (let i = 0; i < 8; i++) await w.d.addMember(adminGroup, await w.d.user(`Team Admin ${i}`));
  await w.d.active(adminGroup, PRIVILEGED_ROLE_ADMINISTRATOR, past);
  // A role with named approvers (users and a group), and one approved by the admins.
  const approvers = await w.d.group("Helpdesk approvers", [w.alice, reader]);
  await w.d.settings(GROUPS_ADMINISTRATOR, {
    approvalRequired: true,
    approvalStages: [
      {
        mode: "anyOne",
        approvers: [
          { type: "Group", id: approvers.id },
          { type: "User", id: w.bob.id },
        ],
      },
    ],
  });
  await w.d.settings(HELPDESK_ADMINISTRATOR, { approvalRequired: true });
  requesters = [];
  for (let i = 0; i < ROWS; i++) {
    const u = await w.d.user(`Requester ${String(i).padStart(2, "0")}`);
    requesters.push(u);
    const role = i % 2 ? GROUPS_ADMINISTRATOR : HELPDESK_ADMINISTRATOR;
    await w.d.eligible(u, role, past);
    await w.d.eligible(u, USER_ADMINISTRATOR, past);
    await w.d.eligible(u, USER_ADMINISTRATOR, { start: new Date(T0.getTime() - days(20)), end: w.since });
    const r = await activateRole(w.ctx, u.actor(), { roleDefinitionId: role, justification: `request ${i}` });
    requestIds.push(r.requestId);
  }
  // Decisions on a few, so My requests shows some.
  for (const id of requestIds.slice(0, 6))
    await decideRequest(w.ctx, w.alice.actor(), { requestId: id, decision: "Deny", justification: "Not now" });
});
afterAll(async () => w.h.drop());

describe("statements per page load do not grow with the rows shown or the admins", () => {
  it("My roles (three tabs) and Overview", async () => {
    const heavy = requesters[1]!;
    expect(await statementsOf(() => listMyEligibleRoles(w.ctx, heavy.actor()))).toBe(1);
    expect(await statementsOf(() => listMyActiveRoles(w.ctx, heavy.actor()))).toBe(1);
    expect(await statementsOf(() => listMyExpiredRoles(w.ctx, heavy.actor()))).toBe(1);
    expect(await statementsOf(() => getOverviewStats(w.ctx, w.alice.actor()))).toBeLessThanOrEqual(6);
    expect(await statementsOf(() => getOverviewStats(w.ctx, plain.actor()))).toBeLessThanOrEqual(6);
  });

  it("Approve requests: the list, its capped count and the approvers' counts", async () => {
    const load = async (limit: number) => {
      const [list] = await Promise.all([
        listApprovableRequests(w.ctx, w.alice.actor(), { limit }),
        countApprovableRequests(w.ctx, w.alice.actor()),
      ]);
      expect(list.rows.length).toBe(limit);
      await countOtherApprovers(
        w.ctx,
        w.alice.actor(),
        list.rows.map((r) => r.id),
      );
    };
    await flat(load, 6, 20);
    expect(await statementsOf(() => listOtherApprovers(w.ctx, w.alice.actor(), { requestId: requestIds[29]! }))).toBe(
      3,
    );
  });

  it("Pending requests: my requests, their count and the decisions on them", async () => {
    const me = requesters[0]!;
    await w.d.eligible(me, SECURITY_READER, { start: w.since });
    for (let i = 0; i < 3; i++)
      await activateRole(w.ctx, me.actor(), { roleDefinitionId: SECURITY_READER, justification: "x" }).catch(
        () => null,
      );
    const load = async (limit: number) => {
      const [list] = await Promise.all([
        listMyRequests(w.ctx, me.actor(), { limit }),
        countMyRequests(w.ctx, me.actor()),
      ]);
      await listRequestDecisions(w.ctx, me.actor(), { requestIds: list.rows.map((r) => r.id) });
    };
    const small = await statementsOf(() => load(1));
    expect(await statementsOf(() => load(25))).toBe(small);
    expect(small).toBeLessThanOrEqual(3);
  });

  it("Assignments (every tab), Activity, Users, Roles, Role settings", async () => {
    for (const tab of ["eligible", "active", "expired"] as const) {
      await flat((limit) => loadAssignmentsBlade(w.ctx, w.alice.actor(), { tab, limit }), 5);
      // a deep page costs the same as the first
      const p1 = await listBladeAssignments(w.ctx, w.alice.actor(), { tab, limit: 5 });
      expect(
        await statementsOf(() =>
          loadAssignmentsBlade(w.ctx, w.alice.actor(), { tab, limit: 5, cursor: p1.nextCursor }),
        ),
      ).toBeLessThanOrEqual(5);
    }
    await flat((limit) => listActivity(w.ctx, w.alice.actor(), { view: "resource" }, { limit }), 3);
    await flat((limit) => listActivity(w.ctx, plain.actor(), { view: "mine" }, { limit }), 3);
    expect(await statementsOf(() => listActivityFilterOptions(w.ctx))).toBe(1);
    expect(await statementsOf(() => activityViews(w.ctx, w.alice.actor()))).toBe(1);
    // Uma may update users but is not GA/PRA: the privileged check runs once for the page, never per row.
    const users = await flat((limit) => listUsers(w.ctx, userAdmin.actor(), { limit }), 5);
    expect(users).toBe(5);
    expect(await statementsOf(() => listRolesWithCounts(w.ctx, w.alice.actor()))).toBe(2);
    expect(
      await statementsOf(() => getRoleSettingsView(w.ctx, w.alice.actor(), { roleDefinitionId: GROUPS_ADMINISTRATOR })),
    ).toBeLessThanOrEqual(5);
  });

  it("Notifications, Tokens, Service principals", async () => {
    await flat((limit) => listMyNotifications(w.ctx.db, w.alice.id, { limit }), 1);
    expect(await statementsOf(() => unreadCount(w.ctx.db, w.alice.id))).toBe(1);
    expect(await statementsOf(() => listMyApiTokens(w.ctx, w.alice.id))).toBeLessThanOrEqual(2);
    await w.d.servicePrincipal("App one");
    await w.d.servicePrincipal("App two");
    await flat((limit) => listServicePrincipals(w.ctx, w.alice.actor(), { limit }), 5);
    // a deep page costs the same as the first
    const p1 = await listServicePrincipals(w.ctx, w.alice.actor(), { limit: 1 });
    expect(
      await statementsOf(() => listServicePrincipals(w.ctx, w.alice.actor(), { limit: 1, cursor: p1.nextCursor })),
    ).toBeLessThanOrEqual(5);
  });
});

/** A page render's memo as the app gives it (`getCtx`: one slot per key for the render). */
function renderCtx(): PimWorld["ctx"] {
  const slots = new Map<string, Promise<unknown>>();
  const memo = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    if (!slots.has(key)) slots.set(key, load());
    return slots.get(key) as Promise<T>;
  };
  return { ...w.ctx, memo };
}

describe("the export's iteration", () => {
  it("yields exactly the rows the pages show, in batches of any size, filters applied", async () => {
    const rita = reader.actor();
    for (const q of [
      { view: "resource" as const },
      { view: "resource" as const, roleDefinitionId: GROUPS_ADMINISTRATOR },
    ]) {
      const paged = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof listActivity>> = await listActivity(w.ctx, rita, q, {
          cursor,
          limit: 50,
        });
        paged.push(...page.rows);
        cursor = page.nextCursor;
      } while (cursor);
      const iterated = [];
      for await (const r of iterateActivity(w.ctx, rita, q, 7)) iterated.push(r);
      expect(iterated.length).toBeGreaterThan(7);
      expect(iterated).toEqual(paged);
    }
  });
});

describe("a whole page render stays within 10 statements (with the session's one)", () => {
  // What the portal layout's chrome reads on every page: the tenant's name, the rights (menu), the bell.
  const chrome = (ctx: PimWorld["ctx"], who: TestUser) =>
    Promise.all([getTenantName(ctx), readRights(ctx, who.actor()), unreadCount(ctx.db, who.id)]);
  const shared = (statements: string[]) => ({
    tenant: statements.filter((q) => q.includes('"directory_settings"')).length,
    rights: statements.filter((q) => q.includes("service_principal_permissions")).length,
  });

  it("Activity (resource and mine) and Overview ask the tenant's name and the rights once per render", async () => {
    const activity = async (ctx: PimWorld["ctx"], who: TestUser, view: "resource" | "mine") => {
      await chrome(ctx, who);
      await activityViews(ctx, who.actor());
      await Promise.all([
        listActivity(ctx, who.actor(), { view }, { limit: 25 }),
        scopeLabeler(ctx),
        listActivityFilterOptions(ctx),
        getTenantName(ctx),
      ]);
      if (view === "resource") await getAuditStatus(ctx, who.actor());
    };
    const overview = async (ctx: PimWorld["ctx"], who: TestUser) => {
      await chrome(ctx, who);
      await getTenantName(ctx);
      await getOverviewStats(ctx, who.actor());
    };
    const loads = [
      ["Activity (resource)", (ctx: PimWorld["ctx"]) => activity(ctx, w.alice, "resource")],
      ["Activity (mine)", (ctx: PimWorld["ctx"]) => activity(ctx, plain, "mine")],
      ["Overview (GA)", (ctx: PimWorld["ctx"]) => overview(ctx, w.alice)],
      ["Overview (no role)", (ctx: PimWorld["ctx"]) => overview(ctx, plain)],
    ] as const;
    for (const [name, load] of loads) {
      const { statements } = await countStatements(() => load(renderCtx()));
      expect({ name, ...shared(statements) }).toEqual({ name, tenant: 1, rights: 1 });
      expect(statements.length + 1, `${name}: ${statements.length} + the session`).toBeLessThanOrEqual(10);
      // without the render's memo (a server action, a route handler) each caller reads for itself
      const alone = await countStatements(() => load(w.ctx));
      expect(shared(alone.statements).tenant).toBeGreaterThan(1);
    }
  });
});

describe("governance pages render within 10 statements (with the session's one)", () => {
  const chrome = (ctx: PimWorld["ctx"], who: TestUser) =>
    Promise.all([getTenantName(ctx), readRights(ctx, who.actor()), unreadCount(ctx.db, who.id)]);
  // What each page's server component loads (app/(portal)/access-reviews/page.tsx, discovery/page.tsx).
  const pages = [
    [
      "Access reviews",
      async (ctx: PimWorld["ctx"]) => {
        await chrome(ctx, w.alice);
        await Promise.all([loadAccessReviewsPage(ctx, w.alice.actor(), { limit: 25 }), getTenantName(ctx)]);
      },
    ],
    [
      "Discovery and insights",
      async (ctx: PimWorld["ctx"]) => {
        await chrome(ctx, w.alice);
        await Promise.all([discoveryInsights(ctx, w.alice.actor()), getTenantName(ctx)]);
      },
    ],
  ] as const;

  it("Access reviews and Discovery and insights, with reviews, units and standing access to show", async () => {
    for (let i = 0; i < 3; i++) await w.d.administrativeUnit(`Review Unit ${i}`);
    const t = w.clock.now();
    for (let i = 0; i < 3; i++) {
      w.clock.set(new Date(t.getTime() + i * 1000)); // newest first needs distinct creation times
      await createAccessReview(w.ctx, w.alice.actor(), {
        displayName: `Read-side review ${i}`,
        roleDefinitionIds: [USER_ADMINISTRATOR],
        assignmentKind: "eligible",
        stages: [
          {
            reviewerType: "selected",
            reviewers: [{ type: "User", id: reader.id }],
            fallbackReviewers: [],
            durationDays: 7,
          },
        ],
        startDateTime: w.clock.now(),
      });
    }
    w.clock.set(t);
    for (const [name, load] of pages) {
      const { statements } = await countStatements(() => load(renderCtx()));
      expect(statements.length + 1, `${name}: ${statements.length} + the session`).toBeLessThanOrEqual(10);
      console.info(`statements per render: ${name}: ${statements.length} + the session`);
    }
    const page = await loadAccessReviewsPage(w.ctx, w.alice.actor(), { limit: 2 });
    expect(page.rows.map((r) => r.displayName)).toEqual(["Read-side review 2", "Read-side review 1"]);
    expect(page.nextCursor).not.toBeNull();
    expect(page.form.scopes.map((s) => s.label)).toEqual(
      expect.arrayContaining(["Directory", "Review Unit 0 (Administrative unit)"]),
    );
    expect(page.form.roles.some((r) => r.id === USER_ADMINISTRATOR)).toBe(true);
    expect(page.form.defaults).toEqual({ durationDays: 14, defaultDecision: "noChange" });
    // The statements do not grow with the rows shown.
    expect(await flat((limit) => loadAccessReviewsPage(w.ctx, w.alice.actor(), { limit }), 2, 3)).toBeLessThanOrEqual(
      2,
    );
    await rejects(loadAccessReviewsPage(w.ctx, plain.actor()), "Forbidden");
    await rejects(discoveryInsights(w.ctx, plain.actor()), "Forbidden");
  });
});

describe("the blade's denormalised sort names follow renames (triggers)", () => {
  it("a renamed person or role shows and sorts under the new name", async () => {
    const { users, roleDefinitions } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const ga = w.alice.actor();
    const zed = requesters[7]!;
    await w.ctx.db.update(users).set({ displayName: "Aaron Renamed" }).where(eq(users.id, zed.id));
    const page = await listBladeAssignments(w.ctx, ga, { tab: "eligible", search: "Aaron Renamed", limit: 10 });
    expect(page.rows.map((r) => r.principalName)).toEqual(["Aaron Renamed", "Aaron Renamed"]);
    expect(page.rows.every((r) => r.principalId === zed.id)).toBe(true);
    await w.ctx.db
      .update(roleDefinitions)
      .set({ displayName: "AAA Helpdesk" })
      .where(eq(roleDefinitions.id, HELPDESK_ADMINISTRATOR));
    const first = await listBladeAssignments(w.ctx, ga, { tab: "eligible", limit: 1 });
    expect(first.rows[0]?.roleName).toBe("AAA Helpdesk");
    await w.ctx.db
      .update(roleDefinitions)
      .set({ displayName: "Helpdesk Administrator" })
      .where(eq(roleDefinitions.id, HELPDESK_ADMINISTRATOR));
  });
});

describe("read models authorize or scope themselves", () => {
  it("refuses people without a PIM reader role", async () => {
    const pat = plain.actor();
    await rejects(listBladeAssignments(w.ctx, pat, { tab: "eligible" }), "Forbidden");
    await rejects(loadAssignmentsBlade(w.ctx, pat, { tab: "active" }), "Forbidden");
    await rejects(iterateBladeAssignments(w.ctx, pat, { tab: "expired" }).next(), "Forbidden");
    await rejects(listActivity(w.ctx, pat, { view: "resource" }), "Forbidden");
    await rejects(iterateActivity(w.ctx, pat, { view: "resource" }).next(), "Forbidden");
    await rejects(getRoleSettingsView(w.ctx, pat, { roleDefinitionId: GROUPS_ADMINISTRATOR }), "Forbidden");
    await rejects(listAssignmentPolicies(w.ctx, pat), "Forbidden");
    await rejects(listServicePrincipals(w.ctx, pat), "Forbidden");
    await rejects(listOtherApprovers(w.ctx, pat, { requestId: requestIds[0]! }), "Forbidden");
    expect(await activityViews(w.ctx, pat)).toEqual(["mine"]);
    // A Security Reader reads them all.
    const rita = reader.actor();
    expect((await listBladeAssignments(w.ctx, rita, { tab: "eligible" })).rows.length).toBeGreaterThan(0);
    expect((await listActivity(w.ctx, rita, { view: "resource" })).rows.length).toBeGreaterThan(0);
    expect(await getRoleSettingsView(w.ctx, rita, { roleDefinitionId: GROUPS_ADMINISTRATOR })).toMatchObject({
      viewer: { reader: true, admin: false },
    });
  });

  it("scopes the self-service models to the actor", async () => {
    const pat = plain.actor();
    const sam = requesters[3]!;
    // My audit: only rows where Pat is actor or target (none), never the others'.
    expect((await listActivity(w.ctx, pat, { view: "mine" })).rows).toEqual([]);
    const samAudit = await listActivity(w.ctx, sam.actor(), { view: "mine" });
    expect(samAudit.rows.length).toBeGreaterThan(0);
    expect(samAudit.rows.every((r) => r.actorName === sam.displayName || r.targetName === sam.displayName)).toBe(true);
    expect((await listMyRequests(w.ctx, pat)).rows).toEqual([]);
    expect((await listMyRequests(w.ctx, sam.actor())).rows.every((r) => r.principalId === sam.id)).toBe(true);
    expect(await listRequestDecisions(w.ctx, pat, { requestIds })).toEqual({});
    expect(await getRequestView(w.ctx, pat, requestIds[3]!)).toBeNull();
    expect((await getRequestView(w.ctx, sam.actor(), requestIds[3]!))?.id).toBe(requestIds[3]);
    expect((await getRequestView(w.ctx, reader.actor(), requestIds[3]!))?.id).toBe(requestIds[3]);
    expect((await listApprovableRequests(w.ctx, pat)).rows).toEqual([]);
    expect(await countApprovableRequests(w.ctx, pat)).toEqual({ n: 0, exact: true });
    expect(await listMyEligibleRoles(w.ctx, pat)).toEqual([]);
    expect((await getOverviewStats(w.ctx, pat)).directory).toBeNull();
    expect((await listRolesWithCounts(w.ctx, pat)).viewer).toEqual({ reader: false, admin: false, groupOwner: false });
    // Users is open to everyone, but only those allowed may disable anyone.
    expect((await listUsers(w.ctx, pat, {})).rows.some((r) => r.canSetEnabled)).toBe(false);
    const byUma = await listUsers(w.ctx, userAdmin.actor(), { limit: 200 });
    const flag = (name: string) => byUma.rows.find((r) => r.displayName === name)?.canSetEnabled;
    expect(flag("Pat Plain")).toBe(true);
    expect(flag("Alice Admin")).toBe(false); // privileged: GA/PRA only
    expect(flag("Team Admin 0")).toBe(false); // privileged through the PRA group
    expect(flag("Uma Useradmin")).toBe(false); // never oneself
  });
});

/**
 * Statements and SQL time per page load of the read models (issue 10, item 2), against a generated
 * directory: `npx tsx bench/readside-pages.ts --database-url postgres://…/pim_bench_m [--impl before]`.
 * Each page's loader runs once to warm up, then once with every statement recorded; each recorded statement
 * is then run again under EXPLAIN (ANALYZE) and its execution times are summed ("SQL ms"). One connection.
 * `--impl before` loads the read models from lib/pim/queries-before/ (the previous code, restored with
 * `git show <commit>:lib/pim/queries/<file>` — not part of the tree) to measure before/after side by side.
 */
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDb } from "@/db/client";
import type { Actor, Ctx } from "@/lib/pim/context";

type Load = (ctx: Ctx) => Promise<unknown>;
type Recorded = { query: string; params: unknown[] };

const persona = (id: string, displayName: string): Actor => ({ id, type: "User", displayName });
const GA = persona("b0000000-0000-4000-8000-000000000001", "Gloria Admin");
const READER = persona("b0000000-0000-4000-8000-000000000003", "Rita Reader");
const USER = persona("b0000000-0000-4000-8000-000000000004", "Uma User");
const APPROVER = persona("b0000000-0000-4000-8000-000000000005", "Avery Approver");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the two implementations have different signatures */
async function pages(impl: "before" | "after"): Promise<Record<string, Load>> {
  const dir = impl === "before" ? "../lib/pim/queries-before" : "../lib/pim/queries";
  const m = async (f: string): Promise<any> => import(path.join(dir, f));
  const [mine, req, counts, blade, activity, users, roles, settings, policies, scopes, decisions] = await Promise.all([
    m("my-roles"),
    m("requests"),
    m("self-service-counts"),
    m("assignments-blade"),
    m("activity-log"),
    m("list-users"),
    m("list-roles-with-counts"),
    m("role-settings-view"),
    m("assignment-policies"),
    m("search-principals"),
    m("request-decisions"),
  ]);
  const authz = await import("@/lib/pim/authz");
  const before = impl === "before";
  const GA_ROLE = "62e90394-69f5-4237-9190-012177145e10";
  return {
    "My roles": (ctx) =>
      Promise.all([
        mine.listMyEligibleRoles(ctx, USER),
        mine.listMyActiveRoles(ctx, USER),
        mine.listMyExpiredRoles(ctx, USER),
        scopes.listScopes(ctx),
      ]),
    "Pending requests": async (ctx) => {
      const [list] = await Promise.all([
        req.listMyRequests(ctx, USER, { limit: 25 }),
        (before ? counts : req).countMyRequests(ctx, USER, {}),
      ]);
      const ids = list.rows.map((r: { id: string }) => r.id);
      await (before
        ? decisions.listRequestDecisions(ctx, ids)
        : decisions.listRequestDecisions(ctx, USER, { requestIds: ids }));
    },
    "Approve requests": async (ctx) => {
      const [list] = await Promise.all([
        req.listApprovableRequests(ctx, APPROVER, { limit: 25 }),
        (before ? counts : req).countApprovableRequests(ctx, APPROVER),
      ]);
      const ids = list.rows.map((r: { id: string }) => r.id);
      if (before) {
        const approvers = await import(path.join(dir, "request-approvers"));
        await approvers.listRequestApprovers(ctx, ids);
      } else await req.countOtherApprovers(ctx, APPROVER, ids);
    },
    Overview: (ctx) => counts.getOverviewStats(ctx, GA),
    "Assignments (eligible, first page)": (ctx) =>
      before
        ? Promise.all([
            authz.isPimReader(ctx, GA),
            authz.isPimAdmin(ctx, GA),
            blade.listBladeAssignments(ctx, { tab: "eligible", limit: 25 }),
            activity.scopeLabeler(ctx),
            policies.listAssignmentPolicies(ctx),
            scopes.listScopes(ctx),
          ])
        : blade.loadAssignmentsBlade(ctx, GA, { tab: "eligible", limit: 25 }),
    "Assignments (active, search 'smith')": (ctx) =>
      before
        ? Promise.all([
            authz.isPimReader(ctx, GA),
            authz.isPimAdmin(ctx, GA),
            blade.listBladeAssignments(ctx, { tab: "active", search: "smith", limit: 25 }),
            activity.scopeLabeler(ctx),
            policies.listAssignmentPolicies(ctx),
            scopes.listScopes(ctx),
          ])
        : blade.loadAssignmentsBlade(ctx, GA, { tab: "active", search: "smith", limit: 25 }),
    "Activity (resource, first page)": (ctx) =>
      before
        ? Promise.all([
            authz.isPimReader(ctx, READER),
            activity.listActivity(ctx, {}, { limit: 50 }),
            activity.scopeLabeler(ctx),
            roles.listRolesWithCounts(ctx),
            activity.listActivityNames(ctx),
          ])
        : Promise.all([
            activity.activityViews(ctx, READER),
            activity.listActivity(ctx, READER, { view: "resource" }, { limit: 50 }),
            activity.scopeLabeler(ctx),
            activity.listActivityFilterOptions(ctx),
          ]),
    "Activity (resource, role filter)": (ctx) =>
      before
        ? Promise.all([
            authz.isPimReader(ctx, READER),
            activity.listActivity(ctx, { roleDefinitionId: GA_ROLE }, { limit: 50 }),
            activity.scopeLabeler(ctx),
            roles.listRolesWithCounts(ctx),
            activity.listActivityNames(ctx),
          ])
        : Promise.all([
            activity.activityViews(ctx, READER),
            activity.listActivity(ctx, READER, { view: "resource", roleDefinitionId: GA_ROLE }, { limit: 50 }),
            activity.scopeLabeler(ctx),
            activity.listActivityFilterOptions(ctx),
          ]),
    "Users (first page)": async (ctx) => {
      if (before) {
        // The page's calls then: the list, Reset MFA's admin check, and userEnablementRights (update right,
        // admin, and the previous privilegedUserIds over the page's ids).
        const [page] = await Promise.all([users.listUsers(ctx, { limit: 25 }), authz.isPimAdmin(ctx, APPROVER)]);
        const old = await m("privileged-users");
        const { USER_UPDATE_PERMISSION } = await import("@/lib/pim/use-cases/set-user-enabled");
        await Promise.all([
          authz.hasPermissionNow(ctx, APPROVER, { permission: USER_UPDATE_PERMISSION }),
          authz.isPimAdmin(ctx.db, APPROVER.id, ctx.now()),
          old.privilegedUserIds(
            ctx.db,
            page.rows.map((r: { id: string }) => r.id),
            ctx.now(),
          ),
        ]);
      } else await users.listUsers(ctx, APPROVER, { limit: 25 });
    },
    Roles: (ctx) =>
      before
        ? Promise.all([authz.isPimReader(ctx, GA), authz.isPimAdmin(ctx, GA), roles.listRolesWithCounts(ctx)])
        : roles.listRolesWithCounts(ctx, GA),
    "Role settings (GA)": (ctx) =>
      before
        ? Promise.all([
            authz.isPimReader(ctx, GA),
            authz.isPimAdmin(ctx, GA),
            settings.getRoleSettingsView(ctx, GA_ROLE),
          ])
        : settings.getRoleSettingsView(ctx, GA, { roleDefinitionId: GA_ROLE }),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

async function main() {
  const url = arg("database-url") ?? "postgres://postgres@127.0.0.1:5432/pim_bench_m";
  const impl = arg("impl") === "before" ? "before" : "after";
  const only = arg("page");
  let sink: Recorded[] | null = null;
  const handle = await openDb({
    url,
    max: 1,
    logger: { logQuery: (query, params) => sink?.push({ query, params }) },
  });
  const raw = postgres(url, { max: 1, onnotice: () => {} });
  // The generator's clock: its "now" is when it ran; the read models ask the real clock too.
  const ctx: Ctx = { db: handle.db, now: () => new Date() };
  const load0 = os.loadavg()[0] ?? 0;
  console.log(`| page (${impl}) | statements | SQL ms (sum of EXPLAIN ANALYZE execution times) | wall ms |`);
  console.log("|---|---:|---:|---:|");
  for (const [name, load] of Object.entries(await pages(impl))) {
    if (only && !name.startsWith(only)) continue;
    await load(ctx); // warm
    sink = [];
    const t0 = performance.now();
    await load(ctx);
    const wall = performance.now() - t0;
    const recorded = sink;
    sink = null;
    let sqlMs = 0;
    const each: string[] = [];
    for (const r of recorded) {
      const plan = await raw.unsafe(`explain (analyze, format json) ${r.query}`, r.params as never[]);
      const json = (plan[0] as Record<string, unknown>)["QUERY PLAN"] as { "Execution Time": number }[];
      const ms = json[0]?.["Execution Time"] ?? 0;
      sqlMs += ms;
      each.push(ms.toFixed(1));
    }
    console.log(`| ${name} | ${recorded.length} | ${sqlMs.toFixed(1)} | ${wall.toFixed(0)} |`);
    if (process.argv.includes("--each")) {
      for (const [i, r] of recorded.entries())
        console.log(`    ${each[i]} ms  ${r.query.replace(/\s+/g, " ").slice(0, 160)}`);
    }
  }
  console.log(`\nload average ${load0.toFixed(2)} before, ${(os.loadavg()[0] ?? 0).toFixed(2)} after; ${url}`);
  await raw.end();
  await handle.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

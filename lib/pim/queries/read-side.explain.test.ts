/**
 * The hot queries of the page read models use their indexes: no sequential scan of a big table, the index
 * each page is designed around. Plans come from EXPLAIN (no ANALYZE: the shape is asserted, not the
 * machine's speed). PostgreSQL only (the bench generator uses COPY).
 *
 * Two sizes, because generating M (20,009 users, 200,000 schedules, 1,000,000 audit rows) takes about 3 min
 * and CI has 15 min for everything:
 * - default (CI): the generator's size S (1,000 users, 10,000 schedules, 50,000 audit rows; ~20-40 s). At
 *   that size a sequential scan is genuinely the cheaper plan for many queries, so the plans are taken with
 *   `enable_seqscan = off`: the test then asks whether an index CAN serve each query. A predicate no index
 *   can serve (an `OR` across tables, a filter on a union's output, a missing index) still plans a Seq Scan
 *   and fails. The keyset tests also plan with `enable_sort = off` (can an index give the page's order?).
 * - `READSIDE_EXPLAIN_SIZE=M` (generates M) or `READSIDE_EXPLAIN_DATABASE_URL=<a generated M>`: the
 *   planner's own choice at size, with no setting changed. BENCHMARKS.md records a run of both.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "@/db/client";
import { generate } from "@/bench/generate/generate";
import { personas } from "@/bench/generate/personas";
import type { Actor, Ctx } from "@/lib/pim/context";
import {
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { isPimAdmin } from "@/lib/pim/authz";
import { listActivity, listActivityFilterOptions } from "./activity-log";
import { listBladeAssignments } from "./assignments-blade";
import { listRolesWithCounts } from "./list-roles-with-counts";
import { listUsers } from "./list-users";
import { listMyActiveRoles, listMyEligibleRoles } from "./my-roles";
import { countApprovableRequests, countOtherApprovers, listApprovableRequests } from "./requests";
import { getOverviewStats } from "./self-service-counts";
import { searchDirectory } from "./global-search";
import { listGroupsUnderPim } from "./groups-under-pim";
import { discoveryInsights } from "./discovery";

const base = process.env.TEST_DATABASE_URL;
/** An already generated size-M database to plan against instead of generating one (kept afterwards). */
const existing = process.env.READSIDE_EXPLAIN_DATABASE_URL;
/** S or M; an existing database is taken as M unless READSIDE_EXPLAIN_SIZE says otherwise. */
const size = (process.env.READSIDE_EXPLAIN_SIZE ?? (existing ? "M" : "S")) === "M" ? "M" : "S";
/** At S: plan as if the tables were big (see the header). */
const PLANNER: Record<string, string> = size === "S" ? { enable_seqscan: "off" } : {};
const ORDER_BY_INDEX = size === "S" ? "set local enable_sort = off" : null;
const BIG = ["users", "role_eligibility_schedules", "role_assignment_schedules", "schedule_requests", "audit_events"];

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
};
type Recorded = { query: string; params: unknown[] };

const actor = (p: { id: string; displayName: string }): Actor => ({
  id: p.id,
  type: "User",
  displayName: p.displayName,
});

function nodes(n: PlanNode): PlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}

describe.skipIf(!base)(`hot read-side queries use their indexes (PostgreSQL, size ${size})`, () => {
  let url: string;
  let handle: DbHandle;
  let raw: postgres.Sql;
  let ctx: Ctx;
  let sink: Recorded[] | null = null;
  const now = new Date();

  beforeAll(async () => {
    if (existing) url = existing;
    else {
      const u = new URL(base as string);
      u.pathname = `/pim_t_explain_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
      url = u.toString();
      await generate(url, size, { now });
    }
    handle = await openDb({ url, max: 1, logger: { logQuery: (query, params) => sink?.push({ query, params }) } });
    raw = postgres(url, { max: 1, onnotice: () => {}, connection: PLANNER });
    ctx = { db: handle.db, now: () => now };
  }, 900_000);

  afterAll(async () => {
    await raw?.end();
    await handle?.close();
    if (!url || existing) return;
    const a = postgres(base as string, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
    await a.end();
  });

  /** The plans of every statement `fn` sends, in order (each plan's nodes, flattened; `sql` is its text). */
  async function plansOf(
    fn: () => Promise<unknown>,
    setting: string | null = null,
  ): Promise<(PlanNode[] & { sql?: string })[]> {
    sink = [];
    await fn();
    const recorded = sink;
    sink = null;
    const out: (PlanNode[] & { sql?: string })[] = [];
    await raw.begin(async (tx) => {
      if (setting) await tx.unsafe(setting);
      for (const r of recorded) {
        const res = await tx.unsafe(`explain (format json) ${r.query}`, r.params as never[]);
        const plan = ((res[0] as Record<string, unknown>)["QUERY PLAN"] as { Plan: PlanNode }[])[0]!.Plan;
        out.push(Object.assign(nodes(plan), { sql: r.query }));
      }
    });
    return out;
  }
  const seqScans = (plan: PlanNode[]) =>
    plan
      .filter((n) => n["Node Type"] === "Seq Scan" && BIG.includes(n["Relation Name"] ?? ""))
      .map((n) => n["Relation Name"]);
  const indexes = (plans: PlanNode[][]) =>
    new Set(
      plans
        .flat()
        .map((n) => n["Index Name"])
        .filter(Boolean),
    );

  it("My roles: IN (me, my groups) probes the principal indexes", async () => {
    const user = actor(personas.user);
    const plans = [
      ...(await plansOf(() => listMyEligibleRoles(ctx, user))),
      ...(await plansOf(() => listMyActiveRoles(ctx, user))),
    ];
    for (const p of plans) expect(seqScans(p)).toEqual([]);
    // Which index wins is a choice of size: at S (20 roles, ~160 eligibilities each) walking the role index
    // is as cheap as probing the principal one, so the choice is asserted at M only.
    if (size === "M") {
      expect(indexes(plans)).toContain("eligibility_principal_idx");
      expect(indexes(plans)).toContain("assignment_access_idx");
    }
  });

  it("Approve requests: the page, its capped count and the approvers' counts", async () => {
    // The approver persona is a named approver; the GA persona approves roles without named approvers.
    const candidates = [actor(personas.ga), actor(personas.approver), actor(personas.pra)];
    const lists = await Promise.all(candidates.map((a) => listApprovableRequests(ctx, a, { limit: 25 })));
    const i = lists.findIndex((l) => l.rows.length > 0);
    expect(i).toBeGreaterThanOrEqual(0);
    const ga = candidates[i]!;
    const list = lists[i]!;
    const plans = [
      ...(await plansOf(() => listApprovableRequests(ctx, ga, { limit: 25 }))),
      ...(await plansOf(() => countApprovableRequests(ctx, ga))),
      ...(await plansOf(() =>
        countOtherApprovers(
          ctx,
          ga,
          list.rows.map((r) => r.id),
        ),
      )),
    ];
    for (const p of plans) expect(seqScans(p)).toEqual([]);
  });

  it("Assignments: Eligible and Active pages read the blade indexes in order, first and deep", async () => {
    const ga = actor(personas.ga);
    for (const tab of ["eligible", "active"] as const) {
      const first = await listBladeAssignments(ctx, ga, { tab, limit: 25 });
      expect(first.rows.length).toBe(25);
      const deep = await plansOf(
        () => listBladeAssignments(ctx, ga, { tab, limit: 25, cursor: first.nextCursor }),
        ORDER_BY_INDEX,
      );
      const pagePlan = deep.find((p) => p.sql?.includes("principal_detail"))!;
      expect(seqScans(pagePlan)).toEqual([]);
      expect(indexes([pagePlan])).toContain(tab === "eligible" ? "eligibility_blade_idx" : "assignment_blade_idx");
      // no sort of the live set: the only sort is of the page's rows after the limit
      const sorts = pagePlan.filter((n) => n["Node Type"] === "Sort");
      expect(sorts.length).toBeLessThanOrEqual(1);
    }
  });

  it("Assignments search: the member-name match is answered by the trigram indexes, never a scan", async () => {
    const ga = actor(personas.ga);
    for (const tab of ["eligible", "active", "expired"] as const) {
      const plans = await plansOf(() => listBladeAssignments(ctx, ga, { tab, search: "smith", limit: 25 }));
      for (const p of plans) expect(seqScans(p)).toEqual([]);
      // the page (or its capped count) reads a principal_name trigram index for this tab's tables
      expect([...indexes(plans)].some((i) => /principal_name_trgm_idx$/.test(String(i)))).toBe(true);
      expect(indexes(plans)).toContain("users_upn_trgm_idx");
    }
  });

  it("Activity: newest first by the primary key, filter options from small tables, role filter by its index", async () => {
    const reader = actor(personas.reader);
    const page = await plansOf(() => listActivity(ctx, reader, { view: "resource" }, { limit: 50, withTotal: false }));
    for (const p of page) expect(seqScans(p)).toEqual([]);
    expect(indexes(page)).toContain("audit_events_pkey");
    const options = await plansOf(() => listActivityFilterOptions(ctx));
    expect(options.flat().some((n) => n["Relation Name"] === "audit_events")).toBe(false);
    const byRole = await plansOf(() =>
      listActivity(ctx, reader, { view: "resource", roleDefinitionId: GLOBAL_ADMINISTRATOR }, { limit: 50 }),
    );
    for (const p of byRole) expect(seqScans(p)).toEqual([]);
    // failures only, with the capped total: the partial index of failed events, not a walk over the successes
    const failures = await plansOf(() =>
      listActivity(ctx, reader, { view: "resource", result: "failure" }, { limit: 50 }),
    );
    for (const p of failures) expect(seqScans(p)).toEqual([]);
    const onAudit = failures.filter((p) => /audit_events/.test(p.sql ?? ""));
    expect(onAudit).toHaveLength(2); // the page and its capped total
    for (const p of onAudit) expect(p.map((n) => n["Index Name"])).toContain("audit_failure_idx");
  });

  it("Users: the row-value keyset reads users_display_name_idx; may-disable is set-based", async () => {
    // A User Administrator holding neither GA nor PRA (directly or through a group): the page then decides "may
    // disable" for its rows. The SQL narrows the candidates; isPimAdmin rules out those a group makes admins.
    const candidates = await raw<{ id: string; display_name: string }[]>`
      select u.id, u.display_name from role_assignment_schedules s join users u on u.id = s.principal_id
       where s.role_definition_id = ${USER_ADMINISTRATOR} and s.principal_type = 'User' and s.directory_scope_id = '/'
         and s.status in ('Provisioned', 'Granted') and s.start_date_time <= ${now} and (s.end_date_time is null or s.end_date_time > ${now})
         and u.account_enabled and not exists (select 1 from role_assignment_schedules g where g.principal_id = u.id
           and g.role_definition_id in (${GLOBAL_ADMINISTRATOR}, ${PRIVILEGED_ROLE_ADMINISTRATOR}))
       limit 50`;
    let ua: { id: string; display_name: string } | undefined;
    for (const c of candidates) {
      if (!(await isPimAdmin(ctx, actor({ id: c.id, displayName: c.display_name })))) {
        ua = c;
        break;
      }
    }
    expect(ua).toBeDefined();
    const approver = actor({ id: ua!.id, displayName: ua!.display_name });
    const first = await listUsers(ctx, approver, { limit: 25 });
    expect(first.rows.some((r) => r.canSetEnabled)).toBe(true);
    const plans = await plansOf(() => listUsers(ctx, approver, { limit: 25, cursor: first.nextCursor }));
    const page = plans.find((p) => p.sql?.includes('"last_sign_in_at"'))!;
    expect(indexes([page])).toContain("users_display_name_idx");
    expect(seqScans(page)).toEqual([]);
    const privileged = plans.find((p) => p.sql?.includes("with p as"))!;
    expect(seqScans(privileged)).toEqual([]);
  });

  it("Overview and Roles: today's activations by the activation index, per-role counts maintained", async () => {
    const ga = actor(personas.ga);
    const overview = await plansOf(() => getOverviewStats(ctx, ga));
    expect(indexes(overview)).toContain("assignment_activated_start_idx");
    const roles = await plansOf(() => listRolesWithCounts(ctx, ga));
    for (const p of roles) expect(seqScans(p)).toEqual([]);
    // the holders with nothing in force now: read by end (not swept yet) and by start (starting later) only
    const used = indexes(roles);
    for (const name of ["eligibility_due_idx", "assignment_due_idx"]) expect(used).toContain(name);
    for (const name of ["eligibility_in_force_start_idx", "assignment_in_force_start_idx"])
      expect(used).toContain(name);
  });

  it("Top bar search: people and groups by prefix ranges on the search indexes, stopped after a few rows", async () => {
    const reader = actor(personas.reader);
    // A one-letter prefix matches thousands of people: still an index range read in order, never a scan.
    for (const q of ["a", "rita", "rita.reader@"]) {
      const plans = await plansOf(() => searchDirectory(ctx, reader, { q }));
      expect(plans).toHaveLength(4); // reader check, roles, people, groups
      // (the reader check is the layout's, planned at size M in the other cases)
      const scanned = plans
        .flat()
        .filter((n) => n["Node Type"] === "Seq Scan")
        .map((n) => n["Relation Name"]);
      expect(scanned.filter((r) => r === "users" || r === "groups")).toEqual([]);
      expect(indexes(plans)).toContain("users_name_search_idx");
      expect(indexes(plans)).toContain("users_upn_search_idx");
      expect(indexes(plans)).toContain("groups_name_search_idx");
    }
    expect((await searchDirectory(ctx, reader, { q: "Rita Rea" })).people.map((p) => p.id)).toContain(
      personas.reader.id,
    );
  });

  it("Groups: the keyset page reads groups_name_search_idx in order, first, deep and searched", async () => {
    const reader = actor(personas.reader);
    const first = await listGroupsUnderPim(ctx, reader, { limit: 3 });
    expect(first.groups).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    for (const load of [
      () => listGroupsUnderPim(ctx, reader, { limit: 3 }),
      () => listGroupsUnderPim(ctx, reader, { limit: 3, cursor: first.nextCursor }),
      () => listGroupsUnderPim(ctx, reader, { limit: 3, search: "a" }),
    ]) {
      const plans = await plansOf(load, ORDER_BY_INDEX);
      const page = plans.find((p) => p.sql?.includes("roles_held"))!;
      expect(indexes([page])).toContain("groups_name_search_idx");
      // the page's order comes from the index: no sort of the groups
      expect(page.filter((n) => n["Node Type"] === "Sort")).toEqual([]);
      for (const p of plans) expect(seqScans(p)).toEqual([]);
    }
  });

  it("One role's Assignments reads that role's run of the blade index, first and deep", async () => {
    const ga = actor(personas.ga);
    const first = await listBladeAssignments(ctx, ga, {
      tab: "eligible",
      limit: 25,
      roleDefinitionId: USER_ADMINISTRATOR,
    });
    expect(first.rows.length).toBe(25);
    expect(new Set(first.rows.map((r) => r.roleDefinitionId))).toEqual(new Set([USER_ADMINISTRATOR]));
    const deep = await plansOf(() =>
      listBladeAssignments(ctx, ga, {
        tab: "eligible",
        limit: 25,
        cursor: first.nextCursor,
        roleDefinitionId: USER_ADMINISTRATOR,
      }),
    );
    const pagePlan = deep.find((p) => p.sql?.includes("principal_detail"))!;
    expect(seqScans(pagePlan)).toEqual([]);
    expect(indexes([pagePlan])).toContain("eligibility_blade_idx");
  });
  it("Discovery: standing access and service principals read their partial indexes, not every privileged assignment", async () => {
    // (at S, as the keyset tests: can an index give the lists' order?)
    const plans = await plansOf(() => discoveryInsights(ctx, actor(personas.ga)), ORDER_BY_INDEX);
    const page = plans.find((p) => p.sql?.includes("standing_rows"))!;
    expect(seqScans(page)).toEqual([]);
    const used = indexes([page]);
    expect(used).toContain("assignment_standing_idx");
    expect(used).toContain("assignment_service_principal_idx");
    expect(used).not.toContain("assignment_role_idx");
  });
});

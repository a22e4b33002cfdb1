import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { seedBuiltins } from "@/db/seed";
import { roleAssignmentSchedules, roleEligibilitySchedules } from "@/db/schema";
import { countStatements, createTestDb, hours, testClock, testCtx, usingPostgres } from "@/test/db";
import { expireDue } from "../use-cases/expire-due";
import { rowsOf } from "../sql-rows";
import { GLOBAL_ADMINISTRATOR, HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR } from "../directory/builtin-roles";
import { listRolesWithCounts } from "./list-roles-with-counts";
import { getOverviewStats } from "./self-service-counts";

/**
 * The Roles page's holder counts are maintained (migration 0013, statement triggers) and corrected at the moment
 * of the read for schedules whose window does not cover now. These tests compare them with a count from scratch
 * after every kind of write, at several moments, under concurrent writers and the expiry sweep.
 */
const t0 = new Date("2026-11-22T09:00:00Z");
const at = (h: number) => new Date(t0.getTime() + hours(h));
const ROLES = [GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR, HELPDESK_ADMINISTRATOR];
const reader = { id: randomUUID(), type: "User" as const, displayName: "Nobody in particular" };

let h: Awaited<ReturnType<typeof createTestDb>>;
beforeAll(async () => {
  h = await createTestDb();
  await seedBuiltins(h.db, "Contoso");
});
afterAll(async () => h.drop());

/** What the page must show, counted from scratch: distinct principals with a schedule in force at `now`. */
async function fromScratch(now: Date): Promise<Map<string, { e: number; a: number }>> {
  const iso = now.toISOString();
  const res = await h.db.execute(sql`
    select r.id,
      (select count(distinct principal_id)::int from role_eligibility_schedules x where x.role_definition_id = r.id
          and x.status in ('Provisioned','Granted') and x.start_date_time <= ${iso}::timestamptz
          and (x.end_date_time is null or x.end_date_time > ${iso}::timestamptz)) as e,
      (select count(distinct principal_id)::int from role_assignment_schedules x where x.role_definition_id = r.id
          and x.status in ('Provisioned','Granted') and x.start_date_time <= ${iso}::timestamptz
          and (x.end_date_time is null or x.end_date_time > ${iso}::timestamptz)) as a
    from role_definitions r where r.is_enabled`);
  return new Map(rowsOf<{ id: string; e: number; a: number }>(res).map((r) => [r.id, { e: r.e, a: r.a }]));
}

/** The maintained table against a recount by status (the triggers' own invariant, independent of time). */
async function maintainedMatchesStatus(): Promise<void> {
  const res = await h.db.execute(sql`
    with truth as (
      select 'eligibility' as kind, role_definition_id, count(distinct principal_id)::int as n
        from role_eligibility_schedules where status in ('Provisioned','Granted') group by 2
      union all
      select 'assignment', role_definition_id, count(distinct principal_id)::int
        from role_assignment_schedules where status in ('Provisioned','Granted') group by 2)
    select coalesce(t.kind, c.kind) as kind, coalesce(t.role_definition_id, c.role_definition_id) as role,
           coalesce(t.n, 0) as truth, coalesce(c.holders, 0) as kept
      from truth t full join role_holder_counts c on c.kind = t.kind and c.role_definition_id = t.role_definition_id
     where coalesce(t.n, 0) <> coalesce(c.holders, 0)`);
  expect(rowsOf(res)).toEqual([]);
}

async function pageMatchesScratch(now: Date): Promise<void> {
  const { roles } = await listRolesWithCounts(testCtx(h, testClock(now)), reader);
  const truth = await fromScratch(now);
  expect(roles.length).toBe(truth.size);
  for (const r of roles)
    expect({ id: r.id, e: r.eligibleCount, a: r.activeCount }).toEqual({ id: r.id, ...truth.get(r.id) });
}

const assignment = (principalId: string, roleDefinitionId: string, start: Date, end: Date | null) => ({
  principalId,
  principalType: "User" as const,
  roleDefinitionId,
  directoryScopeId: "/",
  assignmentType: "Activated" as const,
  startDateTime: start,
  endDateTime: end,
});

describe("Roles page holder counts (maintained)", () => {
  it("count a principal once per role, follow status changes and deletes, and decide time at the read", async () => {
    const [p1, p2, p3] = [randomUUID(), randomUUID(), randomUUID()];
    const g = randomUUID();
    // p1 holds User Administrator twice (two scopes): one holder; p2 from h+1 to h+3; p3 permanent; a group too.
    await h.db
      .insert(roleAssignmentSchedules)
      .values([
        assignment(p1, USER_ADMINISTRATOR, at(0), at(2)),
        { ...assignment(p1, USER_ADMINISTRATOR, at(0), at(5)), directoryScopeId: "/administrativeUnits/x" },
        assignment(p2, USER_ADMINISTRATOR, at(1), at(3)),
        assignment(p3, USER_ADMINISTRATOR, at(0), null),
        { ...assignment(g, GLOBAL_ADMINISTRATOR, at(0), at(4)), principalType: "Group" as const },
      ]);
    await h.db.insert(roleEligibilitySchedules).values([
      {
        principalId: p1,
        principalType: "User",
        roleDefinitionId: USER_ADMINISTRATOR,
        startDateTime: at(0),
        endDateTime: null,
      },
      {
        principalId: p2,
        principalType: "User",
        roleDefinitionId: USER_ADMINISTRATOR,
        startDateTime: at(2),
        endDateTime: at(6),
      },
    ]);
    await maintainedMatchesStatus();
    const ua = async (hour: number) =>
      (await listRolesWithCounts(testCtx(h, testClock(at(hour))), reader)).roles.find(
        (r) => r.id === USER_ADMINISTRATOR,
      );
    expect(await ua(0.5)).toMatchObject({ activeCount: 2, eligibleCount: 1 }); // p2 starts later
    expect(await ua(1.5)).toMatchObject({ activeCount: 3, eligibleCount: 1 });
    expect(await ua(2.5)).toMatchObject({ activeCount: 3, eligibleCount: 2 }); // p1's first ended, its second holds
    expect(await ua(5.5)).toMatchObject({ activeCount: 1, eligibleCount: 2 }); // ended but not swept: not counted
    for (const hour of [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 7]) await pageMatchesScratch(at(hour));

    // The sweep marks them Expired (status changes: the maintained counts drop), the page still agrees.
    await expireDue(testCtx(h, testClock(at(5.5))));
    await maintainedMatchesStatus();
    expect(await ua(5.5)).toMatchObject({ activeCount: 1, eligibleCount: 2 });
    await pageMatchesScratch(at(5.5));

    // A role change, a revocation by status and a delete.
    await h.db.execute(sql`update role_assignment_schedules set role_definition_id = ${HELPDESK_ADMINISTRATOR}::uuid
                            where principal_id = ${p3}::uuid`);
    await h.db.execute(sql`update role_eligibility_schedules set status = 'Revoked' where principal_id = ${p2}::uuid`);
    await h.db.execute(sql`delete from role_eligibility_schedules where principal_id = ${p1}::uuid`);
    await maintainedMatchesStatus();
    await pageMatchesScratch(at(5.5));
    expect(await ua(5.5)).toMatchObject({ activeCount: 0, eligibleCount: 0 });
  });

  it("stay exact under concurrent writers on the same roles and principals, with the sweep running", async () => {
    const people = Array.from({ length: 6 }, () => randomUUID());
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)]!;
    const writers = Array.from({ length: 60 }, (_, i) => async () => {
      const kind = i % 5;
      const now = at(6 + (i % 3));
      await h.db.transaction(async (tx) => {
        if (usingPostgres) await tx.execute(sql`select pg_sleep(0.005)`); // hold the transaction open a moment
        if (kind <= 1) {
          // several schedules of the same principals in one statement (as a bulk grant would)
          const rows = Array.from({ length: 1 + rnd(3) }, () =>
            assignment(pick(people), pick(ROLES), now, rnd(2) ? at(7 + rnd(4)) : null),
          );
          await tx.insert(roleAssignmentSchedules).values(rows);
        } else if (kind === 2) {
          await tx.insert(roleEligibilitySchedules).values({
            principalId: pick(people),
            principalType: "User",
            roleDefinitionId: pick(ROLES),
            startDateTime: now,
            endDateTime: at(8 + rnd(3)),
          });
        } else if (kind === 3) {
          await tx.execute(sql`update role_assignment_schedules set status = 'Revoked', end_date_time = ${now.toISOString()}::timestamptz
            where id = (select id from role_assignment_schedules where principal_id = ${pick(people)}::uuid
                          and status in ('Provisioned','Granted') limit 1)`);
        } else {
          await tx.execute(sql`delete from role_eligibility_schedules
            where id = (select id from role_eligibility_schedules where principal_id = ${pick(people)}::uuid limit 1)`);
        }
        if (usingPostgres) await tx.execute(sql`select pg_sleep(0.005)`); // hold the transaction open a moment
      });
    });
    const sweeps = [at(8), at(9), at(10)].map((when) => () => expireDue(testCtx(h, testClock(when)), { batchSize: 3 }));
    const jobs = [...writers, ...sweeps];
    // interleave: every writer and sweep at once (PostgreSQL: up to 20 connections; PGlite runs them in turn)
    await Promise.all(jobs.map((job) => job()));
    await maintainedMatchesStatus();
    for (const hour of [6, 7.5, 8.5, 9, 10.5, 12]) await pageMatchesScratch(at(hour));
  });

  it("read in two statements whatever the number of roles and holders", async () => {
    const { statements } = await countStatements(() => listRolesWithCounts(testCtx(h, testClock(at(6))), reader));
    expect(statements).toHaveLength(2);
  });

  it("Overview's activations per day: maintained days before today, today's started ones counted live", async () => {
    const ga = { id: randomUUID(), type: "User" as const, displayName: "Reader of the directory" };
    await h.db.insert(roleAssignmentSchedules).values({
      ...assignment(ga.id, GLOBAL_ADMINISTRATOR, at(-1000), null),
      assignmentType: "Assigned",
    });
    const now = at(24 * 3 + 10); // 25 Nov, 19:00 UTC
    const p = randomUUID();
    const rows = await h.db
      .insert(roleAssignmentSchedules)
      .values([
        assignment(p, USER_ADMINISTRATOR, at(24 * 2), at(24 * 2 + 1)), // 24 Nov
        assignment(p, USER_ADMINISTRATOR, at(24 * 2 + 3), at(24 * 2 + 4)), // 24 Nov, canceled below
        assignment(p, HELPDESK_ADMINISTRATOR, at(24 * 3 + 1), at(24 * 3 + 2)), // today, started
        assignment(p, HELPDESK_ADMINISTRATOR, at(24 * 3 + 12), at(24 * 3 + 13)), // today, starts later
        assignment(p, HELPDESK_ADMINISTRATOR, at(-24 * 40), at(-24 * 40 + 1)), // 40 days ago: off the chart
      ])
      .returning({ id: roleAssignmentSchedules.id });
    await h.db.execute(sql`update role_assignment_schedules set status = 'Canceled' where id = ${rows[1]!.id}::uuid`);
    await h.db.execute(sql`delete from role_assignment_schedules where principal_id = ${p}::uuid
                            and start_date_time = ${at(-24 * 40).toISOString()}::timestamptz`);
    const kept = await h.db.execute(sql`
      select coalesce(k.day, t.day)::text as day, coalesce(k.activations, 0) as kept, coalesce(t.n, 0) as truth
        from activation_days k
        full join (select (start_date_time at time zone 'UTC')::date as day, count(*)::int as n
                     from role_assignment_schedules where assignment_type = 'Activated' and status <> 'Canceled'
                    group by 1) t on t.day = k.day
       where coalesce(k.activations, 0) <> coalesce(t.n, 0)`);
    expect(rowsOf(kept)).toEqual([]);

    const chart = (await getOverviewStats(testCtx(h, testClock(now)), ga)).directory!.activations;
    const iso = now.toISOString();
    const truth = rowsOf<{ day: string; n: number }>(
      await h.db.execute(sql`select to_char(start_date_time at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as n
        from role_assignment_schedules where assignment_type = 'Activated' and status <> 'Canceled'
         and start_date_time <= ${iso}::timestamptz and start_date_time >= ${at(24 * 3 - 9 - 29 * 24).toISOString()}::timestamptz
       group by 1`),
    );
    expect(chart).toHaveLength(30);
    expect(chart.filter((d) => d.count > 0)).toEqual(
      truth.sort((a, b) => a.day.localeCompare(b.day)).map((r) => ({ day: r.day, count: r.n })),
    );
    expect(chart.at(-1)).toEqual({ day: "2026-11-25", count: 1 });
  });
});

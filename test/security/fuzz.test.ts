/**
 * The fuzz suite of issue 12 ("Proof in CI"): generated hostile input against every server action (through
 * the real action code, with only the framework's edges mocked: test/security/actions.ts) and every Graph
 * route (the real route handlers in process: test/api/harness.ts). Properties, for every case:
 *   - no 5xx: Graph answers < 500; an action returns a result whose code is not "Internal" and never throws;
 *   - a refusal writes nothing: the row count of every table is unchanged (audit_events: only failure rows,
 *     which every refused use case records by design, may be added);
 *   - after all cases the audit chain still verifies.
 * FUZZ_RUNS (default 10,000) is the total number of generated cases; FUZZ_SEED replays a run.
 */
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadActions, signInAs, setActionCtx, type AnyAction } from "./actions";
import { ROUTES } from "@/lib/api/graph/routes";
import { verifyAuditChain } from "@/lib/pim/audit";
import { rowsOf } from "@/lib/pim/sql-rows";
import { USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { call, setupApi, teardown } from "@/test/api/harness";
import { PERSONAS, securityWorld, type Caller, type Persona } from "./world";

const TOTAL = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const GRAPH_SHARE = 0.4;

type Env = Awaited<ReturnType<typeof setupApi>>;
let env: Env;
let callers: Record<Persona, Caller>;
let actions: Record<string, AnyAction>;
let ids: string[] = [];
/** The counts after the previous case: the "before" of the next one (one snapshot per case). */
let last = "";
const outcomes = { graph: new Map<number, number>(), actions: new Map<string, number>() };
const tally = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);

/**
 * Rows added or removed anywhere, counted by a trigger on every table (audit failure rows left out: a refusal
 * records itself there by design). Transactional, so a write rolled back does not count. One cheap read per case.
 */
async function installWriteCounter(): Promise<void> {
  const tables = rowsOf<{ name: string }>(
    await env.db.execute(sql`select tablename as name from pg_tables where schemaname = current_schema() order by 1`),
  ).map((t) => t.name);
  await env.db.execute(sql`create table fuzz_writes (n bigint not null)`);
  await env.db.execute(sql`insert into fuzz_writes values (0)`);
  await env.db.execute(
    sql.raw(`create function fuzz_count() returns trigger language plpgsql as $$
      begin update fuzz_writes set n = n + 1; return null; end $$`),
  );
  for (const t of tables) {
    // The distinct activity names of audit rows, maintained with every audit row (failures too): part of the
    // refusal's own audit record, like the failure row itself.
    if (t === "audit_activity_names") continue;
    const q = `"${t.replace(/"/g, '""')}"`;
    if (t === "audit_events") {
      await env.db.execute(
        sql.raw(
          `create trigger fuzz_w after insert on ${q} for each row when (new.result = 'success') execute function fuzz_count()`,
        ),
      );
      await env.db.execute(
        sql.raw(`create trigger fuzz_d after delete on ${q} for each row execute function fuzz_count()`),
      );
    } else {
      await env.db.execute(
        sql.raw(`create trigger fuzz_w after insert or delete on ${q} for each row execute function fuzz_count()`),
      );
    }
  }
}
async function snapshot(): Promise<string> {
  const [row] = rowsOf<{ n: number | string }>(await env.db.execute(sql`select n from fuzz_writes`));
  return String(row?.n);
}

beforeAll(async () => {
  env = await setupApi();
  callers = await securityWorld(env.ctx, env.d);
  setActionCtx(env.ctx);
  actions = await loadActions();
  await installWriteCounter();
  ids = [
    ...Object.values(callers).flatMap((c) => (c.user ? [c.user.id] : [])),
    USER_ADMINISTRATOR,
    "00000000-0000-0000-0000-000000000000",
  ];
}, 300_000);
afterAll(async () => teardown(env.handle));

// ------------------------------------------------------------------ generators
const MB = "x".repeat(1024 * 1024);
const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  fc.constantFrom(
    "",
    " ",
    "a\u0000b",
    "\u0000",
    "x\uD800y",
    "\uDC00",
    "\uDE00\uD83D",
    "שלום עולם",
    "مرحبا \u200F بالعالم",
    "e\u0301\u0302\u0303\u0304",
    "\u202Egnp.exe",
    "'; drop table users; --",
    "%' OR '1'='1",
    '=HYPERLINK("http://evil")',
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "\r\nSet-Cookie: x=1",
    "P",
    "PT",
    "P-1D",
    "PT99999999999H",
    "P1Y2M3W4DT5H6M7S",
    "PT4H",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "+275760-09-13T00:00:00.000Z",
    "2026-02-30T25:61:61Z",
    "/administrativeUnits/00000000-0000-0000-0000-000000000000",
    "/",
    "true",
    "null",
  ),
  { weight: 1, arbitrary: fc.constant(MB) },
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 5, 30, 1440, 100000),
);
const idLike = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, fc.uuid(), hostileString);
const KEYS = [
  "justification",
  "ticketNumber",
  "ticketSystem",
  "roleDefinitionId",
  "principalId",
  "principalType",
  "directoryScopeId",
  "assignmentType",
  "scheduleId",
  "kind",
  "requestId",
  "requestIds",
  "eligibilityScheduleId",
  "decision",
  "durationMinutes",
  "duration",
  "startDateTime",
  "endDateTime",
  "permanent",
  "userId",
  "enabled",
  "displayName",
  "userPrincipalName",
  "mail",
  "jobTitle",
  "department",
  "password",
  "name",
  "description",
  "expiresInDays",
  "scopes",
  "tokenId",
  "secretId",
  "servicePrincipalId",
  "members",
  "ids",
  "action",
  "reviewResult",
  "scheduleInfo",
  "ticketInfo",
  "targetScheduleId",
  "@odata.type",
  "activationMaxMinutes",
  "approvalStages",
];
const leaf = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const value = () =>
  fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      idLike(),
      fc.array(tie("v"), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...KEYS), tie("v"), { maxKeys: 5 }),
    ),
  })).v;
/** Valid-looking inputs of the real actions, so mutations get past the schema and into the use cases. */
const BASE_OF: Record<string, number> = {
  activateRoleAction: 0,
  createApiTokenAction: 1,
  setUserEnabledAction: 2,
  resetUserMfaAction: 3,
  decideRequestsAction: 4,
  cancelRequestAction: 5,
  requestExtensionAction: 6,
  requestRenewalAction: 6,
  createServicePrincipalAction: 7,
  createClientSecretAction: 8,
  addAssignmentsAction: 9,
  createUserAction: 10,
};
const bases = (): Record<string, unknown>[] => {
  const someone = ids[0]!;
  return [
    { roleDefinitionId: USER_ADMINISTRATOR, directoryScopeId: "/", justification: "Need it", durationMinutes: 60 },
    { name: "fuzz token", expiresInDays: 30, scopes: ["User.Read"] },
    { userId: someone, enabled: false, justification: "Left the company" },
    { userId: someone, justification: "Lost phone" },
    { requestIds: [someone], decision: "Approve", justification: "ok" },
    { requestId: someone },
    { kind: "assignment", scheduleId: someone, justification: "extend", endDateTime: "2027-01-01T00:00:00Z" },
    { displayName: "Fuzz app", description: "d" },
    { servicePrincipalId: someone, displayName: "s", expiresInDays: 30, scopes: ["User.Read"] },
    {
      roleDefinitionId: USER_ADMINISTRATOR,
      members: [{ id: someone, type: "User", displayName: "x" }],
      directoryScopeId: "/",
      assignmentType: "Eligible",
      justification: "j",
      permanent: true,
    },
    { displayName: "Fuzz Person", userPrincipalName: "fuzz.person@contoso.test", password: "a long enough password" },
  ];
};
/** Objects shaped like the real inputs (known keys, hostile values), near-valid mutations, and anything at all. */
const input = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), value(), { maxKeys: 10 }) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...bases()), fc.constantFrom(...KEYS), value(), fc.boolean())
        .map(([b, k, v, drop]) => (drop ? { ...b } : { ...b, [k]: v })),
    },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
  );

const odataFilter = () =>
  fc
    .tuple(
      fc.constantFrom(
        "principalId",
        "roleDefinitionId",
        "status",
        "directoryScopeId",
        "createdDateTime",
        "id",
        "nope",
        "a/b",
      ),
      fc.constantFrom("eq", "ne", "gt", "in", "startswith", "and", "or", "(", ""),
      fc.oneof(
        fc.constantFrom(...ids).map((i) => `'${i}'`),
        hostileString.map((s) => `'${s.slice(0, 200).replace(/'/g, "''")}'`),
        fc.constantFrom("null", "true", "2026-01-01T00:00:00Z", "(1,2)", "'unterminated", "1e999", "-0"),
        hostileString.map((s) => s.slice(0, 200)),
      ),
    )
    .map(([f, op, v]) => `${f} ${op} ${v}`);
const query = () =>
  fc
    .dictionary(
      fc.constantFrom(
        "$filter",
        "$top",
        "$skiptoken",
        "$select",
        "$expand",
        "$count",
        "$orderby",
        "$search",
        "$foo",
        "x",
      ),
      fc.oneof(
        odataFilter(),
        hostileString.map((s) => s.slice(0, 500)),
        hostileNumber.map(String),
      ),
      { maxKeys: 3 },
    )
    .map((q) => {
      const u = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) u.set(k, v.toWellFormed());
      return u.toString();
    });
const rawBody = () =>
  fc.oneof(
    input().map((b) => {
      try {
        return JSON.stringify(b) ?? "null";
      } catch {
        return "{";
      }
    }),
    fc.constantFrom("{", "[", "null", "[]", '{"a":', "\u0000", '{"justification":"\\ud800"}', "1", '"str"', ""),
    fc.constant(`{"justification":"${MB}"}`),
  );
const PERSONA_ARB = fc.constantFrom(...PERSONAS);

// ------------------------------------------------------------------ properties
describe(`fuzz: ${TOTAL} generated cases`, () => {
  it("Graph: every route, hostile paths, OData, bodies and tokens: no 5xx, nothing written on a refusal", async () => {
    const routeArb = fc.constantFrom(...ROUTES);
    const segment = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...ids) },
      hostileString.map((s) => s.slice(0, 100)),
    );
    await fc.assert(
      fc.asyncProperty(
        routeArb,
        fc.array(segment, { minLength: 2, maxLength: 2 }),
        query(),
        rawBody(),
        PERSONA_ARB,
        async (route, segs, q, body, who) => {
          let i = 0;
          const path = route.path
            .replace(/\{(\w+)\}/g, () => encodeURIComponent((segs[i++ % 2] ?? "").toWellFormed()))
            .replace("filterByCurrentUser(on='{on}')", "filterByCurrentUser(on='principal')");
          const before = last || (await snapshot());
          const token = who === "anonymous" ? null : callers[who].token;
          const r = await call(route.method, `${path}${q ? `?${q}` : ""}`, {
            token,
            rawBody: route.method === "GET" ? undefined : body,
            headers: route.method === "GET" ? {} : { "content-type": "application/json" },
          });
          tally(outcomes.graph, r.status);
          expect(r.status, `${route.method} ${path}?${q}`).toBeLessThan(500);
          last = await snapshot();
          if (r.status >= 400) expect(last, `${route.method} ${path} wrote on ${r.status}`).toBe(before);
        },
      ),
      { numRuns: Math.round(TOTAL * GRAPH_SHARE), seed: SEED, endOnFailure: true },
    );
  }, 900_000);

  it("server actions: every action, hostile arguments, every kind of caller: no Internal error, nothing written on a refusal", async () => {
    const names = Object.keys(actions).sort();
    expect(names.length).toBeGreaterThanOrEqual(20);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names).chain((n) =>
          fc.tuple(
            fc.constant(n),
            BASE_OF[n] === undefined
              ? input()
              : fc.oneof(
                  input(),
                  fc
                    .tuple(fc.constantFrom(...KEYS), value(), fc.boolean())
                    .map(([k, v, keep]) => (keep ? { ...bases()[BASE_OF[n]!] } : { ...bases()[BASE_OF[n]!], [k]: v })),
                ),
          ),
        ),
        fc.oneof(input(), hostileString),
        PERSONA_ARB,
        async ([name, a], b, who) => {
          signInAs(callers[who].sid);
          const before = last || (await snapshot());
          let result: unknown;
          try {
            result = await actions[name]!(a, b);
          } catch (err) {
            throw new Error(`${name} threw (a 500 in the browser): ${String(err)}`);
          }
          const r = result as { ok?: boolean; code?: string } | unknown[];
          const refused = !Array.isArray(r) && r && typeof r === "object" && r.ok === false;
          const code = Array.isArray(r) ? "list" : refused ? (r as { code: string }).code : "ok";
          tally(outcomes.actions, code);
          expect(code, `${name}`).not.toBe("Internal");
          last = await snapshot();
          if (refused) expect(last, `${name} wrote on ${code}`).toBe(before);
        },
      ),
      { numRuns: TOTAL - Math.round(TOTAL * GRAPH_SHARE), seed: SEED, endOnFailure: true },
    );
  }, 900_000);

  it("the audit chain still verifies after every case", async () => {
    const v = await verifyAuditChain(env.db);
    expect(v.ok).toBe(true);
    console.info(
      `fuzz outcomes: graph ${JSON.stringify(Object.fromEntries(outcomes.graph))}; actions ${JSON.stringify(Object.fromEntries(outcomes.actions))}; audit rows checked ${v.checked}`,
    );
  });
});

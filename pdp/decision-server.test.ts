/**
 * The decision server and the portal's `GET /api/v1/access/check` handler answer every question the same
 * (status, allowed, grantedBy, until, error bodies), on the same database and clock, including auth failures
 * and an assignment that ends (or is removed) between two checks. The PDP runs on a free port over real HTTP.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { eq, is, sql } from "drizzle-orm";
import { PgPreparedQuery } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, roleAssignmentSchedules, servicePrincipalPermissions } from "@/db/schema";
import { handleAccessCheck } from "@/lib/api/access-check";
import {
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  HELPDESK_ADMINISTRATOR,
  USER_ADMINISTRATOR,
  USER_CREATE_PERMISSION,
} from "@/lib/pim/directory/builtin-roles";
import { hashSecret, hintOf, newSecret } from "@/lib/pim/use-cases/create-api-token";
import { countStatements, days, minutes } from "@/test/db";
import { setupApi, teardown, tokenFor } from "@/test/api/harness";
import { tokenLookupJoining } from "@/lib/api/auth";
import { embeddedAccessCheck } from "@/lib/pim/access/check-access";
import { onePerPlaceholder, prepareDirect } from "@/db/prepare-direct";
import { checkGroupAccess, embeddedGroupAccessCheck } from "@/lib/pim/access/check-group-access";
import { manageGroup } from "@/lib/pim/use-cases/manage-group";
import { createDecisionServer } from "./decision-server";

const RID = "0b6c4a1e-8f51-4c0e-9d7a-3c1f2e4d5a6b";
let w: Awaited<ReturnType<typeof setupApi>>;
let server: Server;
let base: string;
const T = new Date("2026-11-22T09:00:00Z");

async function appToken(spId: string, scopes: string[], extra: { revokedAt?: Date; expiresAt?: Date } = {}) {
  const token = newSecret("pat_");
  await w.db.insert(apiTokens).values({
    servicePrincipalId: spId,
    name: "pdp test",
    tokenHash: hashSecret(token),
    hint: hintOf(token),
    scopes,
    expiresAt: extra.expiresAt ?? new Date(T.getTime() + days(30)),
    revokedAt: extra.revokedAt ?? null,
  });
  return token;
}

type Answer = { status: number; body: unknown; cache: string | null };

async function both(query: string, token: string | null): Promise<{ portal: Answer; pdp: Answer }> {
  const headers: Record<string, string> = { "client-request-id": RID };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const path = `/api/v1/access/check${query}`;
  const p = await handleAccessCheck(new Request(`https://pim.test${path}`, { headers }));
  const d = await fetch(`${base}${path}`, { headers });
  return {
    portal: { status: p.status, body: await p.json(), cache: p.headers.get("cache-control") },
    pdp: { status: d.status, body: await d.json(), cache: d.headers.get("cache-control") },
  };
}

async function same(query: string, token: string | null, status: number) {
  const r = await both(query, token);
  expect(r.pdp).toEqual(r.portal);
  expect(r.pdp.status).toBe(status);
  return r.pdp.body as { allowed?: boolean; until?: string | null; grantedBy?: unknown[]; error?: { code: string } };
}

let tokens: Record<string, string>;
let ids: Record<string, string>;

beforeAll(async () => {
  w = await setupApi();
  w.ctx.clock.set(T);
  const past = new Date(T.getTime() - days(10));
  const [ga, sophia, emma, rita] = await w.d.users("Gloria Admin", "Sophia Davis", "Emma Smith", "Rita Reader");
  const helpdesk = await w.d.group("Helpdesk", [emma]);
  const au = await w.d.administrativeUnit("New York Office");
  await w.d.active(ga, GLOBAL_ADMINISTRATOR, { start: past });
  await w.d.active(rita, GLOBAL_READER, { start: past });
  await w.d.active(helpdesk, HELPDESK_ADMINISTRATOR, { start: past, scope: au.scopeId });
  const ending = await w.d.active(sophia, USER_ADMINISTRATOR, {
    start: past,
    end: new Date(T.getTime() + minutes(10)),
  });
  // An application's permissions are its grants (as in Graph), read at every call, not the token's copy.
  const app = await w.d.servicePrincipal("Gatekeeper app");
  const otherApp = await w.d.servicePrincipal("Directory reader app");
  await w.db.insert(servicePrincipalPermissions).values([
    { servicePrincipalId: app.id, permission: "RoleManagement.Read.Directory" },
    { servicePrincipalId: otherApp.id, permission: "User.Read.All" },
  ]);
  ids = { ga: ga.id, sophia: sophia.id, emma: emma.id, rita: rita.id, au: au.scopeId, ending: ending.id };
  tokens = {
    app: await appToken(app.id, ["RoleManagement.Read.Directory"]),
    appNoScope: await appToken(otherApp.id, ["User.Read.All"]),
    revoked: await appToken(app.id, ["RoleManagement.Read.Directory"], { revokedAt: past }),
    expired: await appToken(app.id, ["RoleManagement.Read.Directory"], { expiresAt: new Date(T.getTime() - 1000) }),
    sophia: await tokenFor(w.ctx, sophia, ["RoleManagement.Read.Directory"]),
    rita: await tokenFor(w.ctx, rita, ["RoleManagement.Read.Directory"]),
  };
  server = createDecisionServer({ db: w.db, now: w.ctx.now, rateLimitPerMinute: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await teardown(w.handle);
});

describe("decision server = portal access check", () => {
  it("gives the same grants: direct, through a group at an administrative unit, by permission", async () => {
    const a = await same(`?principalId=${ids.ga}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`, tokens.app!, 200);
    expect(a.allowed).toBe(true);
    const g = await same(
      `?principalId=${ids.emma}&roleDefinitionId=${HELPDESK_ADMINISTRATOR}&directoryScopeId=${encodeURIComponent(ids.au!)}`,
      tokens.app!,
      200,
    );
    expect(g).toMatchObject({ allowed: true, grantedBy: [{ memberType: "Group" }] });
    const p = await same(`?principalId=${ids.sophia}&permission=${USER_CREATE_PERMISSION}`, tokens.app!, 200);
    expect(p.allowed).toBe(true);
    const read = await same(
      `?principalId=${ids.rita}&permission=microsoft.directory/users/standard/read&directoryScopeId=${encodeURIComponent(ids.au!)}`,
      tokens.app!,
      200,
    );
    expect(read.allowed).toBe(true);
    const no = await same(`?principalId=${ids.emma}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`, tokens.app!, 200);
    expect(no).toEqual({ allowed: false, grantedBy: [], until: null });
  });

  it("answers a role question in ONE statement (the token lookup carries the answer), the PDP and the portal alike", async () => {
    const ask = (q: string) =>
      fetch(`${base}/api/v1/access/check${q}`, { headers: { authorization: `Bearer ${tokens.app!}` } }).then((r) =>
        r.json(),
      );
    const role = `?principalId=${ids.emma}&roleDefinitionId=${HELPDESK_ADMINISTRATOR}&directoryScopeId=${encodeURIComponent(ids.au!)}`;
    await ask(role); // the token's last use is recorded at most every few minutes: not on the counted call
    const one = await countStatements(() => ask(role));
    expect(one.result).toMatchObject({ allowed: true, grantedBy: [{ memberType: "Group" }] });
    expect(one.statements).toHaveLength(1);
    const perm = await countStatements(() => ask(`?principalId=${ids.sophia}&permission=${USER_CREATE_PERMISSION}`));
    expect(perm.result).toMatchObject({ allowed: true });
    expect(perm.statements).toHaveLength(1);
    // the portal's endpoint takes the same one-statement path
    const portal = await countStatements(async () =>
      (
        await handleAccessCheck(
          new Request(`https://pim.test/api/v1/access/check${role}`, {
            headers: { authorization: `Bearer ${tokens.app!}` },
          }),
        )
      ).json(),
    );
    expect(portal.result).toMatchObject({ allowed: true, grantedBy: [{ memberType: "Group" }] });
    expect(portal.statements).toHaveLength(1);
  });

  it("runs the statement straight on postgres.js on PostgreSQL (Drizzle's prepared query elsewhere), same rows", async () => {
    const check = embeddedAccessCheck(w.db, {
      principalId: ids.emma!,
      roleDefinitionId: HELPDESK_ADMINISTRATOR,
      directoryScopeId: ids.au!,
      at: T,
    });
    const { subquery, fields } = check.lateral();
    const query = () => tokenLookupJoining(w.db, subquery, fields);
    const stmt = prepareDirect<Record<string, unknown>>(w.db, query(), "pdp_test_direct");
    expect(is(stmt, PgPreparedQuery)).toBe(w.handle.driver !== "postgres");
    const values = { hash: hashSecret(tokens.app!), ...check.values };
    const rows = await stmt.execute(values);
    const viaDrizzle = await query().prepare("pdp_test_drizzle").execute(values);
    expect(rows).toEqual(viaDrizzle);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.expiresAt).toBeInstanceOf(Date);
    expect(check.result(rows as never)).toMatchObject({ allowed: true, grantedBy: [{ memberType: "Group" }] });
    // no grant: one row, the token's, with the grant's columns null
    const none = embeddedAccessCheck(w.db, { principalId: ids.emma!, roleDefinitionId: GLOBAL_ADMINISTRATOR, at: T });
    const noneRows = await prepareDirect<Record<string, unknown>>(
      w.db,
      tokenLookupJoining(w.db, none.lateral().subquery, none.lateral().fields),
      "pdp_test_none",
    ).execute({ hash: hashSecret(tokens.app!), ...none.values });
    expect(noneRows).toHaveLength(1);
    expect(noneRows[0]).toMatchObject({ scopes: ["RoleManagement.Read.Directory"], scheduleId: null });
  });

  it("gives several grants in the portal's order (end ascending, open ends last, then id)", async () => {
    const [liam] = await w.d.users("Liam Order");
    const team = await w.d.group("Order team", [liam!]);
    const past = new Date(T.getTime() - days(1));
    await w.d.active(liam!, USER_ADMINISTRATOR, { start: past }); // open end
    await w.d.active(liam!, USER_ADMINISTRATOR, { start: past, end: new Date(T.getTime() + days(2)), scope: ids.au });
    await w.d.active(team, USER_ADMINISTRATOR, { start: past, end: new Date(T.getTime() + days(1)) });
    await w.d.active(team, USER_ADMINISTRATOR, { start: past, scope: ids.au }); // open end, through the group
    const r = await same(
      `?principalId=${liam!.id}&roleDefinitionId=${USER_ADMINISTRATOR}&directoryScopeId=${encodeURIComponent(ids.au!)}`,
      tokens.app!,
      200,
    );
    const grants = r.grantedBy as { scheduleId: string; memberType: string; endDateTime: string | null }[];
    expect(grants.slice(0, 2).map((g) => [g.memberType, g.endDateTime])).toEqual([
      ["Group", "2026-11-23T09:00:00Z"],
      ["Direct", "2026-11-24T09:00:00Z"],
    ]);
    const open = grants.slice(2);
    expect(open.map((g) => g.endDateTime)).toEqual([null, null]);
    expect(open.map((g) => g.scheduleId)).toEqual(open.map((g) => g.scheduleId).sort());
    expect(r.until).toBe("2026-11-23T09:00:00Z");
  });

  it("answers group questions the same, in ONE statement: standing members and owners, PIM windows, eligible-only, disabled, refusals", async () => {
    const past = new Date(T.getTime() - days(1));
    const [boss, standing, timed, later, eligibleOnly, disabledMember, owner, outsider] = await w.d.users(
      "Group Boss",
      "Standing Member",
      "Timed Member",
      "Later Member",
      "Eligible Only",
      "Disabled Member",
      "Directory Owner",
      "Outsider",
    );
    await w.d.active(boss!, GLOBAL_ADMINISTRATOR, { start: past });
    const g = await w.d.group("Release approvers", [standing!, disabledMember!], { owners: [owner!] });
    const managed = await manageGroup(w.ctx, boss!.actor(), { groupId: g.id, justification: "PIM for releases" });
    const member = managed.memberDefinitionId;
    const soon = new Date(T.getTime() + minutes(30));
    const a1 = await w.d.active(timed!, member, { start: past, end: soon, assignmentType: "Activated" });
    const a2 = await w.d.active(timed!, member, { start: past, end: new Date(T.getTime() + days(3)) });
    await w.d.active(later!, member, { start: new Date(T.getTime() + minutes(5)), end: soon });
    await w.d.eligible(eligibleOnly!, member, { start: past });
    await w.d.active(disabledMember!, member, { start: past });
    await w.db.execute(sql`update users set account_enabled = false where id = ${disabledMember!.id}::uuid`);
    const ask = (who: { id: string }, accessId: string, groupId = g.id) =>
      `?principalId=${who.id}&groupId=${groupId}&accessId=${accessId}`;

    const t = await same(ask(timed!, "member"), tokens.app!, 200);
    expect(t).toEqual({
      allowed: true,
      grantedBy: [
        {
          scheduleId: a1.id,
          groupId: g.id,
          accessId: "member",
          assignmentType: "Activated",
          endDateTime: "2026-11-22T09:30:00Z",
        },
        {
          scheduleId: a2.id,
          groupId: g.id,
          accessId: "member",
          assignmentType: "Assigned",
          endDateTime: "2026-11-25T09:00:00Z",
        },
      ],
      until: "2026-11-22T09:30:00Z",
    });
    expect(await same(ask(standing!, "member"), tokens.app!, 200)).toEqual({
      allowed: true,
      grantedBy: [{ scheduleId: null, groupId: g.id, accessId: "member", assignmentType: null, endDateTime: null }],
      until: null,
    });
    expect((await same(ask(owner!, "owner"), tokens.app!, 200)).allowed).toBe(true);
    const none = { allowed: false, grantedBy: [], until: null };
    expect(await same(ask(owner!, "member"), tokens.app!, 200)).toEqual(none);
    expect(await same(ask(later!, "member"), tokens.app!, 200)).toEqual(none); // not yet started
    expect(await same(ask(eligibleOnly!, "member"), tokens.app!, 200)).toEqual(none);
    expect(await same(ask(disabledMember!, "member"), tokens.app!, 200)).toEqual(none);
    expect(await same(ask(outsider!, "member"), tokens.app!, 200)).toEqual(none);
    expect(await same(ask(standing!, "member", outsider!.id), tokens.app!, 200)).toEqual(none); // not a group
    // the answers are checkGroupAccess's (the general path's statement)
    const general = await checkGroupAccess(w.db, { principalId: timed!.id, groupId: g.id, accessId: "member", at: T });
    expect(t.grantedBy).toHaveLength(general.grantedBy.length);
    // refusals: bad questions, a token without the permission, a personal token asking about someone else
    await same(`?principalId=${standing!.id}&groupId=${g.id}&accessId=admin`, tokens.app!, 400);
    await same(`?principalId=${standing!.id}&groupId=${g.id}`, tokens.app!, 400);
    await same(`${ask(standing!, "member")}&roleDefinitionId=${USER_ADMINISTRATOR}`, tokens.app!, 400);
    await same(ask(standing!, "member"), tokens.appNoScope!, 403);
    await same(ask(standing!, "member"), tokens.revoked!, 401);
    await same(ask(standing!, "member"), tokens.sophia!, 403);
    expect((await same(ask(standing!, "member"), tokens.rita!, 200)).allowed).toBe(true);

    // one statement, the decision server and the portal alike
    const q = ask(timed!, "member");
    const pdp = (query: string) =>
      fetch(`${base}/api/v1/access/check${query}`, { headers: { authorization: `Bearer ${tokens.app!}` } }).then((r) =>
        r.json(),
      );
    const one = await countStatements(() => pdp(q));
    expect(one.result).toEqual(t);
    expect(one.statements).toHaveLength(1);
    const portal = await countStatements(async () =>
      (
        await handleAccessCheck(
          new Request(`https://pim.test/api/v1/access/check${q}`, {
            headers: { authorization: `Bearer ${tokens.app!}` },
          }),
        )
      ).json(),
    );
    expect(portal.result).toEqual(t);
    expect(portal.statements).toHaveLength(1);

    // the lateral statement gives the token's row with the grant's columns null when nothing grants
    const check = embeddedGroupAccessCheck(w.db, {
      principalId: outsider!.id,
      groupId: g.id,
      accessId: "member",
      at: T,
    });
    const { subquery, fields } = check.lateral();
    const rows = await prepareDirect<Record<string, unknown>>(
      w.db,
      tokenLookupJoining(w.db, subquery, fields),
      "pdp_test_group_none",
    ).execute({ hash: hashSecret(tokens.app!), ...check.values });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ scopes: ["RoleManagement.Read.Directory"], grantSource: null });
    expect(check.result(rows as never)).toEqual({ allowed: false, grantedBy: [], until: null });
  });

  it("binds each placeholder once (Drizzle numbers every use anew)", () => {
    const p = (n: string) => sql.placeholder(n);
    const params = [
      p("principalId"),
      p("principalId"),
      p("at"),
      "/",
      p("ask"),
      p("principalId"),
      "Canceled",
      p("at"),
      true,
      p("principalId"),
      p("principalId"),
      p("hash"),
    ];
    const text = params.map((_, i) => `c${i + 1} = $${i + 1}`).join(" and ");
    const r = onePerPlaceholder(text, params);
    expect(r.text).toBe(
      "c1 = $1 and c2 = $1 and c3 = $2 and c4 = $3 and c5 = $4 and c6 = $1 and c7 = $5 and c8 = $2 and c9 = $6 and c10 = $1 and c11 = $1 and c12 = $7",
    );
    expect(r.params).toEqual([p("principalId"), p("at"), "/", p("ask"), "Canceled", true, p("hash")]);
    expect(() => onePerPlaceholder("a = $2", [p("x")])).toThrow(/no value/);
  });

  it("refuses the same way: no token, unknown, revoked, expired, missing permission, bad questions", async () => {
    const q = `?principalId=${ids.ga}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`;
    expect((await same(q, null, 401)).error?.code).toBeTruthy();
    await same(q, "pat_not-a-token-that-exists-0000000", 401);
    await same(q, tokens.revoked!, 401);
    await same(q, tokens.expired!, 401);
    await same(q, tokens.appNoScope!, 403);
    await same(`?principalId=not-a-uuid&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`, tokens.app!, 400);
    await same(`?principalId=${ids.ga}`, tokens.app!, 400);
    await same(`${q}&permission=${USER_CREATE_PERMISSION}`, tokens.app!, 400);
    await same(`${q}&top=1`, tokens.app!, 400);
  });

  it("applies the personal-token rule the same way (own access; anyone's only for readers)", async () => {
    expect(
      (await same(`?principalId=${ids.sophia}&roleDefinitionId=${USER_ADMINISTRATOR}`, tokens.sophia!, 200)).allowed,
    ).toBe(true);
    await same(`?principalId=${ids.ga}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`, tokens.sophia!, 403);
    expect(
      (await same(`?principalId=${ids.ga}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`, tokens.rita!, 200)).allowed,
    ).toBe(true);
  });

  it("decides at the moment of the check: an assignment that ends between two checks, then one removed", async () => {
    const q = `?principalId=${ids.sophia}&roleDefinitionId=${USER_ADMINISTRATOR}`;
    w.ctx.clock.set(new Date(T.getTime() + minutes(10) - 1000));
    const before = await same(q, tokens.app!, 200);
    expect(before).toMatchObject({ allowed: true, until: "2026-11-22T09:10:00Z" });
    w.ctx.clock.set(new Date(T.getTime() + minutes(10)));
    expect(await same(q, tokens.app!, 200)).toEqual({ allowed: false, grantedBy: [], until: null });

    // a removal (end set to the moment, as the use case does) counts from the next check
    w.ctx.clock.set(T);
    const qa = `?principalId=${ids.ga}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`;
    expect((await same(qa, tokens.app!, 200)).allowed).toBe(true);
    await w.db
      .update(roleAssignmentSchedules)
      .set({ endDateTime: T, status: "Revoked" })
      .where(eq(roleAssignmentSchedules.principalId, ids.ga!));
    expect((await same(qa, tokens.app!, 200)).allowed).toBe(false);
  });

  it("answers only the access check (404 elsewhere, 405 for other methods)", async () => {
    expect((await fetch(`${base}/graph/v1.0/users`)).status).toBe(404);
    const post = await fetch(`${base}/api/v1/access/check?principalId=${ids.ga}`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe("MethodNotAllowed");
  });
});

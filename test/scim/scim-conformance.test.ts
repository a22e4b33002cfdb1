/**
 * SCIM 2.0 conformance: the request sequences Microsoft Entra ID's and Okta's provisioning clients send
 * (create user, find by userName filter, PATCH replace active, add/remove group members, delete), paging,
 * filters, discovery, and bad input — each refusal a SCIM error body, never a 5xx, nothing half-written.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authSessions, groupMembers, roleAssignmentSchedules, users } from "@/db/schema";
import { setApiCtxProvider } from "@/lib/api/handler";
import { checkAccess } from "@/lib/pim/access/check-access";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR, HELPDESK_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { activateRole } from "@/lib/pim/use-cases/activate-role";
import { revokeScimToken } from "@/lib/pim/use-cases/revoke-scim-token";
import { createScimToken } from "@/lib/pim/use-cases/create-scim-token";
import { countStatements, hours } from "@/test/db";
import { actorFor } from "@/test/fixtures/directory";
import { auditRows } from "@/test/fixtures/pim";
import { CORE_GROUP, CORE_USER, ENTERPRISE, PATCH_OP, scim, scimError, scimState, setupScim } from "./harness";

let w: Awaited<ReturnType<typeof setupScim>>;
beforeAll(async () => {
  w = await setupScim();
});
afterAll(async () => {
  setApiCtxProvider(null);
  await w.handle.drop();
});

const q = (filter: string, extra = "") => `?filter=${encodeURIComponent(filter)}${extra}`;
const patch = (Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const dbUser = async (id: string) => (await w.db.select().from(users).where(eq(users.id, id)))[0]!;
const memberIds = async (groupId: string) =>
  (await w.db.select({ u: groupMembers.userId }).from(groupMembers).where(eq(groupMembers.groupId, groupId)))
    .map((r) => r.u)
    .sort();

/** Microsoft Entra ID's create-user body (its documented request, with its attribute mappings). */
const entraUser = (userName: string, externalId: string) => ({
  schemas: [CORE_USER, ENTERPRISE],
  externalId,
  userName,
  active: true,
  addresses: [{ primary: true, type: "work", country: "DE", postalCode: "10115", streetAddress: "Main 1" }],
  displayName: "Test User Entra",
  emails: [{ primary: true, type: "work", value: userName }],
  meta: { resourceType: "User" },
  name: { formatted: "Test User Entra", familyName: "Entra", givenName: "Test" },
  phoneNumbers: [{ type: "work", value: "+49 30 1234" }],
  roles: [],
  title: "Engineer",
  [ENTERPRISE]: { department: "Research", employeeNumber: "42" },
});

describe("Microsoft Entra ID: users", () => {
  let id = "";
  const userName = "Test_User_ab6490ee@contoso.test";

  it("finds nobody, creates the user (201, Location, enterprise extension), then finds them by userName", async () => {
    const none = await scim("GET", `/Users${q(`userName eq "${userName}"`)}`, { token: w.token });
    expect(none.status).toBe(200);
    expect(none.json).toMatchObject({ totalResults: 0, Resources: [], startIndex: 1 });

    const created = await scim("POST", "/Users", { token: w.token, body: entraUser(userName, "0a21f0f2-8d2a-4f8e") });
    expect(created.status).toBe(201);
    id = created.json.id as string;
    expect(created.headers.get("location")).toBe(`https://pim.test/scim/v2/Users/${id}`);
    expect(created.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(created.json).toMatchObject({
      userName,
      externalId: "0a21f0f2-8d2a-4f8e",
      active: true,
      displayName: "Test User Entra",
      title: "Engineer",
      name: { givenName: "Test", familyName: "Entra" },
      emails: [{ value: userName, primary: true }],
      [ENTERPRISE]: { department: "Research" },
      meta: { resourceType: "User" },
    });
    const row = await dbUser(id);
    expect(row).toMatchObject({ passwordHash: null, accountEnabled: true, department: "Research", mail: userName });

    // userName is caseExact false: Entra's match finds them whatever the case
    const found = await scim("GET", `/Users${q(`userName eq "${userName.toUpperCase()}"`)}`, { token: w.token });
    expect(found.json).toMatchObject({ totalResults: 1, itemsPerPage: 1 });
    expect((found.json.Resources as { id: string }[])[0]!.id).toBe(id);
    const byExternal = await scim("GET", `/Users${q('externalId eq "0a21f0f2-8d2a-4f8e"')}`, { token: w.token });
    expect(byExternal.json.totalResults).toBe(1);

    const got = await scim("GET", `/Users/${id}`, { token: w.token });
    expect(got.status).toBe(200);
    expect(got.json.id).toBe(id);
  });

  it("PATCH replaces attributes by path (emails filter, name.familyName, enterprise department) and adds the manager as a bare id", async () => {
    const manager = await w.d.user("Maya Manager");
    const r = await scim("PATCH", `/Users/${id}`, {
      token: w.token,
      body: patch([
        { op: "Replace", path: 'emails[type eq "work"].value', value: "test.entra@contoso.test" },
        { op: "Replace", path: "name.familyName", value: "Entraweg" },
        { op: "Replace", path: `${ENTERPRISE}:department`, value: "Platform" },
        { op: "Add", path: `${ENTERPRISE}:manager`, value: manager.id },
        { op: "Replace", path: 'phoneNumbers[type eq "work"].value', value: "+49 30 9999" },
      ]),
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      emails: [{ value: "test.entra@contoso.test" }],
      name: { familyName: "Entraweg" },
      [ENTERPRISE]: { department: "Platform", manager: { value: manager.id, displayName: "Maya Manager" } },
    });
    // path-less replace with URN-qualified keys (Entra's other shape)
    const r2 = await scim("PATCH", `/Users/${id}`, {
      token: w.token,
      body: patch([{ op: "Replace", value: { displayName: "Test U. Entra", [`${ENTERPRISE}:department`]: "Ops" } }]),
    });
    expect(r2.json).toMatchObject({ displayName: "Test U. Entra", [ENTERPRISE]: { department: "Ops" } });
    const removeManager = await scim("PATCH", `/Users/${id}`, {
      token: w.token,
      body: patch([{ op: "Remove", path: `${ENTERPRISE}:manager` }]),
    });
    expect(removeManager.status).toBe(200);
    expect((await dbUser(id)).managerId).toBeNull();
    const updates = (await auditRows(w.ctx, "scim.user.update")).filter((a) => a.target_id === id);
    expect(updates).toHaveLength(3);
    expect(updates.every((a) => a.actor_id === w.app.servicePrincipalId)).toBe(true);
  });

  it('PATCH replace active "False" (a string, as Entra sends it) deprovisions: session, activation and access end at once', async () => {
    // the provisioned person signs in and activates a role
    const person = { id, type: "User" as const, displayName: "Test U. Entra" };
    const now = w.ctx.now();
    const elig = await w.d.eligible(person, USER_ADMINISTRATOR, { start: new Date(now.getTime() - hours(1)) });
    await w.db
      .insert(authSessions)
      .values({ userId: id, createdAt: now, expiresAt: new Date(now.getTime() + hours(8)) });
    await activateRole(w.ctx, actorFor(person, { mfaAt: now }), {
      roleDefinitionId: USER_ADMINISTRATOR,
      eligibilityScheduleId: elig.id,
      durationMinutes: 120,
      justification: "Provisioned and working",
    });
    expect((await checkAccess(w.db, { principalId: id, roleDefinitionId: USER_ADMINISTRATOR, at: now })).allowed).toBe(
      true,
    );

    const r = await scim("PATCH", `/Users/${id}`, {
      token: w.token,
      body: patch([{ op: "Replace", path: "active", value: "False" }]),
    });
    expect(r.status).toBe(200);
    expect(r.json.active).toBe(false);
    expect((await checkAccess(w.db, { principalId: id, roleDefinitionId: USER_ADMINISTRATOR, at: now })).allowed).toBe(
      false,
    );
    const sessions = await w.db.select().from(authSessions).where(eq(authSessions.userId, id));
    expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);
    const live = await w.db
      .select()
      .from(roleAssignmentSchedules)
      .where(and(eq(roleAssignmentSchedules.principalId, id), eq(roleAssignmentSchedules.status, "Provisioned")));
    expect(live).toHaveLength(0);
    const [summary] = (await auditRows(w.ctx, "scim.user.disable")).filter((a) => a.target_id === id);
    expect(summary).toMatchObject({ actor_id: w.app.servicePrincipalId, activity: "Disable user" });
    expect(summary!.details).toMatchObject({ sessionsEnded: 1, activationsEnded: 1 });
    expect((await auditRows(w.ctx, "schedule.userDisabled")).some((a) => a.target_id === id)).toBe(true);

    const back = await scim("PATCH", `/Users/${id}`, {
      token: w.token,
      body: patch([{ op: "Replace", path: "active", value: "True" }]),
    });
    expect(back.json.active).toBe(true);
  });

  it("DELETE deprovisions (204), then the user is gone for SCIM (404) but kept, disabled, for the audit trail", async () => {
    const del = await scim("DELETE", `/Users/${id}`, { token: w.token });
    expect(del.status).toBe(204);
    expect(scimError(await scim("GET", `/Users/${id}`, { token: w.token }), 404)).toBeUndefined();
    const found = await scim("GET", `/Users${q(`userName eq "${userName}"`)}`, { token: w.token });
    expect(found.json.totalResults).toBe(0);
    expect(await dbUser(id)).toMatchObject({ accountEnabled: false });
    expect((await dbUser(id)).deprovisionedAt).not.toBeNull();
    scimError(await scim("DELETE", `/Users/${id}`, { token: w.token }), 404);
    // the userName stays taken (history): a new create is a uniqueness conflict, not a duplicate person
    expect(scimError(await scim("POST", "/Users", { token: w.token, body: entraUser(userName, "other") }), 409)).toBe(
      "uniqueness",
    );
  });
});

describe("Microsoft Entra ID: groups", () => {
  it("creates a group, finds it by displayName without members, adds and removes members in batches; access follows at once", async () => {
    const [u1, u2, u3] = await w.d.users("Gina Group", "Hugo Group", "Ivy Group");
    const created = await scim("POST", "/Groups", {
      token: w.token,
      body: {
        schemas: [CORE_GROUP],
        externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        displayName: "Helpdesk",
        members: [],
        meta: { resourceType: "Group" },
      },
    });
    expect(created.status).toBe(201);
    const gid = created.json.id as string;
    expect(created.json).toMatchObject({ displayName: "Helpdesk", members: [] });
    // the group holds Helpdesk Administrator (an admin's assignment): membership decides access
    await w.d.active({ id: gid, type: "Group", displayName: "Helpdesk" }, HELPDESK_ADMINISTRATOR, {
      start: new Date(w.ctx.now().getTime() - hours(1)),
    });

    const found = await scim("GET", `/Groups${q('displayName eq "Helpdesk"', "&excludedAttributes=members")}`, {
      token: w.token,
    });
    expect(found.json.totalResults).toBe(1);
    expect((found.json.Resources as Record<string, unknown>[])[0]).not.toHaveProperty("members");

    const add = await scim("PATCH", `/Groups/${gid}`, {
      token: w.token,
      body: patch([{ op: "Add", path: "members", value: [{ value: u1.id }, { value: u2.id }, { value: u3.id }] }]),
    });
    expect(add.status).toBe(204);
    expect(await memberIds(gid)).toEqual([u1.id, u2.id, u3.id].sort());
    const at = w.ctx.now();
    expect(
      (await checkAccess(w.db, { principalId: u1.id, roleDefinitionId: HELPDESK_ADMINISTRATOR, at })).allowed,
    ).toBe(true);

    const isMember = await scim(
      "GET",
      `/Groups${q(`id eq "${gid}" and members[value eq "${u1.id}"]`, "&excludedAttributes=members")}`,
      {
        token: w.token,
      },
    );
    expect(isMember.json.totalResults).toBe(1);

    const remove = await scim("PATCH", `/Groups/${gid}`, {
      token: w.token,
      body: patch([{ op: "Remove", path: "members", value: [{ value: u1.id }, { value: u2.id }] }]),
    });
    expect(remove.status).toBe(204);
    expect(await memberIds(gid)).toEqual([u3.id]);
    expect(
      (await checkAccess(w.db, { principalId: u1.id, roleDefinitionId: HELPDESK_ADMINISTRATOR, at })).allowed,
    ).toBe(false);
    const notMember = await scim("GET", `/Groups${q(`id eq "${gid}" and members[value eq "${u1.id}"]`)}`, {
      token: w.token,
    });
    expect(notMember.json.totalResults).toBe(0);

    const rename = await scim("PATCH", `/Groups/${gid}`, {
      token: w.token,
      body: patch([{ op: "Replace", path: "displayName", value: "Helpdesk EMEA" }]),
    });
    expect(rename.status).toBe(204);
    const got = await scim("GET", `/Groups/${gid}`, { token: w.token });
    expect(got.json).toMatchObject({ displayName: "Helpdesk EMEA", members: [{ value: u3.id, display: "Ivy Group" }] });

    const audits = await auditRows(w.ctx);
    const adds = audits.filter((a) => a.operation === "scim.group.addMember" && a.details.groupId === gid);
    const removes = audits.filter((a) => a.operation === "scim.group.removeMember" && a.details.groupId === gid);
    expect(adds.map((a) => a.target_id).sort()).toEqual([u1.id, u2.id, u3.id].sort());
    expect(removes.map((a) => a.target_id).sort()).toEqual([u1.id, u2.id].sort());
    expect([...adds, ...removes].every((a) => a.actor_id === w.app.servicePrincipalId)).toBe(true);

    // deleting a group with role history empties and detaches it (404 for SCIM), keeps it for the audit trail
    expect((await scim("DELETE", `/Groups/${gid}`, { token: w.token })).status).toBe(204);
    scimError(await scim("GET", `/Groups/${gid}`, { token: w.token }), 404);
    expect(await memberIds(gid)).toEqual([]);
    expect(
      (await checkAccess(w.db, { principalId: u3.id, roleDefinitionId: HELPDESK_ADMINISTRATOR, at })).allowed,
    ).toBe(false);
  });
});

describe("Okta", () => {
  it("user: find, create (with password and locale, ignored), deactivate and reactivate by path-less replace, PUT the profile", async () => {
    const userName = "isaac.brock@example.com";
    const none = await scim("GET", `/Users${q(`userName eq "${userName}"`, "&startIndex=1&count=100")}`, {
      token: w.token,
    });
    expect(none.json).toMatchObject({ totalResults: 0, startIndex: 1, itemsPerPage: 0 });
    const body = {
      schemas: [CORE_USER],
      userName,
      name: { givenName: "Isaac", familyName: "Brock" },
      emails: [{ primary: true, value: userName, type: "work" }],
      displayName: "Isaac Brock",
      locale: "en-US",
      externalId: "00ujl29u0le5T6Aj10h7",
      groups: [],
      password: "1mz050nq",
      active: true,
    };
    const created = await scim("POST", "/Users", { token: w.token, body });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    const off = await scim("PATCH", `/Users/${id}`, {
      token: w.token,
      body: patch([{ op: "replace", value: { active: false } }]),
    });
    expect(off.json.active).toBe(false);
    expect((await dbUser(id)).accountEnabled).toBe(false);
    const on = await scim("PATCH", `/Users/${id}`, {
      token: w.token,
      body: patch([{ op: "replace", value: { active: true } }]),
    });
    expect(on.json.active).toBe(true);
    const put = await scim("PUT", `/Users/${id}`, {
      token: w.token,
      body: { ...body, id, name: { givenName: "Isaac", familyName: "Brock-Smith" }, displayName: "Isaac Brock-Smith" },
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({
      displayName: "Isaac Brock-Smith",
      name: { familyName: "Brock-Smith" },
      active: true,
    });
    expect((await dbUser(id)).passwordHash).toBeNull();
  });

  it("groups: create, add members, rename with a path-less replace carrying id, remove one by members[value eq], delete", async () => {
    const [a, b] = await w.d.users("Okta One", "Okta Two");
    const created = await scim("POST", "/Groups", {
      token: w.token,
      body: { schemas: [CORE_GROUP], displayName: "Okta Engineers", members: [] },
    });
    const gid = created.json.id as string;
    const add = await scim("PATCH", `/Groups/${gid}`, {
      token: w.token,
      body: patch([
        {
          op: "add",
          path: "members",
          value: [
            { value: a.id, display: "Okta One" },
            { value: b.id, display: "Okta Two" },
          ],
        },
      ]),
    });
    expect(add.status).toBe(204);
    const rename = await scim("PATCH", `/Groups/${gid}`, {
      token: w.token,
      body: patch([{ op: "replace", value: { id: gid, displayName: "Okta Engineering" } }]),
    });
    expect(rename.status).toBe(204);
    const rm = await scim("PATCH", `/Groups/${gid}`, {
      token: w.token,
      body: patch([{ op: "remove", path: `members[value eq "${a.id}"]` }]),
    });
    expect(rm.status).toBe(204);
    // a filter naming no user id at all is a 400 (it was a 500 found by the fuzz test), and removes nobody
    const bad = await scim("PATCH", `/Groups/${gid}`, {
      token: w.token,
      body: patch([{ op: "remove", path: `members[value eq "x"]` }]),
    });
    expect(scimError(bad, 400)).toBe("invalidValue");
    expect((bad.json as { detail: string }).detail).toContain("x is not a user id");
    const got = await scim("GET", `/Groups/${gid}`, { token: w.token });
    expect(got.json).toMatchObject({ displayName: "Okta Engineering", members: [{ value: b.id }] });
    const put = await scim("PUT", `/Groups/${gid}`, {
      token: w.token,
      body: { schemas: [CORE_GROUP], id: gid, displayName: "Okta Engineering", members: [{ value: a.id }] },
    });
    expect(put.json).toMatchObject({ members: [{ value: a.id }] });
    expect(await memberIds(gid)).toEqual([a.id]);
    expect((await scim("DELETE", `/Groups/${gid}`, { token: w.token })).status).toBe(204);
    scimError(await scim("GET", `/Groups/${gid}`, { token: w.token }), 404);
  });
});

describe("lists: paging and filters", () => {
  it("startIndex and count page in creation order; count=0 answers the total only; and/or/co/sw filters", async () => {
    for (const n of ["p1", "p2", "p3", "p4", "p5"]) {
      const r = await scim("POST", "/Users", {
        token: w.token,
        body: { schemas: [CORE_USER], userName: `page.${n}@paging.test`, externalId: `ext-${n}`, active: true },
      });
      expect(r.status).toBe(201);
    }
    const f = 'userName sw "page."';
    const all = await scim("GET", `/Users${q(f)}`, { token: w.token });
    expect(all.json.totalResults).toBe(5);
    const page = await scim("GET", `/Users${q(f, "&startIndex=2&count=2")}`, { token: w.token });
    expect(page.json).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    // a stable order (creation time, then id): the page is the 2nd and 3rd of the whole list
    const names = (r: typeof all) => (r.json.Resources as { userName: string }[]).map((u) => u.userName);
    expect(names(page)).toEqual(names(all).slice(1, 3));
    const zero = await scim("GET", `/Users${q(f, "&count=0")}`, { token: w.token });
    expect(zero.json).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    const or = await scim("GET", `/Users${q('externalId eq "ext-p1" or userName eq "page.p4@paging.test"')}`, {
      token: w.token,
    });
    expect(or.json.totalResults).toBe(2);
    const and = await scim("GET", `/Users${q('externalId eq "ext-p1" and userName co "p2"')}`, { token: w.token });
    expect(and.json.totalResults).toBe(0);
    const attrs = await scim("GET", `/Users${q('externalId eq "ext-p3"', "&attributes=userName")}`, { token: w.token });
    expect(Object.keys((attrs.json.Resources as object[])[0]!).sort()).toEqual(["id", "meta", "schemas", "userName"]);
  });
});

describe("cost", () => {
  it("a list page costs the same number of statements whatever its size (members of every group in one)", async () => {
    const [a, b, c] = await w.d.users("Cost A", "Cost B", "Cost C");
    for (const n of ["Cost 1", "Cost 2", "Cost 3"]) {
      const r = await scim("POST", "/Groups", {
        token: w.token,
        body: { schemas: [CORE_GROUP], displayName: n, members: [{ value: a.id }, { value: b.id }, { value: c.id }] },
      });
      expect(r.status).toBe(201);
    }
    const f = q('displayName sw "Cost "');
    const one = await countStatements(() => scim("GET", `/Groups${f}&count=1`, { token: w.token }));
    const three = await countStatements(() => scim("GET", `/Groups${f}&count=3`, { token: w.token }));
    expect((three.result.json.Resources as { members: unknown[] }[]).map((g) => g.members.length)).toEqual([3, 3, 3]);
    expect(one.statements.length).toBeGreaterThan(0);
    expect(three.statements.length).toBe(one.statements.length);
    const users1 = await countStatements(() => scim("GET", "/Users?count=1", { token: w.token }));
    const users20 = await countStatements(() => scim("GET", "/Users?count=20", { token: w.token }));
    expect(users20.statements.length).toBe(users1.statements.length);
  });
});

describe("discovery", () => {
  it("ServiceProviderConfig, ResourceTypes and Schemas describe what is supported", async () => {
    const spc = await scim("GET", "/ServiceProviderConfig", { token: w.token });
    expect(spc.json).toMatchObject({
      patch: { supported: true },
      filter: { supported: true, maxResults: 200 },
      bulk: { supported: false },
    });
    const types = await scim("GET", "/ResourceTypes", { token: w.token });
    expect((types.json.Resources as { id: string }[]).map((t) => t.id)).toEqual(["User", "Group"]);
    const schemas = await scim("GET", "/Schemas", { token: w.token });
    expect((schemas.json.Resources as { id: string }[]).map((s) => s.id)).toEqual([CORE_USER, ENTERPRISE, CORE_GROUP]);
    const one = await scim("GET", `/Schemas/${ENTERPRISE}`, { token: w.token });
    expect(one.json.name).toBe("EnterpriseUser");
  });
});

describe("bad input: SCIM errors, no 5xx, nothing written", () => {
  it("refuses each bad request with the right status and scimType and writes nothing", async () => {
    const [m] = await w.d.users("Real Member");
    const g = await scim("POST", "/Groups", {
      token: w.token,
      body: { schemas: [CORE_GROUP], displayName: "Batch", members: [] },
    });
    const gid = g.json.id as string;
    const u = await scim("POST", "/Users", {
      token: w.token,
      body: { schemas: [CORE_USER], userName: "victim@bad.test" },
    });
    const uid = u.json.id as string;
    const portalGroup = await w.d.group("Portal Admins");
    const before = await scimState(w.db);
    const cases: [
      string,
      Promise<ReturnType<typeof scim> extends Promise<infer R> ? R : never>,
      number,
      string | undefined,
    ][] = [
      [
        "wrong schema",
        scim("POST", "/Users", { token: w.token, body: { schemas: [CORE_GROUP], userName: "x@bad.test" } }),
        400,
        "invalidSyntax",
      ],
      [
        "no schemas",
        scim("POST", "/Users", { token: w.token, body: { userName: "x@bad.test" } }),
        400,
        "invalidSyntax",
      ],
      [
        "unknown schema",
        scim("POST", "/Users", {
          token: w.token,
          body: { schemas: [CORE_USER, "urn:acme:User"], userName: "x@bad.test" },
        }),
        400,
        "invalidSyntax",
      ],
      [
        "unknown attribute",
        scim("POST", "/Users", {
          token: w.token,
          body: { schemas: [CORE_USER], userName: "x@bad.test", favouriteColour: "blue" },
        }),
        400,
        "invalidSyntax",
      ],
      [
        "missing userName",
        scim("POST", "/Users", { token: w.token, body: { schemas: [CORE_USER], displayName: "No Name" } }),
        400,
        "invalidValue",
      ],
      [
        "bad email",
        scim("POST", "/Users", {
          token: w.token,
          body: { schemas: [CORE_USER], userName: "x@bad.test", emails: [{ value: "not-an-email", primary: true }] },
        }),
        400,
        "invalidValue",
      ],
      [
        "NUL in userName",
        scim("POST", "/Users", { token: w.token, body: { schemas: [CORE_USER], userName: "x\u0000@bad.test" } }),
        400,
        "invalidValue",
      ],
      ["not JSON", scim("POST", "/Users", { token: w.token, rawBody: "{not json" }), 400, "invalidSyntax"],
      ["array body", scim("POST", "/Users", { token: w.token, rawBody: "[]" }), 400, "invalidSyntax"],
      ["malformed filter", scim("GET", `/Users${q("userName eq")}`, { token: w.token }), 400, "invalidFilter"],
      ["dangling and", scim("GET", `/Users${q('userName eq "a" and')}`, { token: w.token }), 400, "invalidFilter"],
      [
        "unknown filter attribute",
        scim("GET", `/Users${q('nickName eq "x"')}`, { token: w.token }),
        400,
        "invalidFilter",
      ],
      ["unsupported operator", scim("GET", `/Users${q('userName gt "a"')}`, { token: w.token }), 400, "invalidFilter"],
      ["bad count", scim("GET", "/Users?count=ten", { token: w.token }), 400, "invalidValue"],
      [
        "patch unknown path",
        scim("PATCH", `/Users/${uid}`, {
          token: w.token,
          body: patch([{ op: "replace", path: "shoeSize", value: "44" }]),
        }),
        400,
        "invalidPath",
      ],
      [
        "patch bad active",
        scim("PATCH", `/Users/${uid}`, {
          token: w.token,
          body: patch([{ op: "replace", path: "active", value: "maybe" }]),
        }),
        400,
        "invalidValue",
      ],
      [
        "patch remove userName",
        scim("PATCH", `/Users/${uid}`, { token: w.token, body: patch([{ op: "remove", path: "userName" }]) }),
        400,
        "mutability",
      ],
      [
        "patch bad op",
        scim("PATCH", `/Users/${uid}`, { token: w.token, body: patch([{ op: "move", path: "title", value: "x" }]) }),
        400,
        "invalidSyntax",
      ],
      [
        "patch without PatchOp schema",
        scim("PATCH", `/Users/${uid}`, { token: w.token, body: { schemas: [CORE_USER], Operations: [] } }),
        400,
        "invalidSyntax",
      ],
      // a valid first op then a bad one: the whole PATCH is refused, the title is not changed
      [
        "patch half valid",
        scim("PATCH", `/Users/${uid}`, {
          token: w.token,
          body: patch([
            { op: "replace", path: "title", value: "Changed" },
            { op: "replace", path: "bogus", value: 1 },
          ]),
        }),
        400,
        "invalidPath",
      ],
      [
        "remove without path",
        scim("PATCH", `/Users/${uid}`, { token: w.token, body: patch([{ op: "remove" }]) }),
        400,
        "noTarget",
      ],
      [
        "manager unknown",
        scim("PATCH", `/Users/${uid}`, {
          token: w.token,
          body: patch([{ op: "add", path: `${ENTERPRISE}:manager`, value: "2b7a43f5-9a39-4d0a-9d0c-1c1f9d8f0000" }]),
        }),
        400,
        "invalidValue",
      ],
      // a batch of members with one unknown id: none of the batch is added
      [
        "member batch with unknown",
        scim("PATCH", `/Groups/${gid}`, {
          token: w.token,
          body: patch([
            {
              op: "add",
              path: "members",
              value: [{ value: m!.id }, { value: "2b7a43f5-9a39-4d0a-9d0c-1c1f9d8f0001" }],
            },
          ]),
        }),
        400,
        "invalidValue",
      ],
      [
        "member not an id",
        scim("PATCH", `/Groups/${gid}`, {
          token: w.token,
          body: patch([{ op: "add", path: "members", value: [{ value: "robert'); drop table users;--" }] }]),
        }),
        400,
        "invalidValue",
      ],
      [
        "group unknown attribute",
        scim("POST", "/Groups", { token: w.token, body: { schemas: [CORE_GROUP], displayName: "X", owner: "me" } }),
        400,
        "invalidSyntax",
      ],
      [
        "group without name",
        scim("POST", "/Groups", { token: w.token, body: { schemas: [CORE_GROUP], members: [] } }),
        400,
        "invalidValue",
      ],
      [
        "duplicate userName",
        scim("POST", "/Users", { token: w.token, body: { schemas: [CORE_USER], userName: "VICTIM@bad.test" } }),
        409,
        "uniqueness",
      ],
      ["unknown user", scim("GET", "/Users/2b7a43f5-9a39-4d0a-9d0c-1c1f9d8f0002", { token: w.token }), 404, undefined],
      ["not an id", scim("GET", "/Users/not-an-id", { token: w.token }), 404, undefined],
      ["unknown endpoint", scim("GET", "/Widgets", { token: w.token }), 404, undefined],
      [
        "portal group invisible",
        scim("PATCH", `/Groups/${portalGroup.id}`, {
          token: w.token,
          body: patch([{ op: "add", path: "members", value: [{ value: m!.id }] }]),
        }),
        404,
        undefined,
      ],
      ["no token", scim("GET", "/Users", {}), 401, undefined],
      [
        "wrong token",
        scim("GET", "/Users", { token: "scim_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }),
        401,
        undefined,
      ],
    ];
    for (const [name, pending, status, type] of cases) {
      const r = await pending;
      expect(r.status, name).toBeLessThan(500);
      expect(scimError(r, status), name).toBe(type);
    }
    expect(await scimState(w.db)).toEqual(before);
    expect(await memberIds(gid)).toEqual([]);
  });

  it("a revoked token is refused at once (401) and cannot change anything", async () => {
    const issued = await createScimToken(w.ctx, w.admin.actor(), { name: "Okta", expiresInDays: 365 });
    expect((await scim("GET", "/Users?count=1", { token: issued.token })).status).toBe(200);
    await revokeScimToken(w.ctx, w.admin.actor(), { tokenId: issued.id });
    const before = await scimState(w.db);
    scimError(
      await scim("POST", "/Users", { token: issued.token, body: { schemas: [CORE_USER], userName: "late@bad.test" } }),
      401,
    );
    expect(await scimState(w.db)).toEqual(before);
    expect((await auditRows(w.ctx, "scim.token.revoke")).at(-1)).toMatchObject({ actor_id: w.admin.id });
  });

  it("the last Global Administrator cannot be deprovisioned: 409, still enabled, nothing else written", async () => {
    // Ada (the harness admin) is the only GA in this database
    const ada = await scim("GET", `/Users${q(`userName eq "${w.admin.userPrincipalName}"`)}`, { token: w.token });
    const adaId = (ada.json.Resources as { id: string }[])[0]!.id;
    const before = await scimState(w.db);
    const r = await scim("PATCH", `/Users/${adaId}`, {
      token: w.token,
      body: patch([{ op: "replace", path: "active", value: false }]),
    });
    scimError(r, 409);
    scimError(await scim("DELETE", `/Users/${adaId}`, { token: w.token }), 409);
    expect(await scimState(w.db)).toEqual(before);
    expect(
      (await checkAccess(w.db, { principalId: adaId, roleDefinitionId: GLOBAL_ADMINISTRATOR, at: w.ctx.now() }))
        .allowed,
    ).toBe(true);
  });
});

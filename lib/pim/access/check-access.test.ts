import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, hours, minutes } from "@/test/db";
import { createDirectory, type Directory, type TestUser } from "@/test/fixtures/directory";
import {
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  HELPDESK_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SECURITY_READER,
  USER_ADMINISTRATOR,
  USER_CREATE_PERMISSION,
} from "@/lib/pim/directory/builtin-roles";
import { assertPimAdmin, holdsAnyRoleNow, isPimAdmin, isPimReader } from "@/lib/pim/authz";
import { checkAccess, effectiveRoles } from "./check-access";
import { PimError } from "@/lib/pim/errors";

const t0 = new Date("2026-11-22T09:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
let h: Awaited<ReturnType<typeof createTestDb>>;
let d: Directory;
let sophia: TestUser, emma: TestUser, alice: TestUser, gina: TestUser, nobody: TestUser, disabled: TestUser;
let nyScope: string;

beforeAll(async () => {
  h = await createTestDb();
  d = await createDirectory(h.db);
  [sophia, emma, alice, gina, nobody] = await d.users(
    "Sophia Davis",
    "Emma Smith",
    "Alice Admin",
    "Gina Group",
    "No Body",
  );
  disabled = await d.user("Dis Abled", { accountEnabled: false });
  const ny = await d.administrativeUnit("New York Office");
  nyScope = ny.scopeId;
  // Sophia: User Administrator from t0 to t0+4h (an activation)
  await d.active(sophia, USER_ADMINISTRATOR, { start: t0, end: at(hours(4)), assignmentType: "Activated" });
  // Emma: Helpdesk Administrator at New York Office only
  await d.active(emma, HELPDESK_ADMINISTRATOR, { start: t0, end: null, scope: nyScope });
  // Alice: GA permanent; a canceled future PRA; a revoked one
  await d.active(alice, GLOBAL_ADMINISTRATOR, { start: at(-hours(1)) });
  await d.active(alice, PRIVILEGED_ROLE_ADMINISTRATOR, { start: at(-hours(1)), status: "Canceled" });
  // Gina: through a group holding Security Reader, and Global Reader directly until t0+1h
  const g = await d.group("Security team", [gina]);
  await d.active(g, SECURITY_READER, { start: at(-hours(1)), end: at(hours(2)) });
  await d.active(gina, GLOBAL_READER, { start: at(-hours(1)), end: at(hours(1)) });
  await d.active(disabled, GLOBAL_ADMINISTRATOR, { start: at(-hours(1)) });
});
afterAll(async () => h.drop());

describe("checkAccess", () => {
  it("is true exactly inside [start, end): not before, at start, just before end, not at end", async () => {
    const q = { principalId: sophia.id, roleDefinitionId: USER_ADMINISTRATOR };
    expect((await checkAccess(h.db, { ...q, at: at(-1) })).allowed).toBe(false);
    expect((await checkAccess(h.db, { ...q, at: t0 })).allowed).toBe(true);
    expect((await checkAccess(h.db, { ...q, at: at(hours(4) - 1) })).allowed).toBe(true);
    expect((await checkAccess(h.db, { ...q, at: at(hours(4)) })).allowed).toBe(false);
  });

  it("does not need the sweep: a row still marked Provisioned after its end grants nothing", async () => {
    const r = await checkAccess(h.db, { principalId: sophia.id, permission: USER_CREATE_PERMISSION, at: at(hours(5)) });
    expect(r).toEqual({ allowed: false, grantedBy: [], until: null, accessEndsAt: null });
  });

  it("matches a permission through the role's actions and returns the grant and its end", async () => {
    const r = await checkAccess(h.db, {
      principalId: sophia.id,
      permission: USER_CREATE_PERMISSION,
      at: at(minutes(10)),
    });
    expect(r.allowed).toBe(true);
    expect(r.grantedBy).toHaveLength(1);
    expect(r.grantedBy[0]).toMatchObject({
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: "/",
      memberType: "Direct",
      endDateTime: at(hours(4)),
    });
    expect(r.until).toEqual(at(hours(4)));
    expect(
      (
        await checkAccess(h.db, {
          principalId: sophia.id,
          permission: "microsoft.directory/applications/create",
          at: t0,
        })
      ).allowed,
    ).toBe(false);
  });

  it("Global Administrator's allTasks grants every permission; permanent grants have no end", async () => {
    const r = await checkAccess(h.db, {
      principalId: alice.id,
      permission: "microsoft.directory/anything/at/all",
      at: t0,
    });
    expect(r.allowed).toBe(true);
    expect(r.until).toBeNull();
    expect(r.accessEndsAt).toBeNull();
  });

  it("scope: an administrative-unit grant covers only that unit; a directory grant covers every unit", async () => {
    const q = { principalId: emma.id, roleDefinitionId: HELPDESK_ADMINISTRATOR, at: at(minutes(1)) };
    expect((await checkAccess(h.db, { ...q, directoryScopeId: nyScope })).allowed).toBe(true);
    expect((await checkAccess(h.db, { ...q, directoryScopeId: "/" })).allowed).toBe(false);
    expect(
      (await checkAccess(h.db, { ...q, directoryScopeId: "/administrativeUnits/00000000-0000-4000-8000-000000000001" }))
        .allowed,
    ).toBe(false);
    expect(
      (
        await checkAccess(h.db, {
          principalId: sophia.id,
          roleDefinitionId: USER_ADMINISTRATOR,
          directoryScopeId: nyScope,
          at: t0,
        })
      ).allowed,
    ).toBe(true);
  });

  it("group membership grants, reported as memberType Group with the group id", async () => {
    const r = await checkAccess(h.db, { principalId: gina.id, roleDefinitionId: SECURITY_READER, at: t0 });
    expect(r.allowed).toBe(true);
    expect(r.grantedBy[0]?.memberType).toBe("Group");
    expect(r.grantedBy[0]?.viaGroupId).toBeDefined();
  });

  it("several grants: until = earliest end, accessEndsAt = latest end; Global Reader's read-all covers /read", async () => {
    const r = await checkAccess(h.db, {
      principalId: gina.id,
      permission: "microsoft.directory/auditLogs/allProperties/read",
      at: t0,
    });
    expect(r.grantedBy).toHaveLength(2);
    expect(r.until).toEqual(at(hours(1)));
    expect(r.accessEndsAt).toEqual(at(hours(2)));
    expect(
      (await checkAccess(h.db, { principalId: gina.id, permission: "microsoft.directory/devices/basic/read", at: t0 }))
        .allowed,
    ).toBe(true);
  });

  it("Canceled schedules and disabled accounts grant nothing", async () => {
    expect(
      (await checkAccess(h.db, { principalId: alice.id, roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR, at: t0 }))
        .allowed,
    ).toBe(false);
    expect(
      (await checkAccess(h.db, { principalId: disabled.id, roleDefinitionId: GLOBAL_ADMINISTRATOR, at: t0 })).allowed,
    ).toBe(false);
  });
});

describe("authz helpers", () => {
  it("isPimAdmin / isPimReader / holdsAnyRoleNow (both call forms)", async () => {
    expect(await isPimAdmin(h.db, alice.id, t0)).toBe(true);
    expect(await isPimAdmin({ db: h.db, now: () => t0 }, alice.actor())).toBe(true);
    expect(await isPimAdmin(h.db, sophia.id, t0)).toBe(false);
    expect(await isPimAdmin(h.db, disabled.id, t0)).toBe(false);
    expect(await isPimReader(h.db, gina.id, t0)).toBe(true);
    expect(await isPimReader(h.db, gina.id, at(hours(3)))).toBe(false);
    expect(await isPimReader({ db: h.db, now: () => t0 }, nobody.actor())).toBe(false);
    expect(await holdsAnyRoleNow(h.db, emma.id, [HELPDESK_ADMINISTRATOR], t0)).toBe(false); // only at an AU, not the directory
    expect(await holdsAnyRoleNow(h.db, sophia.id, [USER_ADMINISTRATOR], at(minutes(1)))).toBe(true);
  });

  it("assertPimAdmin throws Forbidden with a sentence", async () => {
    await expect(assertPimAdmin(h.db, alice.actor(), t0)).resolves.toBeUndefined();
    const err = await assertPimAdmin(h.db, sophia.actor(), t0, "assign roles").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PimError);
    expect((err as PimError).code).toBe("Forbidden");
    expect((err as PimError).message).toMatch(/Global Administrator or Privileged Role Administrator may assign roles/);
  });
});

describe("effectiveRoles", () => {
  it("lists what the user holds now with role and scope names", async () => {
    const emmaRoles = await effectiveRoles(h.db, emma.id, t0);
    expect(emmaRoles.map((r) => [r.roleName, r.scopeName])).toEqual([["Helpdesk Administrator", "New York Office"]]);
    const ginaRoles = await effectiveRoles(h.db, gina.id, t0);
    expect(ginaRoles.map((r) => [r.roleName, r.memberType])).toEqual([
      ["Global Reader", "Direct"],
      ["Security Reader", "Group"],
    ]);
    expect(await effectiveRoles(h.db, sophia.id, at(hours(4)))).toEqual([]);
  });
});

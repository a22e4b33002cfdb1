import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { hours } from "@/test/db";
import { auditRows, count, pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import { USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { createUser } from "./create-user";

let w: PimWorld;
let hashed: string[];
const deps = { hashPassword: async (p: string) => (hashed.push(p), `hash:${p}`) };
const input = (upn: string) => ({ displayName: "New Person", userPrincipalName: upn, password: "a long password 1" });
const usersNamed = (upn: string) =>
  count(w.ctx, sql`select count(*) n from ${users} where lower(user_principal_name) = lower(${upn})`);

beforeAll(async () => {
  w = await pimWorld();
});
afterAll(async () => w.h.drop());

describe("createUser (+ New user)", () => {
  it("with User Administrator active now: creates the user, hashes the password, audits 'Add user'", async () => {
    w.clock.set(T0);
    hashed = [];
    const sophia = await w.d.user("Sophia Creator");
    await w.d.active(sophia, USER_ADMINISTRATOR, { start: w.since, end: new Date(T0.getTime() + hours(1)) });
    const u = await createUser(
      w.ctx,
      sophia.actor(),
      { ...input("jane.doe@contoso.test"), jobTitle: "Engineer" },
      deps,
    );
    expect(u).toMatchObject({ displayName: "New Person", userPrincipalName: "jane.doe@contoso.test" });
    expect(hashed).toEqual(["a long password 1"]);
    const audit = (await auditRows(w.ctx, "user.create")).filter((a) => a.target_id === u.id);
    expect(audit.map((a) => [a.activity, a.actor_id, a.result])).toEqual([["Add user", sophia.id, "success"]]);
    // the same name in another case is taken
    await rejects(
      createUser(w.ctx, sophia.actor(), input("JANE.DOE@contoso.test"), deps),
      "Conflict",
      /already exists/,
    );
    expect(await usersNamed("jane.doe@contoso.test")).toBe(1);
  });

  it("without the role now (eligible only, or after it ended): Forbidden, nothing written, the password never hashed", async () => {
    w.clock.set(T0);
    hashed = [];
    const eligibleOnly = await w.d.user("Only Eligible");
    await w.d.eligible(eligibleOnly, USER_ADMINISTRATOR, { start: w.since });
    await rejects(
      createUser(w.ctx, eligibleOnly.actor(), input("nope.one@contoso.test"), deps),
      "Forbidden",
      /active User Administrator/,
    );
    const ended = await w.d.user("Ended Role");
    await w.d.active(ended, USER_ADMINISTRATOR, { start: w.since, end: T0 });
    await rejects(createUser(w.ctx, ended.actor(), input("nope.two@contoso.test"), deps), "Forbidden");
    expect(hashed).toEqual([]);
    expect((await usersNamed("nope.one@contoso.test")) + (await usersNamed("nope.two@contoso.test"))).toBe(0);
  });

  it("bad input: per-field messages, nothing written", async () => {
    hashed = [];
    const err = await rejects(
      createUser(
        w.ctx,
        w.alice.actor(),
        { displayName: " ", userPrincipalName: "not-an-upn", password: "short" },
        deps,
      ),
      "ValidationFailed",
    );
    expect(Object.keys(err.fieldErrors ?? {}).sort()).toEqual(["displayName", "password", "userPrincipalName"]);
    expect(hashed).toEqual([]);
    expect(await usersNamed("not-an-upn")).toBe(0);
  });
});

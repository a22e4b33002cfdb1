/**
 * The generator writes data the app accepts: the audit chain verifies with the app's own verifier, the personas
 * sign in (password and TOTP), the skew holds (~pimAdmins GA/PRA holders incl. group members), and a use case
 * (an activation) runs on top of it and keeps the chain intact. PostgreSQL only (COPY): skipped on PGlite.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "@/db/client";
import { checkPassword } from "@/lib/auth/identify";
import { decryptSecret } from "@/lib/auth/secret-box";
import { checkAccess } from "@/lib/pim/access/check-access";
import { checkGroupAccess } from "@/lib/pim/access/check-group-access";
import { verifyAuditChain } from "@/lib/pim/audit";
import { activateRole } from "@/lib/pim/use-cases/activate-role";
import { pimAdmins } from "@/lib/pim/notifications/recipients";
import {
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { userMfa } from "@/db/schema";
import { eq } from "drizzle-orm";
import { generate } from "./generate";
import { activatorId, BENCH_AUTH_SECRET, BENCH_PASSWORD, personas, pimGroupId } from "./personas";
import { PIM_GROUP_ROLE, pimGroupPlan } from "./pim-groups";
import { SIZES } from "./sizes";

const base = process.env.TEST_DATABASE_URL;
const spec = { ...SIZES.S, users: 600, schedules: 4_000, requests: 400, auditRows: 6_000, activators: 20 };

describe.skipIf(!base)("bench generator (PostgreSQL)", () => {
  let url: string;
  let handle: DbHandle;
  const now = new Date();

  beforeAll(async () => {
    const u = new URL(base as string);
    u.pathname = `/pim_t_gen_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
    url = u.toString();
    await generate(url, spec, { now, authSecret: BENCH_AUTH_SECRET });
    handle = await openDb({ url, max: 2 });
  });

  afterAll(async () => {
    await handle?.close();
    const a = postgres(base as string, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
    await a.end();
  });

  it("writes the sizes asked for", async () => {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const [c] = await sql`select
      (select count(*) from users)::int as users,
      (select count(*) from role_eligibility_schedules)::int + (select count(*) from role_assignment_schedules)::int as schedules,
      (select count(*) from schedule_requests)::int as requests,
      (select count(*) from audit_events)::int as audit,
      (select count(*) from schedule_requests where status = 'PendingApproval')::int as pending`;
    await sql.end();
    expect(c).toMatchObject({ users: 600, schedules: 4_000, requests: 400, audit: 6_000, pending: spec.pending });
  });

  it("builds an audit chain the app's verifier accepts", async () => {
    expect(await verifyAuditChain(handle.db)).toMatchObject({
      ok: true,
      checked: 6_000,
      brokenAt: null,
      breakCount: 0,
    });
  });

  it("lets the personas sign in with the known password and TOTP secret", async () => {
    for (const p of Object.values(personas)) {
      expect((await checkPassword(handle.db, p.userPrincipalName, BENCH_PASSWORD, now)).ok).toBe(true);
      const [m] = await handle.db.select().from(userMfa).where(eq(userMfa.userId, p.id));
      expect(decryptSecret(String(m?.secretEncrypted), BENCH_AUTH_SECRET)).toBe(p.totpSecret);
    }
  });

  it("gives GA and PRA to about pimAdmins people, some through groups", async () => {
    const admins = await pimAdmins(handle.db, now);
    expect(admins.length).toBeGreaterThan(spec.pimAdmins * 0.8);
    expect(admins.length).toBeLessThanOrEqual(spec.pimAdmins + 2);
    const ga = await checkAccess(handle.db, {
      principalId: personas.ga.id,
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      at: now,
    });
    expect(ga.allowed).toBe(true);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const [g] = await sql`select count(*)::int as n from role_assignment_schedules
      where principal_type = 'Group' and role_definition_id in (${GLOBAL_ADMINISTRATOR}, ${PRIVILEGED_ROLE_ADMINISTRATOR})`;
    // Every generated assignment is one the engine would have made (else the outside-of-PIM alert flags them all).
    const [outside] = await sql`select count(*)::int as n from role_assignment_schedules where origin <> 'pim'`;
    await sql.end();
    expect(g?.n).toBe(2);
    expect(outside?.n).toBe(0);
  });

  it("puts groups under PIM with memberships and ownerships the access check's group questions meet", async () => {
    const plan = pimGroupPlan(spec);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const [c] = await sql`select
      (select count(*) from role_definitions where group_id is not null)::int as defs,
      (select count(*) from role_eligibility_schedules e join role_definitions d on d.id = e.role_definition_id
        where d.group_id is not null)::int as elig,
      (select count(*) from role_assignment_schedules a join role_definitions d on d.id = a.role_definition_id
        where d.group_id is not null)::int as asg,
      (select count(*) from role_assignment_schedules where principal_name = '' and role_definition_id in
        (select id from role_definitions where group_id is not null))::int as unnamed`;
    await sql.end();
    expect(c).toEqual({ defs: 2 * plan.groups, elig: plan.eligibilities, asg: plan.assignments - 1, unnamed: 0 });
    const g0 = pimGroupId(0);
    const q = (principalId: string, accessId: "member" | "owner", groupId = g0) =>
      checkGroupAccess(handle.db, { principalId, groupId, accessId, at: now }).then((x) => x.allowed);
    expect(await q(activatorId(0), "member")).toBe(true);
    expect(await q(activatorId(1), "member")).toBe(false);
    expect(await q(personas.user.id, "owner")).toBe(true);
    expect(await q(activatorId(0), "owner")).toBe(false);
    // the role group 0 holds is live for its active member only
    const role = (principalId: string) =>
      checkAccess(handle.db, { principalId, roleDefinitionId: PIM_GROUP_ROLE, at: now }).then((x) => x.allowed);
    expect(await role(activatorId(0))).toBe(true);
    expect(await role(activatorId(1))).toBe(false);
  });

  it("takes a use case on top: an activator activates, the chain still verifies", async () => {
    const actor = { id: activatorId(0), type: "User" as const, displayName: "Bench Activator 1", mfaAt: now };
    const res = await activateRole({ db: handle.db, now: () => new Date(now.getTime() + 1000) }, actor, {
      roleDefinitionId: USER_ADMINISTRATOR,
      justification: "Benchmark smoke test",
      durationMinutes: 60,
    });
    expect(res.status).toBe("Provisioned");
    const v = await verifyAuditChain(handle.db);
    expect(v).toMatchObject({ ok: true, checked: 6_001 });
  });
});

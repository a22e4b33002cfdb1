/**
 * Service principals (Service principals page): register one, add a client secret (shown once, stored as
 * sha256), get an app token with it at POST /oauth2/v2.0/token, revoke the secret. Only a Global
 * Administrator or Privileged Role Administrator held now may change anything; refusals write nothing.
 * PGlite by default, PostgreSQL with TEST_DATABASE_URL.
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, servicePrincipalSecrets, servicePrincipals } from "@/db/schema";
import { GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { hashSecret } from "@/lib/pim/use-cases/create-api-token";
import { createServicePrincipalSecret } from "@/lib/pim/use-cases/create-service-principal-secret";
import { hours, minutes } from "@/test/db";
import type { TestUser } from "@/test/fixtures/directory";
import { call, setupApi, teardown } from "@/test/api/harness";
import { createServicePrincipal } from "@/lib/pim/use-cases/create-service-principal";
import { getServicePrincipal, listServicePrincipals } from "./queries";
import { revokeServicePrincipalSecret } from "@/lib/pim/use-cases/revoke-service-principal-secret";

type Env = Awaited<ReturnType<typeof setupApi>>;
let env: Env;
let ga: TestUser, pra: TestUser, eligiblePra: TestUser, formerGa: TestUser;

beforeAll(async () => {
  env = await setupApi();
  const { d, ctx } = env;
  const past = new Date(ctx.now().getTime() - hours(48));
  [ga, pra, eligiblePra, formerGa] = await d.users("Gina Admin", "Priya Roles", "Eli Eligible", "Fred Former");
  await d.active(ga, GLOBAL_ADMINISTRATOR, { start: past });
  await d.active(pra, PRIVILEGED_ROLE_ADMINISTRATOR, { start: past });
  await d.eligible(eligiblePra, PRIVILEGED_ROLE_ADMINISTRATOR, { start: past });
  await d.active(formerGa, GLOBAL_ADMINISTRATOR, { start: past, end: new Date(ctx.now().getTime() - minutes(1)) });
});
afterAll(async () => teardown(env.handle));

const spCount = async () => Number((await env.db.select({ n: count() }).from(servicePrincipals))[0]?.n ?? 0);
const secretCount = async () => Number((await env.db.select({ n: count() }).from(servicePrincipalSecrets))[0]?.n ?? 0);
const tokenRequest = (clientId: string, secret: string) =>
  call("POST", "/oauth2/v2.0/token", {
    rawBody: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: secret,
      scope: "https://graph.microsoft.com/.default",
    }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });

describe("service principals and their client secrets", () => {
  it("a Global Administrator registers a service principal; it is listed with no secrets and no roles, and audited", async () => {
    const sp = await createServicePrincipal(env.ctx, ga.actor(), {
      displayName: "  Ticket Robot ",
      description: "ITSM automation",
    });
    expect(sp.displayName).toBe("Ticket Robot");
    expect(sp.appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sp.appId).not.toBe(sp.id);
    const { rows } = await listServicePrincipals(env.ctx, ga.actor());
    expect(rows.find((r) => r.id === sp.id)).toMatchObject({
      displayName: "Ticket Robot",
      description: "ITSM automation",
      activeSecrets: 0,
      roles: [],
      accountEnabled: true,
    });
    const audit = await env.db.select().from(auditEvents).where(eq(auditEvents.operation, "servicePrincipal.create"));
    expect(audit).toEqual([
      expect.objectContaining({ result: "success", activity: "Add service principal", targetId: sp.id }),
    ]);
  });

  it("refuses people without GA/PRA held now (eligible only, or expired) and writes nothing but the refusal", async () => {
    const before = await spCount();
    for (const who of [eligiblePra, formerGa]) {
      await expect(createServicePrincipal(env.ctx, who.actor(), { displayName: "Sneaky" })).rejects.toMatchObject({
        code: "Forbidden",
      });
    }
    expect(await spCount()).toBe(before);
    const refusals = await env.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.operation, "servicePrincipal.create"));
    expect(refusals.filter((r) => r.result === "failure")).toHaveLength(2);
  });

  it("validates the name", async () => {
    await expect(createServicePrincipal(env.ctx, ga.actor(), { displayName: "   " })).rejects.toMatchObject({
      code: "ValidationFailed",
      fieldErrors: { displayName: [expect.any(String)] },
    });
    await expect(createServicePrincipal(env.ctx, ga.actor(), { displayName: "x".repeat(121) })).rejects.toMatchObject({
      code: "ValidationFailed",
    });
  });

  it("a client secret is shown once, stored as its sha256, and gets an app token with its permissions; revoked, it no longer does", async () => {
    const sp = await createServicePrincipal(env.ctx, pra.actor(), { displayName: "Pipeline Two" });
    const created = await createServicePrincipalSecret(env.ctx, pra.actor(), {
      servicePrincipalId: sp.id,
      displayName: "CI",
      expiresInDays: 90,
      scopes: ["RoleManagement.Read.Directory"],
    });
    expect(created.secret).toMatch(/^pcs_/);
    const [stored] = await env.db
      .select()
      .from(servicePrincipalSecrets)
      .where(eq(servicePrincipalSecrets.id, created.id));
    expect(stored?.secretHash).toBe(hashSecret(created.secret));
    expect(JSON.stringify(stored)).not.toContain(created.secret);
    const view = await getServicePrincipal(env.ctx, sp.id);
    expect(view?.secrets).toEqual([
      expect.objectContaining({
        id: created.id,
        displayName: "CI",
        hint: created.hint,
        scopes: ["RoleManagement.Read.Directory"],
        revokedAt: null,
      }),
    ]);
    expect(JSON.stringify(view)).not.toContain(created.secret);
    expect(view?.activeSecrets).toBe(1);

    const ok = await tokenRequest(sp.appId, created.secret);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ token_type: "Bearer", scope: "RoleManagement.Read.Directory" });

    // only admins revoke; a refusal leaves the secret usable
    await expect(
      revokeServicePrincipalSecret(env.ctx, eligiblePra.actor(), { secretId: created.id }),
    ).rejects.toMatchObject({ code: "Forbidden" });
    expect((await tokenRequest(sp.appId, created.secret)).status).toBe(200);

    const r = await revokeServicePrincipalSecret(env.ctx, ga.actor(), { secretId: created.id });
    expect(r.secretId).toBe(created.id);
    const refused = await tokenRequest(sp.appId, created.secret);
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: "invalid_client" });
    expect((await getServicePrincipal(env.ctx, sp.id))?.activeSecrets).toBe(0);
    await expect(revokeServicePrincipalSecret(env.ctx, ga.actor(), { secretId: created.id })).rejects.toMatchObject({
      code: "Conflict",
    });
    await expect(
      revokeServicePrincipalSecret(env.ctx, ga.actor(), { secretId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({ code: "NotFound" });
    await expect(revokeServicePrincipalSecret(env.ctx, ga.actor(), { secretId: "not-a-guid" })).rejects.toMatchObject({
      code: "ValidationFailed",
    });
  });

  it("a non-admin cannot add a client secret (nothing stored)", async () => {
    const [sp] = (await listServicePrincipals(env.ctx, ga.actor())).rows;
    const before = await secretCount();
    await expect(
      createServicePrincipalSecret(env.ctx, eligiblePra.actor(), {
        servicePrincipalId: sp!.id,
        displayName: "mine",
        expiresInDays: 30,
        scopes: ["RoleManagement.ReadWrite.Directory"],
      }),
    ).rejects.toMatchObject({ code: "Forbidden" });
    expect(await secretCount()).toBe(before);
  });

  it("pages the list by name, forward and back, with a total; readers only", async () => {
    for (const n of ["Paging A", "Paging B", "Paging C"])
      await createServicePrincipal(env.ctx, ga.actor(), { displayName: n });
    const all = (await listServicePrincipals(env.ctx, ga.actor(), { limit: 200 })).rows.map((r) => r.displayName);
    expect(all).toEqual([...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const seen: string[] = [];
    let page = await listServicePrincipals(env.ctx, ga.actor(), { limit: 2 });
    expect(page.prevCursor).toBeNull();
    expect(page.total).toEqual({ n: all.length, exact: true });
    const pages = [page];
    for (;;) {
      seen.push(...page.rows.map((r) => r.displayName));
      if (!page.nextCursor) break;
      page = await listServicePrincipals(env.ctx, ga.actor(), { limit: 2, cursor: page.nextCursor });
      pages.push(page);
    }
    expect(seen).toEqual(all);
    // Previous from the last page gives the page before it again
    const back = await listServicePrincipals(env.ctx, ga.actor(), { limit: 2, cursor: page.prevCursor });
    expect(back.rows.map((r) => r.id)).toEqual(pages[pages.length - 2]?.rows.map((r) => r.id));
    // a cursor from a URL is untrusted: garbage reads as the first page
    expect((await listServicePrincipals(env.ctx, ga.actor(), { limit: 2, cursor: "%%not-a-cursor" })).rows).toEqual(
      pages[0]?.rows,
    );
    await expect(listServicePrincipals(env.ctx, eligiblePra.actor())).rejects.toMatchObject({ code: "Forbidden" });
  });

  it("lists the roles a service principal holds now", async () => {
    const sp = await createServicePrincipal(env.ctx, ga.actor(), { displayName: "Role Holder" });
    await env.d.active(
      { id: sp.id, type: "ServicePrincipal", displayName: sp.displayName },
      PRIVILEGED_ROLE_ADMINISTRATOR,
      { start: new Date(env.ctx.now().getTime() - minutes(5)) },
    );
    expect((await listServicePrincipals(env.ctx, ga.actor())).rows.find((r) => r.id === sp.id)?.roles).toEqual([
      "Privileged Role Administrator",
    ]);
    expect((await getServicePrincipal(env.ctx, sp.id))?.roles).toEqual(["Privileged Role Administrator"]);
    expect(await getServicePrincipal(env.ctx, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });
});

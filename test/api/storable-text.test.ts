/**
 * Issue 12 finding 3 (and the input half of finding 1): a NUL or a lone surrogate in any free-text field used
 * to answer 500 (PostgreSQL 22021) or write an audit row whose stored text no longer matched its hash. Now the
 * one storable-text rule refuses it at the door: Graph 400 naming the field, a ValidationFailed field message
 * from the use cases, nothing written anywhere, the audit chain intact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/pim/audit";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { isPimError } from "@/lib/pim/errors";
import { createApiToken } from "@/lib/pim/use-cases/create-api-token";
import { createServicePrincipalSecret } from "@/lib/pim/use-cases/create-service-principal-secret";
import { setUserEnabled } from "@/lib/pim/use-cases/set-user-enabled";
import { createServicePrincipal } from "@/lib/pim/use-cases/create-service-principal";
import { NUL_MESSAGE, SURROGATE_MESSAGE } from "@/lib/validation/text";
import { hours } from "@/test/db";
import type { Principal, TestUser } from "@/test/fixtures/directory";
import { allRowCounts, changedTables } from "@/test/row-counts";
import { call, errorCode, setupApi, teardown, tokenFor } from "./harness";

type Env = Awaited<ReturnType<typeof setupApi>>;
let env: Env;
let admin: TestUser, emma: TestUser, app: Principal;
let tAdmin: string, tEmma: string;
const BAD = [
  { name: "NUL", text: "Need\u0000access", message: NUL_MESSAGE },
  { name: "lone surrogate", text: "x\uD800y", message: SURROGATE_MESSAGE },
];

beforeAll(async () => {
  env = await setupApi();
  const { d, ctx } = env;
  [admin, emma] = await d.users("Perparim Admin", "Emma Smith");
  await d.active(admin, GLOBAL_ADMINISTRATOR, { start: new Date(ctx.now().getTime() - hours(48)) });
  await d.eligible(emma, USER_ADMINISTRATOR, { start: new Date(ctx.now().getTime() - hours(48)), end: null });
  app = await d.servicePrincipal("ITSM connector");
  [tAdmin, tEmma] = await Promise.all([tokenFor(env.ctx, admin), tokenFor(env.ctx, emma)]);
});
afterAll(async () => teardown(env.handle));

async function writesNothing(fn: () => Promise<void>) {
  const before = await allRowCounts(env.db);
  await fn();
  expect(changedTables(before, await allRowCounts(env.db))).toEqual([]);
}

const body = (action: string, principalId: string, extra: Record<string, unknown>) => ({
  action,
  principalId,
  roleDefinitionId: USER_ADMINISTRATOR,
  directoryScopeId: "/",
  justification: "Onboarding",
  scheduleInfo: { expiration: { type: "afterDuration", duration: "PT4H" } },
  ...extra,
});

describe.each(BAD)("$name in free text", ({ text, message }) => {
  it("Graph schedule requests answer 400 naming the field (admin and self), nothing written", async () => {
    await writesNothing(async () => {
      const cases: [string, string, Record<string, unknown>, string][] = [
        [tAdmin, "adminAssign", { principalId: emma.id, justification: text }, "justification"],
        [
          tAdmin,
          "adminAssign",
          { principalId: emma.id, ticketInfo: { ticketNumber: text } },
          "ticketInfo.ticketNumber",
        ],
        [
          tAdmin,
          "adminAssign",
          { principalId: emma.id, ticketInfo: { ticketSystem: text } },
          "ticketInfo.ticketSystem",
        ],
        [tEmma, "selfActivate", { principalId: emma.id, justification: text }, "justification"],
        [tEmma, "selfActivate", { principalId: emma.id, customData: text }, "customData"],
      ];
      for (const [token, action, extra, field] of cases) {
        const path = action === "adminAssign" ? "roleEligibilityScheduleRequests" : "roleAssignmentScheduleRequests";
        const r = await call("POST", `/roleManagement/directory/${path}`, {
          token,
          body: body(action, extra.principalId as string, extra),
        });
        expect(r.status, `${action} ${field}`).toBe(400);
        expect(errorCode(r)).toBe("BadRequest");
        expect(JSON.stringify(r.json)).toContain(field);
        expect((r.json.error as { message: string }).message).toContain(message);
      }
    });
  });

  it("an OData $filter answers 400 and the token endpoint invalid_request (a URL or form cannot carry a lone surrogate: UTF-8 turns it into U+FFFD, which is storable)", async () => {
    const viaUrl = text.includes("\u0000");
    await writesNothing(async () => {
      const q = viaUrl ? encodeURIComponent(`principalId eq '${text}'`) : "principalId%20eq%20'x%ED%A0%80y'";
      const r = await call("GET", `/roleManagement/directory/roleAssignmentScheduleRequests?$filter=${q}`, {
        token: tAdmin,
      });
      expect(r.status).toBe(400);
      expect(errorCode(r)).toBe("BadRequest");
      if (viaUrl) expect((r.json.error as { message: string }).message).toContain(message);
      const t = await call("POST", "/oauth2/v2.0/token", {
        rawBody: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: app.id,
          client_secret: text,
          scope: "https://graph.microsoft.com/.default",
        }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      if (viaUrl) {
        expect(t.status).toBe(400);
        expect(t.json.error).toBe("invalid_request");
      } else expect(t.status).toBe(401);
    });
  });

  it("use cases refuse token, service principal and secret names and disable justifications with a field message", async () => {
    const actor = admin.actor({ mfaAt: env.ctx.now() });
    const attempts: [string, () => Promise<unknown>][] = [
      ["name", () => createApiToken(env.ctx, actor, { name: text, expiresInDays: 30, scopes: ["User.Read"] })],
      ["displayName", () => createServicePrincipal(env.ctx, actor, { displayName: text })],
      ["description", () => createServicePrincipal(env.ctx, actor, { displayName: "App", description: text })],
      [
        "displayName",
        () =>
          createServicePrincipalSecret(env.ctx, actor, {
            servicePrincipalId: app.id,
            displayName: text,
            expiresInDays: 30,
            scopes: ["User.Read"],
          }),
      ],
      ["justification", () => setUserEnabled(env.ctx, actor, { userId: emma.id, enabled: false, justification: text })],
    ];
    await writesNothing(async () => {
      for (const [field, attempt] of attempts) {
        const err = await attempt().then(
          () => null,
          (e: unknown) => e,
        );
        expect(isPimError(err) && err.code, field).toBe("ValidationFailed");
        expect(isPimError(err) && err.fieldErrors?.[field]).toContain(message);
      }
    });
  });
});

it("the audit chain still verifies after all of it", async () => {
  expect((await verifyAuditChain(env.db)).ok).toBe(true);
});

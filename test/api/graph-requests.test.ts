import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  HELPDESK_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { revokeApiToken } from "@/lib/pim/use-cases/revoke-api-token";
import { createApiToken } from "@/lib/pim/use-cases/create-api-token";
import { hours, minutes } from "@/test/db";
import type { TestUser } from "@/test/fixtures/directory";
import { call, errorCode, setupApi, stateCounts, successAudits, teardown, tokenFor } from "./harness";

type Env = Awaited<ReturnType<typeof setupApi>>;
let env: Env;
let admin: TestUser, sophia: TestUser, alex: TestUser, reader: TestUser, nobody: TestUser;
let tAdmin: string, tSophia: string, tAlex: string, tReader: string, tNobody: string;
const RAS = "/roleManagement/directory/roleAssignmentScheduleRequests";

const activation = (user: TestUser, extra: Record<string, unknown> = {}) => ({
  action: "selfActivate",
  principalId: user.id,
  roleDefinitionId: USER_ADMINISTRATOR,
  directoryScopeId: "/",
  justification: "Need to add a user",
  scheduleInfo: { startDateTime: null, expiration: { type: "afterDuration", duration: "PT2H" } },
  ...extra,
});

/** Runs `fn` and checks that no state changed and no success audit row was written. */
async function writesNothing(fn: () => Promise<unknown>) {
  const before = { ...(await stateCounts(env.db)), audits: await successAudits(env.db) };
  await fn();
  expect({ ...(await stateCounts(env.db)), audits: await successAudits(env.db) }).toEqual(before);
}

beforeAll(async () => {
  env = await setupApi();
  const { d, ctx } = env;
  const past = new Date(ctx.now().getTime() - hours(48));
  [admin, sophia, alex, reader, nobody] = await d.users(
    "Perparim Admin",
    "Sophia Davis",
    "Alex Johnson",
    "Rita Reader",
    "Nora Nobody",
  );
  await d.active(admin, GLOBAL_ADMINISTRATOR, { start: past });
  await d.active(reader, GLOBAL_READER, { start: past });
  await d.eligible(sophia, USER_ADMINISTRATOR, { start: past });
  await d.eligible(alex, USER_ADMINISTRATOR, { start: past });
  await d.eligible(sophia, HELPDESK_ADMINISTRATOR, { start: past });
  await d.settings(HELPDESK_ADMINISTRATOR, { activationRequireMfa: true });
  [tAdmin, tSophia, tAlex, tReader, tNobody] = (await Promise.all(
    [admin, sophia, alex, reader, nobody].map((u) => tokenFor(ctx, u)),
  )) as [string, string, string, string, string];
});
afterAll(async () => teardown(env.handle));

describe("authentication and permissions", () => {
  it("401 without a token, with a wrong, an expired or a revoked token", async () => {
    const noToken = await call("GET", `${RAS}/filterByCurrentUser(on='principal')`);
    expect(noToken.status).toBe(401);
    expect(errorCode(noToken)).toBe("InvalidAuthenticationToken");
    expect((await call("GET", RAS, { token: "pim_wrongwrongwrongwrongwrong" })).status).toBe(401);
    const t = await createApiToken(env.ctx, nobody.actor(), { name: "short", expiresInDays: 1, scopes: ["User.Read"] });
    env.ctx.clock.advance(hours(25));
    expect((await call("GET", "/me", { token: t.token })).status).toBe(401);
    env.ctx.clock.advance(-hours(25));
    expect((await call("GET", "/me", { token: t.token })).status).toBe(200);
    await revokeApiToken(env.ctx, nobody.actor(), { tokenId: t.id });
    const revoked = await call("GET", "/me", { token: t.token });
    expect(revoked.status).toBe(401);
    expect(errorCode(revoked)).toBe("InvalidAuthenticationToken");
  });

  it("403 when the token lacks the Graph permission, and nothing is written", async () => {
    const onlyUsers = await tokenFor(env.ctx, sophia, ["User.Read"]);
    await writesNothing(async () => {
      const r = await call("POST", RAS, { token: onlyUsers, body: activation(sophia) });
      expect(r.status).toBe(403);
      expect(errorCode(r)).toBe("Authorization_RequestDenied");
      expect(String((r.json.error as { message: string }).message)).toContain(
        "RoleAssignmentSchedule.ReadWrite.Directory",
      );
    });
    expect((await call("GET", RAS + "/filterByCurrentUser(on='principal')", { token: onlyUsers })).status).toBe(403);
  });

  it("unknown segments are 400, wrong methods 405, with Graph error bodies", async () => {
    const seg = await call("GET", "/roleManagement/directory/nope", { token: tSophia });
    expect(seg.status).toBe(400);
    expect(errorCode(seg)).toBe("BadRequest");
    const m = await call("PATCH", RAS, { token: tSophia, body: {} });
    expect(m.status).toBe(405);
    errorCode(m);
    const fb = await call("GET", `${RAS}/filterByCurrentUser(on='everyone')`, { token: tSophia });
    expect(fb.status).toBe(400);
  });
});

describe("self-activation through roleAssignmentScheduleRequests", () => {
  it("rejects bad bodies with 400 and writes nothing", async () => {
    const bodies: [string, { rawBody?: string; body?: unknown }][] = [
      ["not JSON", { rawBody: "{nope" }],
      ["an array", { body: [activation(sophia)] }],
      ["an unknown action", { body: activation(sophia, { action: "selfDestruct" }) }],
      ["an unknown property", { body: activation(sophia, { favouriteColour: "blue" }) }],
      ["a principalId that is no GUID", { body: activation(sophia, { principalId: "sophia" }) }],
      ["a bad scope", { body: activation(sophia, { directoryScopeId: "/users/1" }) }],
      [
        "afterDuration without duration",
        { body: activation(sophia, { scheduleInfo: { expiration: { type: "afterDuration" } } }) },
      ],
      [
        "a duration that is not ISO 8601",
        { body: activation(sophia, { scheduleInfo: { expiration: { type: "afterDuration", duration: "2 hours" } } }) },
      ],
      [
        "a start that is no date",
        {
          body: activation(sophia, {
            scheduleInfo: { startDateTime: "tomorrow", expiration: { type: "afterDuration", duration: "PT1H" } },
          }),
        },
      ],
      [
        "a recurrence",
        {
          body: activation(sophia, {
            scheduleInfo: { recurrence: { pattern: {} }, expiration: { type: "afterDuration", duration: "PT1H" } },
          }),
        },
      ],
      ["isValidationOnly", { body: activation(sophia, { isValidationOnly: true }) }],
      ["an app scope", { body: activation(sophia, { appScopeId: "/apps/1" }) }],
    ];
    for (const [what, b] of bodies) {
      await writesNothing(async () => {
        const r = await call("POST", RAS, { token: tSophia, ...b });
        expect(r.status, what).toBe(400);
        expect(errorCode(r), what).toMatch(/BadRequest|NotSupported/);
      });
    }
  });

  it("policy failures are 400 RoleAssignmentRequestPolicyValidationFailed naming the rule, and write no change", async () => {
    await writesNothing(async () => {
      const noReason = await call("POST", RAS, { token: tSophia, body: activation(sophia, { justification: null }) });
      expect(noReason.status).toBe(400);
      expect(errorCode(noReason)).toBe("RoleAssignmentRequestPolicyValidationFailed");
      expect((noReason.json.error as { message: string }).message).toContain("JustificationRule");
      const tooLong = await call("POST", RAS, {
        token: tSophia,
        body: activation(sophia, { scheduleInfo: { expiration: { type: "afterDuration", duration: "PT9H" } } }),
      });
      expect((tooLong.json.error as { message: string }).message).toContain("ExpirationRule");
      const forever = await call("POST", RAS, {
        token: tSophia,
        body: activation(sophia, { scheduleInfo: { expiration: { type: "noExpiration" } } }),
      });
      expect((forever.json.error as { message: string }).message).toContain("ExpirationRule");
    });
  });

  it("a role that requires MFA needs a token minted after an MFA challenge (MfaRule otherwise)", async () => {
    const noMfa = await tokenFor(env.ctx, sophia, ["RoleAssignmentSchedule.ReadWrite.Directory"], { mfa: false });
    const body = activation(sophia, { roleDefinitionId: HELPDESK_ADMINISTRATOR });
    await writesNothing(async () => {
      const r = await call("POST", RAS, { token: noMfa, body });
      expect(r.status).toBe(400);
      expect(errorCode(r)).toBe("RoleAssignmentRequestPolicyValidationFailed");
      expect((r.json.error as { message: string }).message).toContain("MfaRule");
      expect((r.json.error as { details: { code: string }[] }).details[0]?.code).toBe("MfaRule");
    });
    const withMfa = await tokenFor(env.ctx, sophia, ["RoleAssignmentSchedule.ReadWrite.Directory"]);
    const ok = await call("POST", RAS, { token: withMfa, body });
    expect(ok.status).toBe(201);
    expect(ok.json.status).toBe("Provisioned");
  });

  it("activating for someone else is 403 and writes nothing", async () => {
    await writesNothing(async () => {
      const r = await call("POST", RAS, { token: tSophia, body: activation(alex) });
      expect(r.status).toBe(403);
      expect(errorCode(r)).toBe("Authorization_RequestDenied");
    });
  });

  it("activates, lists my requests and my instances, and the access check says yes", async () => {
    const r = await call("POST", RAS, {
      token: tSophia,
      body: activation(sophia, { ticketInfo: { ticketNumber: "INC-42", ticketSystem: "ServiceNow" } }),
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      action: "selfActivate",
      status: "Provisioned",
      principalId: sophia.id,
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "Need to add a user",
      ticketInfo: { ticketNumber: "INC-42", ticketSystem: "ServiceNow" },
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT2H", endDateTime: null } },
      createdBy: { user: { id: sophia.id } },
    });
    expect(String(r.json["@odata.context"])).toContain(
      "$metadata#roleManagement/directory/roleAssignmentScheduleRequests/$entity",
    );
    const id = String(r.json.id);

    const mine = await call(
      "GET",
      `${RAS}/filterByCurrentUser(on='principal')?$filter=status eq 'Provisioned' and roleDefinitionId eq '${USER_ADMINISTRATOR}'&$expand=principal,roleDefinition`,
      { token: tSophia },
    );
    expect(mine.status).toBe(200);
    const list = mine.json.value as Record<string, unknown>[];
    expect(list.map((x) => x.id)).toContain(id);
    expect(list[0]).toMatchObject({
      principal: { "@odata.type": "#microsoft.graph.user", id: sophia.id, displayName: "Sophia Davis" },
      roleDefinition: { displayName: "User Administrator" },
    });
    // percent-encoded quotes route the same
    const encoded = await call("GET", `${RAS}/filterByCurrentUser(on=%27principal%27)`, { token: tSophia });
    expect((encoded.json.value as unknown[]).length).toBe(
      (await call("GET", `${RAS}/filterByCurrentUser(on='principal')`, { token: tSophia })).json.value &&
        (encoded.json.value as unknown[]).length,
    );

    const inst = await call(
      "GET",
      `/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')?$filter=roleDefinitionId eq '${USER_ADMINISTRATOR}'`,
      { token: tSophia },
    );
    expect(inst.status).toBe(200);
    expect(inst.json.value).toEqual([
      expect.objectContaining({
        principalId: sophia.id,
        assignmentType: "Activated",
        memberType: "Direct",
        roleDefinitionId: USER_ADMINISTRATOR,
      }),
    ]);

    const check = await call(
      "GET",
      `/api/v1/access/check?principalId=${sophia.id}&permission=microsoft.directory/users/create`,
      { token: tSophia },
    );
    expect(check.status).toBe(200);
    expect(check.json.allowed).toBe(true);
    expect(check.json.until).toBe(new Date(env.ctx.now().getTime() + hours(2)).toISOString().replace(".000Z", "Z"));

    // activating again while active: Graph's 400 RoleAssignmentExists, nothing written
    await writesNothing(async () => {
      const again = await call("POST", RAS, { token: tSophia, body: activation(sophia) });
      expect(again.status).toBe(400);
      expect(errorCode(again)).toBe("RoleAssignmentExists");
    });

    // someone else's request: not visible (404); the full list needs a reader role (403)
    const other = await call("GET", `${RAS}/${id}`, { token: tAlex });
    expect(other.status).toBe(404);
    expect(errorCode(other)).toBe("Request_ResourceNotFound");
    expect((await call("GET", RAS, { token: tAlex })).status).toBe(403);
    expect((await call("GET", `${RAS}/${id}`, { token: tSophia })).status).toBe(200);
    expect((await call("GET", `${RAS}/${id}`, { token: tReader })).status).toBe(200);

    // deactivate after the 5-minute grace
    env.ctx.clock.advance(minutes(6));
    const off = await call("POST", RAS, {
      token: tSophia,
      body: {
        action: "selfDeactivate",
        principalId: sophia.id,
        roleDefinitionId: USER_ADMINISTRATOR,
        directoryScopeId: "/",
      },
    });
    expect(off.status).toBe(201);
    expect(off.json.status).toBe("Revoked");
    const after = await call(
      "GET",
      `/api/v1/access/check?principalId=${sophia.id}&roleDefinitionId=${USER_ADMINISTRATOR}`,
      { token: tSophia },
    );
    expect(after.json).toMatchObject({ allowed: false, grantedBy: [], until: null });
  });

  it("unknown or malformed ids are 404 and cancelling them writes nothing", async () => {
    await writesNothing(async () => {
      for (const id of ["7f0c8c1e-1111-4a4a-8b8b-000000000000", "not-a-guid"]) {
        const g = await call("GET", `${RAS}/${id}`, { token: tReader });
        expect(g.status).toBe(404);
        errorCode(g);
        expect((await call("POST", `${RAS}/${id}/cancel`, { token: tSophia })).status).toBe(404);
      }
      expect(
        (await call("GET", `/roleManagement/directory/roleAssignmentScheduleInstances/nope`, { token: tReader }))
          .status,
      ).toBe(404);
      expect(
        (
          await call("GET", `/roleManagement/directory/roleAssignmentApprovals/7f0c8c1e-1111-4a4a-8b8b-000000000000`, {
            token: tReader,
          })
        ).status,
      ).toBe(404);
    });
  });

  it("bad OData on every list is a Graph 400, never a 500", async () => {
    const lists = [
      RAS,
      "/roleManagement/directory/roleEligibilityScheduleRequests",
      "/roleManagement/directory/roleAssignmentSchedules",
      "/roleManagement/directory/roleEligibilitySchedules",
      "/roleManagement/directory/roleAssignmentScheduleInstances",
      "/roleManagement/directory/roleEligibilityScheduleInstances",
      "/roleManagement/directory/roleDefinitions",
      "/policies/roleManagementPolicies",
      "/policies/roleManagementPolicyAssignments",
      "/auditLogs/directoryAudits",
      "/users",
    ];
    for (const path of lists) {
      for (const qs of [
        "$filter=principalId eq",
        "$filter=nope eq 'x'",
        "$top=0",
        "$orderby=id",
        "$select=nope",
        "$skiptoken=AAAA",
        "$filter=id eq 'x' or",
      ]) {
        const r = await call("GET", `${path}?${qs}`, { token: tReader });
        expect(r.status, `${path}?${qs}`).toBe(400);
        errorCode(r);
      }
    }
  });
});

describe("approval and cancel", () => {
  it("an approver lists, approves through roleAssignmentApprovals steps; no self-approval; second decision 409", async () => {
    await env.d.settings(USER_ADMINISTRATOR, { approvalRequired: true });
    const req = await call("POST", RAS, { token: tAlex, body: activation(alex) });
    expect(req.status).toBe(201);
    expect(req.json.status).toBe("PendingApproval");
    const approvalId = String(req.json.approvalId);
    expect(approvalId).toBe(req.json.id);

    const waiting = await call("GET", `${RAS}/filterByCurrentUser(on='approver')?$filter=status eq 'PendingApproval'`, {
      token: tAdmin,
    });
    expect((waiting.json.value as { id: string }[]).map((v) => v.id)).toContain(approvalId);
    expect(
      ((await call("GET", `${RAS}/filterByCurrentUser(on='approver')`, { token: tAlex })).json.value as unknown[])
        .length,
    ).toBe(0);

    const approval = await call("GET", `/roleManagement/directory/roleAssignmentApprovals/${approvalId}`, {
      token: tAdmin,
    });
    expect(approval.status).toBe(200);
    const step = (approval.json.steps as { id: string; status: string; assignedToMe: boolean }[])[0];
    expect(step).toMatchObject({ status: "InProgress", assignedToMe: true });
    const stepPath = `/roleManagement/directory/roleAssignmentApprovals/${approvalId}/steps/${step?.id}`;

    await writesNothing(async () => {
      const self = await call("PATCH", stepPath, {
        token: tAlex,
        body: { reviewResult: "Approve", justification: "me" },
      });
      expect(self.status).toBe(403); // no self-approval, ever
      expect(errorCode(self)).toBe("Authorization_RequestDenied");
      const noReason = await call("PATCH", stepPath, { token: tAdmin, body: { reviewResult: "Approve" } });
      expect(noReason.status).toBe(400);
      const bad = await call("PATCH", stepPath, { token: tAdmin, body: { reviewResult: "Maybe", justification: "x" } });
      expect(bad.status).toBe(400);
      const stranger = await call("PATCH", stepPath, {
        token: tNobody,
        body: { reviewResult: "Approve", justification: "x" },
      });
      expect(stranger.status).toBe(403); // Graph: a non-approver deciding a step is 403
      expect(errorCode(stranger)).toBe("Authorization_RequestDenied");
    });

    const ok = await call("PATCH", stepPath, {
      token: tAdmin,
      body: { reviewResult: "Approve", justification: "Ticket checked" },
    });
    expect(ok.status).toBe(204);
    const done = await call("GET", `${RAS}/${approvalId}`, { token: tAlex });
    expect(done.json.status).toBe("Provisioned");
    const again = await call("PATCH", stepPath, {
      token: tAdmin,
      body: { reviewResult: "Deny", justification: "late" },
    });
    expect(again.status).toBe(409); // already decided: the first decision wins
    expect(errorCode(again)).toBe("Conflict");
    const steps = await call("GET", `/roleManagement/directory/roleAssignmentApprovals/${approvalId}/steps`, {
      token: tAlex,
    });
    expect((steps.json.value as { reviewResult: string }[])[0]?.reviewResult).toBe("Approved");
  });

  it("cancel: only one's own pending request (403 for others), 204, then Graph's 400 (not cancelable)", async () => {
    env.ctx.clock.advance(minutes(10));
    await call("POST", RAS, {
      token: tAlex,
      body: {
        action: "selfDeactivate",
        principalId: alex.id,
        roleDefinitionId: USER_ADMINISTRATOR,
        directoryScopeId: "/",
      },
    });
    const req = await call("POST", RAS, { token: tAlex, body: activation(alex) });
    expect(req.json.status).toBe("PendingApproval");
    const id = String(req.json.id);
    await writesNothing(async () => {
      const r = await call("POST", `${RAS}/${id}/cancel`, { token: tSophia });
      expect(r.status).toBe(403);
      expect(errorCode(r)).toBe("Authorization_RequestDenied");
      expect(
        (await call("POST", `/roleManagement/directory/roleEligibilityScheduleRequests/${id}/cancel`, { token: tAlex }))
          .status,
      ).toBe(404);
    });
    expect((await call("POST", `${RAS}/${id}/cancel`, { token: tAlex })).status).toBe(204);
    expect((await call("GET", `${RAS}/${id}`, { token: tAlex })).json.status).toBe("Canceled");
    const twice = await call("POST", `${RAS}/${id}/cancel`, { token: tAlex });
    expect(twice.status).toBe(400);
    expect(errorCode(twice)).toBe("RoleAssignmentRequestNotCancelable");
  });

  it("a reader pages through every request with $top, @odata.nextLink and $count", async () => {
    const first = await call("GET", `${RAS}?$top=2&$count=true&$select=id,status`, { token: tReader });
    expect(first.status).toBe(200);
    const total = Number(first.json["@odata.count"]);
    expect(total).toBeGreaterThanOrEqual(5);
    const seen = [...(first.json.value as { id: string }[])];
    expect(Object.keys(seen[0] ?? {}).sort()).toEqual(["id", "status"]);
    let next = first.json["@odata.nextLink"] as string | undefined;
    while (next) {
      const page = await call("GET", next, { token: tReader });
      seen.push(...(page.json.value as { id: string }[]));
      next = page.json["@odata.nextLink"] as string | undefined;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((s) => s.id)).size).toBe(total);
  });
});

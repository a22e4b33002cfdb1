/**
 * Every use case that can refuse an actor writes its failure audit row (in its own transaction, since the
 * use case's rolled back): one row per use case below, each a real refusal on database state. A new file in
 * lib/pim/use-cases must get a row here or a reason in `notRefusable`.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { auditRows, count, pimWorld, T0, type PimWorld } from "@/test/fixtures/pim";
import type { TestUser } from "@/test/fixtures/directory";
import { minutes } from "@/test/db";
import type { Actor } from "@/lib/pim/context";
import { isPimError } from "@/lib/pim/errors";
import { HELPDESK_ADMINISTRATOR, SECURITY_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { activateRole } from "./activate-role";
import { assignRole } from "./assign-role";
import { cancelRequest } from "./cancel-request";
import { createApiToken } from "./create-api-token";
import { createServicePrincipal } from "./create-service-principal";
import { createServicePrincipalSecret } from "./create-service-principal-secret";
import { createUser } from "./create-user";
import { deactivateRole } from "./deactivate-role";
import { decideRequest } from "./decide-request";
import { extendAssignment } from "./extend-assignment";
import { removeAssignment } from "./remove-assignment";
import { renewAssignment } from "./renew-assignment";
import { requestExtension } from "./request-extension";
import { requestRenewal } from "./request-renewal";
import { resetUserMfa } from "./reset-user-mfa";
import { retryDeliveries } from "./retry-deliveries";
import { revokeApiToken } from "./revoke-api-token";
import { revokeServicePrincipalSecret } from "./revoke-service-principal-secret";
import { setServicePrincipalPermissions } from "./set-service-principal-permissions";
import { setUserEnabled } from "./set-user-enabled";
import { updateAssignment } from "./update-assignment";
import { updateRoleSettings } from "./update-role-settings";
import { createScimToken } from "./create-scim-token";
import { revokeScimToken } from "./revoke-scim-token";
import { provisionUser } from "./provision-user";
import { updateProvisionedUser } from "./update-provisioned-user";
import { deprovisionUser } from "./deprovision-user";
import { provisionGroup } from "./provision-group";
import { updateProvisionedGroup } from "./update-provisioned-group";
import { deprovisionGroup } from "./deprovision-group";
import { createWebhookEndpoint } from "./create-webhook-endpoint";
import { setWebhookEndpointEnabled } from "./manage-webhook-endpoint";
import { createAccessReview } from "./access-reviews";
import { acceptReviewRecommendations, recordReviewDecisions } from "./review-decisions";
import { stopAccessReviewSeries } from "./stop-review-series";
import { setPimManagers } from "./set-pim-managers";
import { refreshAlerts } from "./alerts";
import { makeEligible } from "./make-eligible";
import { manageGroup } from "./manage-group";
import { updatePimSettings } from "./update-pim-settings";
import { DEFAULT_PIM_SETTINGS } from "@/lib/validation/governance";

/** Use-case files with nothing an actor can be refused (so no failure row to write), and why. */
const notRefusable: Record<string, string> = {
  "expire-due": "the system's sweep: no actor, nothing to refuse",
  "mark-notifications-read": "only the actor's own notices change; other ids are ignored, never refused",
};

let w: PimWorld;
let nobody: TestUser; // signed in, MFA passed, holds no role
let sophia: TestUser; // eligible User Administrator; one activation just started, one pending request
let as: (u: TestUser) => Actor;
const ids = {} as {
  eligibility: string;
  activation: string;
  longAssignment: string;
  pendingRequest: string;
  servicePrincipal: string;
  secret: string;
  revokedToken: string;
};

beforeAll(async () => {
  w = await pimWorld();
  w.clock.set(T0);
  as = (u) => u.actor({ mfaAt: T0 });
  [nobody, sophia] = await w.d.users("Nobody Special", "Sophia Davis");
  const since = new Date(T0.getTime() - minutes(60 * 24));
  ids.eligibility = (await w.d.eligible(sophia, USER_ADMINISTRATOR, { start: since })).id;
  ids.activation = (
    await w.d.active(sophia, USER_ADMINISTRATOR, {
      start: new Date(T0.getTime() - minutes(1)),
      end: new Date(T0.getTime() + minutes(60)),
      assignmentType: "Activated",
      eligibilityScheduleId: ids.eligibility,
    })
  ).id;
  ids.longAssignment = (
    await w.d.active(sophia, HELPDESK_ADMINISTRATOR, {
      start: since,
      end: new Date(T0.getTime() + minutes(60 * 24 * 60)),
    })
  ).id;
  await w.d.eligible(sophia, SECURITY_ADMINISTRATOR, { start: since });
  await w.d.settings(SECURITY_ADMINISTRATOR, { approvalRequired: true });
  ids.pendingRequest = (
    await activateRole(w.ctx, as(sophia), {
      roleDefinitionId: SECURITY_ADMINISTRATOR,
      justification: "Review the alerts",
      durationMinutes: 60,
    })
  ).requestId;
  ids.servicePrincipal = (await createServicePrincipal(w.ctx, as(w.alice), { displayName: "Build agent" })).id;
  ids.secret = (
    await createServicePrincipalSecret(w.ctx, as(w.alice), {
      servicePrincipalId: ids.servicePrincipal,
      displayName: "ci",
      expiresInDays: 30,
      scopes: ["User.Read.All"],
    })
  ).id;
  const token = await createApiToken(w.ctx, as(w.alice), { name: "t", expiresInDays: 1, scopes: ["User.Read"] });
  ids.revokedToken = token.id;
  await revokeApiToken(w.ctx, as(w.alice), { tokenId: token.id });
});
afterAll(async () => w.h.drop());

/** A review in progress of User Administrator (Sophia's eligibility), reviewed by Alice: Nobody reviews nothing. */
const aReview = () =>
  createAccessReview(w.ctx, as(w.alice), {
    displayName: "Refusals",
    roleDefinitionIds: [USER_ADMINISTRATOR],
    assignmentKind: "eligible",
    stages: [{ reviewerType: "selected", reviewers: [{ type: "User", id: w.alice.id }], durationDays: 7 }],
    startDateTime: T0,
    recurrence: "monthly",
  });

type Case = { file: string; operation: string; refuse: () => Promise<unknown> };
const cases: Case[] = [
  {
    file: "review-decisions",
    operation: "accessReview.decide",
    refuse: async () =>
      recordReviewDecisions(w.ctx, as(nobody), {
        instanceId: (await aReview()).instanceId,
        decision: "Approve",
        justification: "All fine",
      }),
  },
  {
    file: "review-decisions",
    operation: "accessReview.acceptRecommendations",
    refuse: async () => acceptReviewRecommendations(w.ctx, as(nobody), { instanceId: (await aReview()).instanceId }),
  },
  {
    file: "set-pim-managers",
    operation: "pimSettings.managers",
    refuse: () =>
      setPimManagers(w.ctx, as(nobody), { pimManagers: "globalAdministratorsOnly", justification: "Take over" }),
  },
  {
    file: "stop-review-series",
    operation: "accessReview.stopSeries",
    refuse: async () => stopAccessReviewSeries(w.ctx, as(nobody), { definitionId: (await aReview()).definitionId }),
  },
  {
    file: "access-reviews",
    operation: "accessReview.create",
    refuse: () =>
      createAccessReview(w.ctx, as(nobody), {
        displayName: "Mine",
        roleDefinitionIds: [USER_ADMINISTRATOR],
        assignmentKind: "all",
        stages: [{ reviewerType: "self", reviewers: [], fallbackReviewers: [], durationDays: 7 }],
        startDateTime: T0,
      }),
  },
  {
    file: "alerts",
    operation: "alerts.refresh",
    refuse: () => refreshAlerts(w.ctx, as(nobody)),
  },
  {
    file: "manage-group",
    operation: "group.manage",
    refuse: async () => manageGroup(w.ctx, as(nobody), { groupId: (await w.d.group("Helpdesk Tier 2")).id }),
  },
  {
    file: "make-eligible",
    operation: "adminRemove",
    refuse: () => makeEligible(w.ctx, as(nobody), { scheduleId: ids.longAssignment, justification: "Standing access" }),
  },
  {
    file: "update-pim-settings",
    operation: "pimSettings.update",
    refuse: () => updatePimSettings(w.ctx, as(nobody), DEFAULT_PIM_SETTINGS),
  },
  {
    file: "activate-role",
    operation: "selfActivate",
    refuse: () => activateRole(w.ctx, as(nobody), { roleDefinitionId: USER_ADMINISTRATOR, justification: "x" }),
  },
  {
    file: "assign-role",
    operation: "adminAssign",
    refuse: () =>
      assignRole(w.ctx, as(nobody), {
        assignmentType: "Eligible",
        principalId: nobody.id,
        principalType: "User",
        roleDefinitionId: USER_ADMINISTRATOR,
        permanent: true,
        justification: "Self-service",
      }),
  },
  {
    file: "cancel-request",
    operation: "request.cancel",
    refuse: () => cancelRequest(w.ctx, as(nobody), { requestId: ids.pendingRequest }),
  },
  {
    file: "create-api-token",
    operation: "apiToken.create",
    refuse: async () =>
      createApiToken(
        w.ctx,
        { id: ids.servicePrincipal, type: "ServicePrincipal", displayName: "Build agent" },
        { name: "t", expiresInDays: 1, scopes: ["User.Read"] },
      ),
  },
  {
    file: "create-service-principal",
    operation: "servicePrincipal.create",
    refuse: () => createServicePrincipal(w.ctx, as(nobody), { displayName: "Shadow app" }),
  },
  {
    file: "create-service-principal-secret",
    operation: "servicePrincipalSecret.create",
    refuse: () =>
      createServicePrincipalSecret(w.ctx, as(nobody), {
        servicePrincipalId: ids.servicePrincipal,
        displayName: "mine",
        expiresInDays: 30,
        scopes: ["User.Read.All"],
      }),
  },
  {
    file: "create-user",
    operation: "user.create",
    refuse: () =>
      createUser(
        w.ctx,
        as(nobody),
        { displayName: "New Person", userPrincipalName: "new.person@contoso.test", password: "correct horse battery" },
        { hashPassword: async (p) => `hashed:${p}` },
      ),
  },
  {
    file: "deactivate-role",
    operation: "selfDeactivate",
    refuse: () => deactivateRole(w.ctx, as(sophia), { scheduleId: ids.activation }),
  },
  {
    file: "decide-request",
    operation: "request.approve",
    refuse: () =>
      decideRequest(w.ctx, as(sophia), { requestId: ids.pendingRequest, decision: "Approve", justification: "Mine" }),
  },
  {
    file: "extend-assignment",
    operation: "adminExtend",
    refuse: () =>
      extendAssignment(w.ctx, as(nobody), {
        kind: "eligibility",
        scheduleId: ids.eligibility,
        permanent: true,
        justification: "x",
      }),
  },
  {
    file: "remove-assignment",
    operation: "adminRemove",
    refuse: () =>
      removeAssignment(w.ctx, as(nobody), { kind: "eligibility", scheduleId: ids.eligibility, justification: "x" }),
  },
  {
    file: "renew-assignment",
    operation: "adminRenew",
    refuse: () =>
      renewAssignment(w.ctx, as(nobody), {
        kind: "eligibility",
        scheduleId: ids.eligibility,
        permanent: true,
        justification: "x",
      }),
  },
  {
    file: "request-extension",
    operation: "selfExtend",
    refuse: () =>
      requestExtension(w.ctx, as(sophia), {
        kind: "assignment",
        scheduleId: ids.longAssignment,
        endDateTime: new Date(T0.getTime() + minutes(60 * 24 * 90)),
        justification: "More time",
      }),
  },
  {
    file: "request-renewal",
    operation: "selfRenew",
    refuse: () =>
      requestRenewal(w.ctx, as(sophia), {
        kind: "eligibility",
        scheduleId: ids.eligibility,
        endDateTime: new Date(T0.getTime() + minutes(60 * 24 * 90)),
        justification: "Again",
      }),
  },
  {
    file: "reset-user-mfa",
    operation: "user.mfa.reset",
    refuse: () => resetUserMfa(w.ctx, as(nobody), { userId: sophia.id, justification: "Lost her phone" }),
  },
  {
    file: "retry-deliveries",
    operation: "notifications.retry",
    refuse: () => retryDeliveries(w.ctx, as(nobody), { ids: [ids.pendingRequest] }),
  },
  {
    file: "revoke-api-token",
    operation: "apiToken.revoke",
    refuse: () => revokeApiToken(w.ctx, as(w.alice), { tokenId: ids.revokedToken }),
  },
  {
    file: "revoke-service-principal-secret",
    operation: "servicePrincipalSecret.revoke",
    refuse: () => revokeServicePrincipalSecret(w.ctx, as(nobody), { secretId: ids.secret }),
  },
  {
    file: "set-service-principal-permissions",
    operation: "servicePrincipal.permissions",
    refuse: () =>
      setServicePrincipalPermissions(w.ctx, as(nobody), {
        servicePrincipalId: ids.servicePrincipal,
        permissions: ["RoleManagement.ReadWrite.Directory"],
      }),
  },
  {
    file: "set-user-enabled",
    operation: "user.disable",
    refuse: () =>
      setUserEnabled(w.ctx, as(nobody), { userId: sophia.id, enabled: false, justification: "Left the company" }),
  },
  {
    file: "update-assignment",
    operation: "adminUpdate",
    refuse: () =>
      updateAssignment(w.ctx, as(nobody), {
        kind: "eligibility",
        scheduleId: ids.eligibility,
        permanent: true,
        justification: "x",
      }),
  },
  // SCIM: only a provisioning application with a live SCIM token may provision; a person is refused
  {
    file: "provision-user",
    operation: "scim.user.create",
    refuse: () =>
      provisionUser(w.ctx, as(nobody), {
        userName: "shadow@contoso.test",
        externalId: null,
        displayName: null,
        givenName: null,
        familyName: null,
        email: null,
        title: null,
        department: null,
        managerId: null,
        active: true,
      }),
  },
  {
    file: "update-provisioned-user",
    operation: "scim.user.update",
    refuse: () => updateProvisionedUser(w.ctx, as(nobody), sophia.id, (c) => c),
  },
  {
    file: "deprovision-user",
    operation: "scim.user.delete",
    refuse: () => deprovisionUser(w.ctx, as(nobody), sophia.id),
  },
  {
    file: "provision-group",
    operation: "scim.group.create",
    refuse: () => provisionGroup(w.ctx, as(nobody), { displayName: "Shadow group", externalId: null, memberIds: [] }),
  },
  {
    file: "update-provisioned-group",
    operation: "scim.group.update",
    refuse: () => updateProvisionedGroup(w.ctx, as(nobody), ids.pendingRequest, []),
  },
  {
    file: "deprovision-group",
    operation: "scim.group.delete",
    refuse: () => deprovisionGroup(w.ctx, as(nobody), ids.pendingRequest),
  },
  {
    file: "create-scim-token",
    operation: "scim.token.create",
    refuse: () => createScimToken(w.ctx, as(nobody), { name: "Shadow IdP", expiresInDays: 90 }),
  },
  {
    file: "revoke-scim-token",
    operation: "scim.token.revoke",
    refuse: () => revokeScimToken(w.ctx, as(nobody), { tokenId: ids.pendingRequest }),
  },
  {
    file: "create-webhook-endpoint",
    operation: "webhook.create",
    refuse: () =>
      createWebhookEndpoint(
        w.ctx,
        as(nobody),
        { url: "https://hooks.example.test/pim", eventTypes: ["role.activated"] },
        { encrypt: (v) => v },
      ),
  },
  {
    file: "manage-webhook-endpoint",
    operation: "webhook.setEnabled",
    refuse: () => setWebhookEndpointEnabled(w.ctx, as(nobody), { endpointId: ids.pendingRequest, enabled: false }),
  },
  {
    file: "update-role-settings",
    operation: "roleSettings.update",
    refuse: () =>
      updateRoleSettings(w.ctx, as(nobody), { roleDefinitionId: USER_ADMINISTRATOR, activationRequireMfa: false }),
  },
];

describe("every refused use case writes its failure audit row", () => {
  it("covers every use case in lib/pim/use-cases", () => {
    const files = fs
      .readdirSync(path.join(process.cwd(), "lib/pim/use-cases"))
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    const covered = [...new Set([...cases.map((c) => c.file), ...Object.keys(notRefusable)])].sort();
    expect(covered).toEqual(files);
  });

  it.each(cases.map((c) => [`${c.file} (${c.operation})`, c] as const))("%s", async (_file, c) => {
    const failuresBefore = await count(w.ctx, sql`select count(*) as n from audit_events where result = 'failure'`);
    const err = await c.refuse().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPimError(err), `expected a refusal, got ${err === null ? "success" : String(err)}`).toBe(true);
    if (!isPimError(err)) return;
    const failures = (await auditRows(w.ctx, c.operation)).filter((r) => r.result === "failure");
    const row = failures.at(-1);
    expect(row, `no failure row for ${c.operation} after ${err.code}: ${err.message}`).toBeDefined();
    expect(row?.result_reason).toBe(`${err.code}: ${err.message}`);
    expect(row?.details).toMatchObject({ code: err.code });
    expect(await count(w.ctx, sql`select count(*) as n from audit_events where result = 'failure'`)).toBe(
      failuresBefore + 1,
    );
  });
});

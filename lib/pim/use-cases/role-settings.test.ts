import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditRows, pimWorld, rejects, type PimWorld } from "@/test/fixtures/pim";
import { HELPDESK_ADMINISTRATOR, SECURITY_READER, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { defaultNotificationSettings } from "@/lib/pim/notifications/settings";
import { getRoleSettings } from "@/lib/pim/role-settings";
import { updateRoleSettings } from "./update-role-settings";

let w: PimWorld;
beforeAll(async () => {
  w = await pimWorld();
});
afterAll(async () => w.h.drop());

describe("role settings", () => {
  it("defaults are Entra's when no row exists", async () => {
    const s = await getRoleSettings(w.h.db, "00000000-0000-4000-8000-000000000999");
    expect(s).toMatchObject({
      isDefault: true,
      activationMaxMinutes: 480,
      activationRequireMfa: false,
      activationRequireJustification: true,
      activationRequireTicket: false,
      approvalRequired: false,
      approvalStages: [],
      allowPermanentEligible: true,
      eligibleMaxDays: 365,
      allowPermanentActive: true,
      activeMaxDays: 180,
      activeRequireMfa: false,
      activeRequireJustification: true,
    });
    expect(s.notifications).toEqual(defaultNotificationSettings());
  });

  it("an admin updates every setting; the audit row carries before, after and the changed fields", async () => {
    const [dave] = await w.d.users("Dave Approver");
    const g = await w.d.group("Approvers");
    const notifications = defaultNotificationSettings();
    notifications.eligibleActivated.admin = {
      defaultRecipients: false,
      additionalRecipients: ["soc@contoso.test"],
      criticalOnly: true,
    };
    const input = {
      roleDefinitionId: USER_ADMINISTRATOR,
      activationMaxMinutes: 120,
      activationRequireMfa: true,
      activationRequireJustification: false,
      activationRequireTicket: true,
      approvalRequired: true,
      approvalStages: [
        {
          mode: "anyOne" as const,
          approvers: [
            { type: "User" as const, id: dave.id },
            { type: "Group" as const, id: g.id },
          ],
        },
        { mode: "nOfM" as const, required: 1, approvers: [{ type: "Group" as const, id: g.id }] },
      ],
      allowPermanentEligible: false,
      eligibleMaxDays: 90,
      allowPermanentActive: false,
      activeMaxDays: 30,
      activeRequireMfa: true,
      activeRequireJustification: false,
      notifications,
    };
    const s = await updateRoleSettings(w.ctx, w.bob.actor(), input);
    const expected: Partial<typeof input> = { ...input };
    delete expected.roleDefinitionId;
    expect(s).toMatchObject({ ...expected, isDefault: false, updatedBy: w.bob.id });
    expect(await getRoleSettings(w.h.db, USER_ADMINISTRATOR)).toMatchObject(expected);
    const [a] = (await auditRows(w.ctx, "roleSettings.update")).slice(-1);
    expect(a?.activity).toBe("Update role setting in PIM");
    expect((a?.details.before as { activationMaxMinutes: number }).activationMaxMinutes).toBe(480);
    expect((a?.details.after as { activationMaxMinutes: number }).activationMaxMinutes).toBe(120);
    expect(a?.details.changedFields).toContain("approvalStages");
    // patch semantics: one field changes, the rest stay
    const again = await updateRoleSettings(w.ctx, w.bob.actor(), {
      roleDefinitionId: USER_ADMINISTRATOR,
      activationMaxMinutes: 240,
    });
    expect(again).toMatchObject({ activationMaxMinutes: 240, eligibleMaxDays: 90, approvalRequired: true });
    const [b] = (await auditRows(w.ctx, "roleSettings.update")).slice(-1);
    expect(b?.details.changedFields).toEqual(["activationMaxMinutes"]);
  });

  it("a scope-specific policy overrides the directory one and starts from it", async () => {
    const ny = await w.d.administrativeUnit("New York Office");
    await updateRoleSettings(w.ctx, w.alice.actor(), {
      roleDefinitionId: HELPDESK_ADMINISTRATOR,
      activationMaxMinutes: 60,
    });
    await updateRoleSettings(w.ctx, w.alice.actor(), {
      roleDefinitionId: HELPDESK_ADMINISTRATOR,
      directoryScopeId: ny.scopeId,
      activationRequireMfa: true,
    });
    expect(await getRoleSettings(w.h.db, HELPDESK_ADMINISTRATOR, ny.scopeId)).toMatchObject({
      directoryScopeId: ny.scopeId,
      activationRequireMfa: true,
      activationMaxMinutes: 60,
    });
    expect(await getRoleSettings(w.h.db, HELPDESK_ADMINISTRATOR, "/")).toMatchObject({
      directoryScopeId: "/",
      activationRequireMfa: false,
    });
  });

  it("only GA/PRA now; validation names the field; unknown approvers are refused", async () => {
    const u = await w.d.user("Reader Person");
    await rejects(
      updateRoleSettings(w.ctx, u.actor(), { roleDefinitionId: SECURITY_READER, activationMaxMinutes: 60 }),
      "Forbidden",
    );
    const e = await rejects(
      updateRoleSettings(w.ctx, w.alice.actor(), { roleDefinitionId: SECURITY_READER, activationMaxMinutes: 1500 }),
      "ValidationFailed",
      /at most 24 hours/,
    );
    expect(e.fieldErrors?.activationMaxMinutes).toBeDefined();
    await rejects(
      updateRoleSettings(w.ctx, w.alice.actor(), {
        roleDefinitionId: SECURITY_READER,
        approvalStages: [{ mode: "nOfM", required: 3, approvers: [{ type: "User", id: u.id }] }],
      }),
      "ValidationFailed",
      /cannot need 3/,
    );
    await rejects(
      updateRoleSettings(w.ctx, w.alice.actor(), {
        roleDefinitionId: SECURITY_READER,
        approvalStages: [{ mode: "anyOne", approvers: [{ type: "User", id: "00000000-0000-4000-8000-00000000dead" }] }],
      }),
      "ValidationFailed",
      /does not exist/,
    );
  });
});

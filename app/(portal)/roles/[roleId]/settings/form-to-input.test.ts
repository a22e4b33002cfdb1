import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { roleSettings } from "@/db/schema";
import { pimWorld, T0, type PimWorld } from "@/test/fixtures/pim";
import { SECURITY_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { getRoleSettingsView } from "@/lib/pim/queries/role-settings-view";
import { updateRoleSettings } from "@/lib/pim/use-cases/update-role-settings";
import { settingsFormToInput } from "./form-to-input";
import { roleSettingsForm, type RoleSettingsFormIn } from "./schema";

let w: PimWorld;
beforeAll(async () => {
  w = await pimWorld();
  w.clock.set(T0);
});
afterAll(async () => w.h.drop());

/** The form's starting values as the settings page builds them from the read model. */
async function formFromView(): Promise<RoleSettingsFormIn> {
  const v = await getRoleSettingsView(w.ctx, w.alice.actor(), { roleDefinitionId: SECURITY_ADMINISTRATOR });
  const s = v!.settings;
  const line = (r: { additionalRecipients: string[]; defaultRecipients: boolean; criticalOnly: boolean }) => ({
    ...r,
    additionalRecipients: r.additionalRecipients.join(", "),
  });
  const matrix = (e: typeof s.notifications.eligibleAssigned) => ({
    admin: line(e.admin),
    assignee: line(e.assignee),
    approver: line(e.approver),
  });
  return {
    ...s,
    activationMaxHours: s.activationMaxMinutes / 60,
    notifications: {
      eligibleAssigned: matrix(s.notifications.eligibleAssigned),
      activeAssigned: matrix(s.notifications.activeAssigned),
      eligibleActivated: matrix(s.notifications.eligibleActivated),
    },
  };
}
const storedStages = async () =>
  (
    await w.h.db
      .select({ st: roleSettings.approvalStages })
      .from(roleSettings)
      .where(and(eq(roleSettings.roleDefinitionId, SECURITY_ADMINISTRATOR), eq(roleSettings.directoryScopeId, "/")))
  )[0]?.st;

describe("role settings form ↔ engine: approval stages keep their time to decide", () => {
  it("a stage's escalationHours set elsewhere (e.g. Graph) survives a save from the page, and the page can change it", async () => {
    const approver = await w.d.user("Stage Approver");
    await w.d.settings(SECURITY_ADMINISTRATOR, {
      approvalRequired: true,
      approvalStages: [{ mode: "anyOne", approvers: [{ type: "User", id: approver.id }], escalationHours: 6 }],
    });
    const form = await formFromView();
    expect(form.approvalStages.map((s) => s.escalationHours)).toEqual([6]);

    // saved unchanged from the page: still 6 (it used to be dropped, falling back to 24)
    await updateRoleSettings(
      w.ctx,
      w.alice.actor({ mfaAt: T0 }),
      settingsFormToInput(SECURITY_ADMINISTRATOR, roleSettingsForm.parse(form)),
    );
    expect((await storedStages())?.map((s) => s.escalationHours)).toEqual([6]);

    // changed in the page's number field (a string from the input)
    const edited = {
      ...form,
      approvalStages: form.approvalStages.map((s) => ({ ...s, escalationHours: "48" as unknown as number })),
    };
    await updateRoleSettings(
      w.ctx,
      w.alice.actor({ mfaAt: T0 }),
      settingsFormToInput(SECURITY_ADMINISTRATOR, roleSettingsForm.parse(edited)),
    );
    expect((await storedStages())?.map((s) => s.escalationHours)).toEqual([48]);
  });

  it("the field is checked: whole hours from 1 to 336", async () => {
    const form = await formFromView();
    for (const [bad, msg] of [
      ["", "At least 1 hour."],
      ["0", "At least 1 hour."],
      ["1.5", "Whole hours."],
      ["400", "At most 336 hours (14 days)."],
    ] as const) {
      const r = roleSettingsForm.safeParse({
        ...form,
        approvalStages: form.approvalStages.map((s) => ({ ...s, escalationHours: bad as unknown as number })),
      });
      expect(r.success, bad).toBe(false);
      expect(r.error?.issues.find((i) => i.path.join(".") === "approvalStages.0.escalationHours")?.message, bad).toBe(
        msg,
      );
    }
  });
});

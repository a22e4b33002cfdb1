import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { roleAssignmentSchedules, roleEligibilitySchedules } from "@/db/schema";
import { days } from "@/test/db";
import { auditRows, pimWorld, rejects, T0, type PimWorld } from "@/test/fixtures/pim";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { DEFAULT_PIM_SETTINGS } from "@/lib/validation/governance";
import { discoveryInsights } from "@/lib/pim/queries/discovery";
import { getPimSettings } from "@/lib/pim/queries/pim-settings";
import { makeEligible } from "@/lib/pim/use-cases/make-eligible";
import { updatePimSettings } from "@/lib/pim/use-cases/update-pim-settings";
import { countStatements } from "@/test/db";
import { runGovernanceJobs } from "./jobs";
import { senderWithName } from "./pim-settings";

let w: PimWorld;
afterEach(async () => w?.h.drop());
const ago = (ms: number) => new Date(T0.getTime() - ms);

describe("Discovery and insights", () => {
  it("lists Global Administrators, standing access and service principals with privileged roles, in a fixed number of statements", async () => {
    w = await pimWorld(); // Alice: permanent GA; Bob: permanent PRA
    const [carol, dave] = await w.d.users("Carol Standing", "Dave Eligible");
    await w.d.active(carol, USER_ADMINISTRATOR, { start: ago(days(40)) });
    await w.d.eligible(dave, GLOBAL_ADMINISTRATOR, { start: ago(days(40)) });
    const app = await w.d.servicePrincipal("Deploy Bot");
    await w.d.active(app, USER_ADMINISTRATOR, { start: ago(days(40)) });
    const { result: r, statements } = await countStatements(() => discoveryInsights(w.ctx, w.alice.actor()));
    expect(statements.length).toBeLessThanOrEqual(2); // the rights and one statement for the three views
    expect(r.globalAdmins.rows.map((x) => [x.principalName, x.kind])).toEqual([
      ["Alice Admin", "assignment"],
      ["Dave Eligible", "eligibility"],
    ]);
    expect(r.globalAdmins.bars.sort((a, b) => a.label.localeCompare(b.label))).toEqual([
      { label: "Eligible", n: 1 },
      { label: "Permanent active", n: 1 },
    ]);
    expect(r.standingAccess.rows.map((x) => x.principalName)).toEqual(["Alice Admin", "Bob Roles", "Carol Standing"]);
    expect(r.servicePrincipals.rows.map((x) => x.principalName)).toEqual(["Deploy Bot"]);
  });

  it("Make eligible ends the standing assignment and adds an eligibility in one audited change", async () => {
    w = await pimWorld();
    const carol = await w.d.user("Carol Standing");
    const s = await w.d.active(carol, USER_ADMINISTRATOR, { start: ago(days(40)) });
    const r = await makeEligible(w.ctx, w.alice.actor(), {
      scheduleId: s.id,
      justification: "Eliminate standing access",
    });
    const [old] = await w.h.db.select().from(roleAssignmentSchedules).where(eq(roleAssignmentSchedules.id, s.id));
    expect(old?.status).toBe("Revoked");
    const [e] = await w.h.db
      .select()
      .from(roleEligibilitySchedules)
      .where(eq(roleEligibilitySchedules.id, r.eligibilityId ?? ""));
    expect(e).toMatchObject({ principalId: carol.id, roleDefinitionId: USER_ADMINISTRATOR, endDateTime: null });
    const ops = (await auditRows(w.ctx)).filter((a) => a.target_id === carol.id).map((a) => a.operation);
    expect(ops).toEqual(["adminRemove", "adminAssign"]);
    expect(
      (await discoveryInsights(w.ctx, w.alice.actor())).standingAccess.rows.map((x) => x.principalName),
    ).not.toContain("Carol Standing");
  });

  it("a non-admin gets Forbidden from the insights and from Make eligible", async () => {
    w = await pimWorld();
    const [m, carol] = await w.d.users("Mallory Nobody", "Carol Standing");
    const s = await w.d.active(carol, USER_ADMINISTRATOR, { start: ago(days(40)) });
    await rejects(discoveryInsights(w.ctx, m.actor()), "Forbidden");
    await rejects(makeEligible(w.ctx, m.actor(), { scheduleId: s.id, justification: "x" }), "Forbidden");
  });
});

describe("PIM Settings", () => {
  it("saves audited settings that take effect: the alert evaluation interval and the sender name", async () => {
    w = await pimWorld();
    const saved = await updatePimSettings(w.ctx, w.alice.actor(), {
      ...DEFAULT_PIM_SETTINGS,
      notificationSenderName: "Contoso PIM",
      alertEvaluationMinutes: 60,
    });
    expect(saved.alertEvaluationMinutes).toBe(60);
    const a = (await auditRows(w.ctx, "pimSettings.update"))[0];
    expect(a?.details.settingsChanged).toEqual(["notificationSenderName", "alertEvaluationMinutes"]);
    const view = await getPimSettings(w.ctx, w.alice.actor());
    expect(view.settings.notificationSenderName).toBe("Contoso PIM");
    expect(view.managers.map((p) => p.name)).toEqual(["Alice Admin", "Bob Roles"]);
    expect((await runGovernanceJobs(w.ctx)).alerts.evaluated).toBe(true);
    w.clock.set(new Date(T0.getTime() + 30 * 60_000));
    expect((await runGovernanceJobs(w.ctx)).alerts.evaluated).toBe(false); // 30 min < 60
    w.clock.set(new Date(T0.getTime() + 61 * 60_000));
    expect((await runGovernanceJobs(w.ctx)).alerts.evaluated).toBe(true);
    expect(senderWithName("PIM <pim@contoso.test>", "Contoso PIM")).toBe('"Contoso PIM" <pim@contoso.test>');
    expect(senderWithName("pim@contoso.test", "")).toBe("pim@contoso.test");
  });

  it("refuses bad values with a message and nothing written; a non-admin gets Forbidden", async () => {
    w = await pimWorld();
    await rejects(
      updatePimSettings(w.ctx, w.alice.actor(), { ...DEFAULT_PIM_SETTINGS, alertEvaluationMinutes: 1 }),
      "ValidationFailed",
      /at least 5/,
    );
    const m = await w.d.user("Mallory Nobody");
    await rejects(updatePimSettings(w.ctx, m.actor(), DEFAULT_PIM_SETTINGS), "Forbidden");
    await rejects(getPimSettings(w.ctx, m.actor()), "Forbidden");
    expect(await auditRows(w.ctx, "pimSettings.update")).toEqual(
      expect.arrayContaining([expect.objectContaining({ result: "failure" })]),
    );
    expect((await getPimSettings(w.ctx, w.alice.actor())).settings).toEqual(
      expect.objectContaining({ alertEvaluationMinutes: 15 }),
    );
  });
});

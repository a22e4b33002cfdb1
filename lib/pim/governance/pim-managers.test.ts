import { afterEach, describe, expect, it } from "vitest";
import { auditRows, pimWorld, rejects, type PimWorld } from "@/test/fixtures/pim";
import { USER_ADMINISTRATOR, GLOBAL_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { DEFAULT_PIM_SETTINGS } from "@/lib/validation/governance";
import { isPimAdmin } from "@/lib/pim/authz";
import { pimAdmins } from "@/lib/pim/notifications/recipients";
import { getPimSettings } from "@/lib/pim/queries/pim-settings";
import { readRights } from "@/lib/pim/queries/read-scope";
import { assignRole } from "@/lib/pim/use-cases/assign-role";
import { setPimManagers } from "@/lib/pim/use-cases/set-pim-managers";
import { updatePimSettings } from "@/lib/pim/use-cases/update-pim-settings";

let w: PimWorld;
afterEach(async () => w?.h.drop());

const assignUa = (who: PimWorld["alice"], to: string) =>
  assignRole(w.ctx, who.actor(), {
    assignmentType: "Eligible",
    principalId: to,
    principalType: "User",
    roleDefinitionId: USER_ADMINISTRATOR,
    permanent: true,
    justification: "Helpdesk lead",
  });

describe("who manages PIM", () => {
  it("Privileged Role Administrators manage PIM by default; limited to Global Administrators they cannot; allowed again they can", async () => {
    w = await pimWorld(); // Alice: Global Administrator; Bob: Privileged Role Administrator
    const [carol, dave] = await w.d.users("Carol New", "Dave New");
    expect(await isPimAdmin(w.ctx, w.bob.actor())).toBe(true);
    await assignUa(w.bob, carol.id); // Bob manages PIM
    expect((await getPimSettings(w.ctx, w.alice.actor())).pimManagers).toBe("globalAndPrivilegedRoleAdministrators");

    expect(
      await setPimManagers(w.ctx, w.alice.actor(), {
        pimManagers: "globalAdministratorsOnly",
        justification: "Separation of duties",
      }),
    ).toEqual({ pimManagers: "globalAdministratorsOnly", changed: true });
    // Decided on database state, everywhere: the core's check, the read side's rights, the default approvers.
    expect(await isPimAdmin(w.ctx, w.bob.actor())).toBe(false);
    expect(await readRights(w.ctx, w.bob.actor())).toEqual({ reader: true, admin: false, groupOwner: false });
    expect((await pimAdmins(w.ctx.db, w.ctx.now())).map((p) => p.userId)).toEqual([w.alice.id]);
    await rejects(assignUa(w.bob, dave.id), "Forbidden");
    await rejects(updatePimSettings(w.ctx, w.bob.actor(), DEFAULT_PIM_SETTINGS), "Forbidden");
    // Alice (GA) still manages; saving the other settings keeps the choice.
    await assignUa(w.alice, dave.id);
    await updatePimSettings(w.ctx, w.alice.actor(), { ...DEFAULT_PIM_SETTINGS, defaultReviewDurationDays: 20 });
    const s = await getPimSettings(w.ctx, w.alice.actor());
    expect(s.pimManagers).toBe("globalAdministratorsOnly");
    expect(s.settings.defaultReviewDurationDays).toBe(20);
    expect(s.managers.map((m) => m.name)).toEqual(["Alice Admin"]);

    await setPimManagers(w.ctx, w.alice.actor(), {
      pimManagers: "globalAndPrivilegedRoleAdministrators",
      justification: "Back to Entra's rule",
    });
    expect(await isPimAdmin(w.ctx, w.bob.actor())).toBe(true);
    const audit = (await auditRows(w.ctx, "pimSettings.managers")).filter((a) => a.result === "success");
    expect(audit.map((a) => [a.actor_id, a.details.before, a.details.after])).toEqual([
      [w.alice.id, "globalAndPrivilegedRoleAdministrators", "globalAdministratorsOnly"],
      [w.alice.id, "globalAdministratorsOnly", "globalAndPrivilegedRoleAdministrators"],
    ]);
  });

  it("lockout protection: a Privileged Role Administrator cannot take away their own rights; others cannot change it at all; bad input writes nothing", async () => {
    w = await pimWorld();
    const [nobody, graceGa] = await w.d.users("Nobody Special", "Grace Group");
    await rejects(
      setPimManagers(w.ctx, w.bob.actor(), { pimManagers: "globalAdministratorsOnly", justification: "Tidy up" }),
      "LockoutProtection",
    );
    await rejects(
      setPimManagers(w.ctx, nobody.actor(), { pimManagers: "globalAdministratorsOnly", justification: "Mine" }),
      "Forbidden",
    );
    await rejects(
      setPimManagers(w.ctx, w.alice.actor(), { pimManagers: "everyone" as never, justification: "x" }),
      "ValidationFailed",
    );
    await rejects(
      setPimManagers(w.ctx, w.alice.actor(), { pimManagers: "globalAdministratorsOnly", justification: " " }),
      "ValidationFailed",
    );
    expect(await isPimAdmin(w.ctx, w.bob.actor())).toBe(true);
    expect((await getPimSettings(w.ctx, w.alice.actor())).pimManagers).toBe("globalAndPrivilegedRoleAdministrators");
    const failures = (await auditRows(w.ctx, "pimSettings.managers")).map((a) => [a.result, a.actor_id]);
    expect(failures).toEqual([
      ["failure", w.bob.id],
      ["failure", nobody.id],
    ]);
    // A Global Administrator through a group may narrow it (they keep their rights).
    const admins = await w.d.group("Tenant admins", [graceGa]);
    await w.d.active(admins, GLOBAL_ADMINISTRATOR, { start: w.since });
    await setPimManagers(w.ctx, graceGa.actor(), { pimManagers: "globalAdministratorsOnly", justification: "SoD" });
    expect(await isPimAdmin(w.ctx, graceGa.actor())).toBe(true);
    expect(await isPimAdmin(w.ctx, w.bob.actor())).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTHENTICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { activateRole } from "@/lib/pim/use-cases/activate-role";
import { assignRole } from "@/lib/pim/use-cases/assign-role";
import { manageGroup } from "@/lib/pim/use-cases/manage-group";
import { days, hours } from "@/test/db";
import type { TestUser } from "@/test/fixtures/directory";
import { call, errorCode, setupApi, tokenFor } from "./harness";

let env: Awaited<ReturnType<typeof setupApi>>;
let grace: TestUser;
let alex: TestUser;
let groupId: string;
let tAlex: string;
let memberDefinitionId: string;
beforeAll(async () => {
  env = await setupApi();
  [grace, alex] = await env.d.users("Grace Taylor", "Alex Wilber");
  const since = new Date(env.ctx.now().getTime() - days(1));
  await env.d.active(grace, GLOBAL_ADMINISTRATOR, { start: since });
  const g = await env.d.group("Helpdesk Tier 2");
  groupId = g.id;
  await env.d.active(g, AUTHENTICATION_ADMINISTRATOR, { start: since });
  const m = await manageGroup(env.ctx, grace.actor(), { groupId });
  memberDefinitionId = m.memberDefinitionId;
  await assignRole(env.ctx, grace.actor(), {
    assignmentType: "Eligible",
    principalId: alex.id,
    principalType: "User",
    roleDefinitionId: m.memberDefinitionId,
    endDateTime: new Date(env.ctx.now().getTime() + days(30)),
    justification: "rota",
  });
  await activateRole(env.ctx, alex.actor({ mfaAt: env.ctx.now() }), {
    roleDefinitionId: m.memberDefinitionId,
    durationMinutes: 60,
    justification: "night shift",
  });
  tAlex = await tokenFor(env.ctx, alex);
});
afterAll(async () => env.handle.drop());

describe("GET /api/v1/access/check with groupId and accessId", () => {
  it("answers membership and ownership at this instant, and the inherited role with it", async () => {
    const member = await call("GET", `/api/v1/access/check?principalId=${alex.id}&groupId=${groupId}&accessId=member`, {
      token: tAlex,
    });
    expect(member.status).toBe(200);
    const end = new Date(env.ctx.now().getTime() + hours(1)).toISOString().replace(".000Z", "Z");
    expect(member.json).toMatchObject({
      allowed: true,
      grantedBy: [{ groupId, accessId: "member", assignmentType: "Activated", endDateTime: end }],
      until: end,
    });
    const owner = await call("GET", `/api/v1/access/check?principalId=${alex.id}&groupId=${groupId}&accessId=owner`, {
      token: tAlex,
    });
    expect(owner.json).toMatchObject({ allowed: false, grantedBy: [], until: null });
    const role = `/api/v1/access/check?principalId=${alex.id}&roleDefinitionId=${AUTHENTICATION_ADMINISTRATOR}`;
    expect((await call("GET", role, { token: tAlex })).json).toMatchObject({
      allowed: true,
      grantedBy: [{ memberType: "Group", viaGroupId: groupId }],
    });

    env.ctx.clock.advance(hours(1));
    const later = await call("GET", `/api/v1/access/check?principalId=${alex.id}&groupId=${groupId}&accessId=member`, {
      token: tAlex,
    });
    expect(later.json).toMatchObject({ allowed: false, grantedBy: [] });
    expect((await call("GET", role, { token: tAlex })).json).toMatchObject({ allowed: false });
    env.ctx.clock.advance(-hours(1));
  });

  it("bad group questions are 400 with Graph's error shape; another person's needs a reader role", async () => {
    for (const q of [`groupId=${groupId}&accessId=admin`, `groupId=nope&accessId=member`, `accessId=member`]) {
      const r = await call("GET", `/api/v1/access/check?principalId=${alex.id}&${q}`, { token: tAlex });
      expect(r.status).toBe(400);
      errorCode(r);
    }
    const r = await call("GET", `/api/v1/access/check?principalId=${grace.id}&groupId=${groupId}&accessId=member`, {
      token: tAlex,
    });
    expect(r.status).toBe(403);
  });

  it("Graph's roleDefinitions leave the group's access definitions out", async () => {
    const tGrace = await tokenFor(env.ctx, grace);
    const list = await call("GET", "/roleManagement/directory/roleDefinitions?$top=999&$count=true", {
      token: tGrace,
    });
    expect(list.status).toBe(200);
    const ids = (list.json.value as { id: string }[]).map((r) => r.id);
    expect(ids).toContain(AUTHENTICATION_ADMINISTRATOR);
    expect(ids).not.toContain(memberDefinitionId);
    expect(list.json["@odata.count"]).toBe(ids.length);
    const one = await call("GET", `/roleManagement/directory/roleDefinitions/${memberDefinitionId}`, { token: tGrace });
    expect(one.status).toBe(404);
  });
});

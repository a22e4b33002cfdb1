import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { approvalDecisions, notifications, roleAssignmentSchedules } from "@/db/schema";
import { createTestDb, hours } from "@/test/db";
import { USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { emitNotification } from "@/lib/pim/notifications/emit";
import type { NotificationEvent } from "@/lib/pim/notifications/events";
import { publicBaseUrl } from "@/lib/notify/public-url";
import { activation, eligibility, ids, outbox, pendingRequest, seedPeople } from "@/test/fixtures/notifications";

const t0 = new Date("2026-11-22T09:00:00Z");
let h: Awaited<ReturnType<typeof createTestDb>>;

beforeAll(async () => {
  h = await createTestDb();
  await seedPeople(h.db, t0);
});
afterAll(async () => h.drop());
beforeEach(async () => {
  await h.db.delete(notifications);
});

/** The portal page a link's path names exists in app/(portal) (a route, not a 404). */
function portalPageExists(link: string): boolean {
  const p = new URL(link, "http://x").pathname.replace(/^\//, "");
  return fs.existsSync(path.join(process.cwd(), "app", "(portal)", p, "page.tsx"));
}

async function linksFor(event: NotificationEvent): Promise<Record<string, string | null>> {
  await h.db.transaction((tx) => emitNotification(tx, t0, event));
  const rows = await outbox(h.db);
  const base = publicBaseUrl();
  for (const r of rows) {
    // The email carries the same page as the portal notice, as an absolute link in both bodies.
    expect(r.link, r.subject).toMatch(/^\/[a-z-]+(\?|$)/);
    expect(portalPageExists(r.link!), r.link!).toBe(true);
    expect(r.bodyText).toContain(`${base}${r.link}`);
    expect(r.bodyHtml).toContain(`href="${`${base}${r.link}`.replace(/&/g, "&amp;")}"`);
  }
  return Object.fromEntries(rows.map((r) => [r.recipientUserId ?? r.recipientEmail ?? "?", r.link]));
}

describe("each notice links to the page that acts on it", () => {
  it("assigned eligible / active: My roles on that tab; admins: Assignments searching for the member", async () => {
    const e = await eligibility(h.db, t0, ids.carol, new Date(t0.getTime() + hours(24 * 30)));
    expect(await linksFor({ type: "eligibleAssigned", scheduleId: e.id, requestId: null })).toEqual({
      [ids.carol]: "/my-roles?tab=eligible",
      [ids.alice]: "/assignments?tab=eligible&q=Carol+User",
      [ids.bob]: "/assignments?tab=eligible&q=Carol+User",
    });
    await h.db.delete(notifications);
    const [a] = await h.db
      .insert(roleAssignmentSchedules)
      .values({
        principalId: ids.carol,
        principalType: "User",
        roleDefinitionId: USER_ADMINISTRATOR,
        assignmentType: "Assigned",
        startDateTime: t0,
        endDateTime: new Date(t0.getTime() + hours(48)),
      })
      .returning();
    expect(await linksFor({ type: "activeAssigned", scheduleId: a!.id, requestId: null })).toMatchObject({
      [ids.carol]: "/my-roles?tab=active",
      [ids.alice]: "/assignments?tab=active&q=Carol+User",
    });
  });

  it("awaiting approval and canceled: Approve requests; approved: My roles › Active; denied: My requests; timed out: My roles", async () => {
    const stages = [
      {
        mode: "anyOne" as const,
        approvers: [
          { type: "User" as const, id: ids.dave },
          { type: "Group" as const, id: ids.approvers },
        ],
      },
    ];
    const r = await pendingRequest(h.db, t0, stages);
    const approve = `/approve-requests?request=${r.id}`;
    expect(await linksFor({ type: "activationPendingApproval", requestId: r.id })).toEqual({
      [ids.dave]: approve,
      [ids.erin]: approve,
    });
    await h.db.delete(notifications);
    expect(await linksFor({ type: "requestCanceled", requestId: r.id })).toMatchObject({ [ids.dave]: approve });

    await h.db.delete(notifications);
    await h.db
      .insert(approvalDecisions)
      .values({ requestId: r.id, stage: 0, approverId: ids.dave, decision: "Approve", justification: "ok" });
    expect(await linksFor({ type: "requestApproved", requestId: r.id, approverId: ids.dave })).toEqual({
      [ids.carol]: "/my-roles?tab=active",
      [ids.erin]: approve,
    });
    await h.db.delete(notifications);
    expect(await linksFor({ type: "requestDenied", requestId: r.id, approverId: ids.dave })).toMatchObject({
      [ids.carol]: "/pending-requests",
    });
    await h.db.delete(notifications);
    expect(await linksFor({ type: "requestTimedOut", requestId: r.id })).toEqual({
      [ids.carol]: "/my-roles?tab=eligible",
    });
  });

  it("activated: the holder's My roles › Active, admins' Assignments; expiring: My roles on the tab; expired and removed: My roles › Expired", async () => {
    const a = await activation(h.db, t0, new Date(t0.getTime() + hours(4)));
    expect(await linksFor({ type: "roleActivated", scheduleId: a.id, requestId: null })).toEqual({
      [ids.carol]: "/my-roles?tab=active",
      [ids.alice]: "/assignments?tab=active&q=Carol+User",
      [ids.bob]: "/assignments?tab=active&q=Carol+User",
    });
    await h.db.delete(notifications);
    expect(await linksFor({ type: "expiringSoon", kind: "assignment", scheduleId: a.id, days: 1 })).toEqual({
      [ids.carol]: "/my-roles?tab=active",
    });
    const e = await eligibility(h.db, t0, ids.carol, new Date(t0.getTime() + hours(24 * 10)));
    await h.db.delete(notifications);
    expect(await linksFor({ type: "expiringSoon", kind: "eligibility", scheduleId: e.id, days: 14 })).toEqual({
      [ids.carol]: "/my-roles?tab=eligible",
    });
    await h.db.delete(notifications);
    expect(await linksFor({ type: "expired", kind: "assignment", scheduleId: a.id })).toEqual({
      [ids.carol]: "/my-roles?tab=expired",
    });
    await h.db.delete(notifications);
    expect(
      await linksFor({ type: "assignmentRemoved", kind: "eligibility", scheduleId: e.id, requestId: null }),
    ).toEqual({ [ids.carol]: "/my-roles?tab=expired" });
  });
});

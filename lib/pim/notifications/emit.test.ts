import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { approvalDecisions, notifications, roleAssignmentSchedules } from "@/db/schema";
import { createTestDb, days, hours } from "@/test/db";
import { USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { emitNotification } from "./emit";
import { defaultNotificationSettings } from "./settings";
import {
  activation,
  eligibility,
  email,
  ids,
  outbox,
  pendingRequest,
  seedPeople,
  setNotificationSettings,
} from "@/test/fixtures/notifications";

const now = new Date("2026-11-22T09:00:00Z");
let h: Awaited<ReturnType<typeof createTestDb>>;

beforeAll(async () => {
  h = await createTestDb();
  await seedPeople(h.db, now);
});
afterAll(async () => h.drop());
beforeEach(async () => {
  await h.db.delete(notifications);
  await setNotificationSettings(h.db, USER_ADMINISTRATOR, null);
});

/** recipient → subject, for compact assertions. */
const byRecipient = (rows: (typeof notifications.$inferSelect)[]) =>
  Object.fromEntries(rows.map((r) => [r.recipientUserId ?? `mail:${r.recipientEmail}`, r]));

describe("emitNotification", () => {
  it("assigned eligible: the assignee and the admins (GA, PRA) are told, each once", async () => {
    const e = await eligibility(h.db, now, ids.carol, new Date(now.getTime() + days(90)));
    await h.db.transaction((tx) =>
      emitNotification(tx, now, { type: "eligibleAssigned", scheduleId: e.id, requestId: null }),
    );
    const rows = byRecipient(await outbox(h.db));
    expect(Object.keys(rows).sort()).toEqual([ids.alice, ids.bob, ids.carol].sort());
    expect(rows[ids.carol]?.subject).toBe("PIM: You are assigned as eligible to User Administrator");
    expect(rows[ids.carol]?.recipientEmail).toBe(email("carol"));
    expect(rows[ids.carol]?.link).toBe("/my-roles?tab=eligible");
    expect(rows[ids.alice]?.subject).toBe("PIM: Carol User was assigned as eligible to User Administrator");
    expect(rows[ids.alice]?.status).toBe("pending");
    expect(rows[ids.alice]?.link).toBe("/assignments?tab=eligible&q=Carol+User");
    expect(rows[ids.carol]?.bodyHtml).toContain("http://localhost:3000/my-roles?tab=eligible");
  });

  it("awaiting approval: named approvers (user + group members) get the Approve requests link, never the requester", async () => {
    const r = await pendingRequest(h.db, now, [
      {
        mode: "anyOne",
        approvers: [
          { type: "User", id: ids.dave },
          { type: "Group", id: ids.approvers },
          { type: "User", id: ids.carol },
        ],
      },
    ]);
    await h.db.transaction((tx) => emitNotification(tx, now, { type: "activationPendingApproval", requestId: r.id }));
    const rows = await outbox(h.db);
    expect(rows.map((x) => x.recipientUserId).sort()).toEqual([ids.dave, ids.erin].sort());
    for (const row of rows) {
      expect(row.link).toBe(`/approve-requests?request=${r.id}`);
      expect(row.requestId).toBe(r.id);
      expect(row.bodyText).toContain("INC-42");
      expect(row.bodyText).toContain("2026-11-22 13:00 UTC"); // start + PT4H
      expect(row.bodyHtml).toContain("&lt;b&gt;now&lt;/b&gt;");
    }
  });

  it("awaiting approval with no named approvers: the GA and PRA holders approve", async () => {
    const r = await pendingRequest(h.db, now, []);
    await h.db.transaction((tx) => emitNotification(tx, now, { type: "activationPendingApproval", requestId: r.id }));
    expect((await outbox(h.db)).map((x) => x.recipientUserId).sort()).toEqual([ids.alice, ids.bob].sort());
  });

  it("approved: the requester hears the decision, the other approvers that it was decided by X", async () => {
    const r = await pendingRequest(h.db, now, [
      {
        mode: "anyOne",
        approvers: [
          { type: "User", id: ids.dave },
          { type: "Group", id: ids.approvers },
        ],
      },
    ]);
    await h.db
      .insert(approvalDecisions)
      .values({ requestId: r.id, stage: 0, approverId: ids.dave, decision: "Approve", justification: "Looks fine" });
    await h.db.transaction((tx) =>
      emitNotification(tx, now, { type: "requestApproved", requestId: r.id, approverId: ids.dave }),
    );
    const rows = byRecipient(await outbox(h.db));
    expect(Object.keys(rows).sort()).toEqual([ids.carol, ids.erin].sort());
    expect(rows[ids.carol]?.subject).toBe("PIM: Your request for User Administrator was approved");
    expect(rows[ids.carol]?.bodyText).toContain("Looks fine");
    expect(rows[ids.erin]?.subject).toBe(
      "PIM: Request by Carol User for User Administrator was approved by Dave Approver",
    );
  });

  it("denied and timed out reach the requester", async () => {
    const r = await pendingRequest(h.db, now, []);
    await h.db
      .insert(approvalDecisions)
      .values({ requestId: r.id, stage: 0, approverId: ids.alice, decision: "Deny", justification: "No ticket" });
    await h.db.transaction(async (tx) => {
      await emitNotification(tx, now, { type: "requestDenied", requestId: r.id, approverId: ids.alice });
      await emitNotification(tx, now, { type: "requestTimedOut", requestId: r.id });
    });
    const rows = await outbox(h.db);
    const carol = rows
      .filter((x) => x.recipientUserId === ids.carol)
      .map((x) => x.subject)
      .sort();
    expect(carol).toEqual([
      "PIM: Your request for User Administrator expired without a decision",
      "PIM: Your request for User Administrator was denied",
    ]);
    // the other default approver (PRA) learns that Alice decided
    expect(rows.find((x) => x.recipientUserId === ids.bob)?.subject).toContain("was denied by Alice Admin");
  });

  it("role activated: admins are alerted and the holder is told", async () => {
    const a = await activation(h.db, now, new Date(now.getTime() + hours(4)));
    await h.db.transaction((tx) =>
      emitNotification(tx, now, { type: "roleActivated", scheduleId: a.id, requestId: null }),
    );
    const rows = byRecipient(await outbox(h.db));
    expect(rows[ids.alice]?.subject).toBe("PIM: Carol User activated User Administrator");
    expect(rows[ids.bob]?.subject).toBe("PIM: Carol User activated User Administrator");
    expect(rows[ids.carol]?.subject).toBe("PIM: Your User Administrator role is active");
  });

  it("expiring soon is queued once per reminder, expired and removed reach the holder", async () => {
    const a = await activation(h.db, now, new Date(now.getTime() + hours(4)));
    await h.db.transaction(async (tx) => {
      await emitNotification(tx, now, { type: "expiringSoon", kind: "assignment", scheduleId: a.id, days: 1 });
      await emitNotification(tx, now, { type: "expiringSoon", kind: "assignment", scheduleId: a.id, days: 1 });
    });
    await h.db.transaction((tx) =>
      emitNotification(tx, now, { type: "expiringSoon", kind: "assignment", scheduleId: a.id, days: 1 }),
    );
    await h.db.transaction(async (tx) => {
      await emitNotification(tx, now, { type: "expired", kind: "assignment", scheduleId: a.id });
      await emitNotification(tx, now, {
        type: "assignmentRemoved",
        kind: "assignment",
        scheduleId: a.id,
        requestId: null,
      });
    });
    const rows = await outbox(h.db);
    expect(rows.map((r) => [r.recipientUserId, r.subject]).sort()).toEqual([
      [ids.carol, "PIM: Your active User Administrator assignment expires in 1 day"],
      [ids.carol, "PIM: Your active User Administrator assignment has expired"],
      [ids.carol, "PIM: Your active User Administrator assignment was removed"],
    ]);
  });

  it("follows the matrix: default recipients off → portal only; additional recipients by email; critical only", async () => {
    const s = defaultNotificationSettings();
    s.eligibleActivated.admin = {
      defaultRecipients: false,
      additionalRecipients: ["soc@contoso.test", "ALICE@contoso.test"],
      criticalOnly: false,
    };
    s.eligibleActivated.assignee = {
      defaultRecipients: true,
      additionalRecipients: ["audit@contoso.test"],
      criticalOnly: true,
    };
    await setNotificationSettings(h.db, USER_ADMINISTRATOR, s);
    const a = await activation(h.db, now, new Date(now.getTime() + hours(4)));
    await h.db.transaction((tx) =>
      emitNotification(tx, now, { type: "roleActivated", scheduleId: a.id, requestId: null }),
    );
    const rows = byRecipient(await outbox(h.db));
    // holder: critical only and "activated" is not critical → in the portal, no email, no additional recipient
    expect(rows[ids.carol]).toMatchObject({ recipientEmail: null, status: "skipped" });
    expect(rows["mail:audit@contoso.test"]).toBeUndefined();
    // admins: default recipients off → portal only; additional addresses get email-only rows
    expect(rows[ids.alice]).toMatchObject({ recipientEmail: null, status: "skipped" });
    expect(rows["mail:soc@contoso.test"]).toMatchObject({ recipientUserId: null, status: "pending" });
    expect(rows["mail:ALICE@contoso.test"]).toMatchObject({ recipientUserId: null, status: "pending" });
  });

  it("writes nothing when the caller's transaction rolls back", async () => {
    const a = await activation(h.db, now, new Date(now.getTime() + hours(4)));
    await expect(
      h.db.transaction(async (tx) => {
        await emitNotification(tx, now, { type: "roleActivated", scheduleId: a.id, requestId: null });
        throw new Error("use case failed");
      }),
    ).rejects.toThrow("use case failed");
    expect(await outbox(h.db)).toHaveLength(0);
  });

  it("a group assignment notifies the group's members", async () => {
    const [g] = await h.db
      .insert(roleAssignmentSchedules)
      .values({
        principalId: ids.approvers,
        principalType: "Group",
        roleDefinitionId: USER_ADMINISTRATOR,
        assignmentType: "Assigned",
        startDateTime: now,
      })
      .returning();
    await h.db.transaction((tx) =>
      emitNotification(tx, now, { type: "activeAssigned", scheduleId: g!.id, requestId: null }),
    );
    const rows = byRecipient(await outbox(h.db));
    expect(rows[ids.erin]?.subject).toBe("PIM: You are assigned as active to User Administrator");
    const [{ n }] = (await h.db.select({ n: sql<number>`count(*)::int` }).from(notifications)) as [{ n: number }];
    expect(n).toBe(3); // erin + alice + bob
  });
});

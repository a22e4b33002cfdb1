/**
 * The set-based fan-out (notice-insert.ts) writes exactly the notices `noticeRows` renders one by one in Node:
 * same recipients (first audience wins, disabled and excluded people left out, additional addresses once),
 * same email and status, same subject, text and HTML to the character, including the greeting of names that
 * need trimming, one-lining and HTML escaping.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { groupMembers, groups, notifications, roleAssignmentSchedules, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { createTestDb, hours } from "@/test/db";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import {
  activation,
  eligibility,
  ids,
  pendingRequest,
  seedPeople,
  setNotificationSettings,
  TEST_BASE_URL,
} from "@/test/fixtures/notifications";
import { insertEventNotices, noticeRows } from "./emit";
import type { NotificationEvent } from "./events";
import { emailsInSql, greetingsInSql } from "./notice-insert";
import { toPerson } from "./recipients";
import { defaultNotificationSettings } from "./settings";
import { escapeHtml, renderNotice, renderNoticeParts } from "./templates";
import { noticeColumns } from "./notice-body";

const now = new Date("2026-11-22T09:00:00Z");
let h: Awaited<ReturnType<typeof createTestDb>>;

const odd = {
  weird: "00000000-0000-4000-c000-000000000001", // GA through a group; a name to trim, one-line and escape
  nomail: "00000000-0000-4000-c000-000000000002", // GA, no address that looks like an email
  disabled: "00000000-0000-4000-c000-000000000003", // GA, account disabled: no notice
  spaces: "00000000-0000-4000-c000-000000000004", // GA through the group, a name of white space only
  adminGroup: "00000000-0000-4000-c000-0000000000a1",
};

beforeAll(async () => {
  h = await createTestDb();
  await seedPeople(h.db, now);
  await h.db.insert(users).values([
    {
      id: odd.weird,
      displayName: "\u00a0 <Zoë> & \"Ops\" 'Team'\r\n second line \u3000",
      userPrincipalName: "weird@contoso.test",
      mail: "not an email",
    },
    { id: odd.nomail, displayName: "No Mail", userPrincipalName: "nomail", mail: null },
    { id: odd.disabled, displayName: "Disabled Admin", userPrincipalName: "off@contoso.test", accountEnabled: false },
    { id: odd.spaces, displayName: " \t ", userPrincipalName: "spaces@contoso.test", mail: "SPACES@contoso.test" },
  ]);
  await h.db.insert(groups).values({ id: odd.adminGroup, displayName: "Admins" });
  // Carol (the holder of the activations below) is an admin through the group too: she must get one notice.
  await h.db.insert(groupMembers).values([
    { groupId: odd.adminGroup, userId: odd.weird },
    { groupId: odd.adminGroup, userId: odd.spaces },
    { groupId: odd.adminGroup, userId: ids.carol },
    { groupId: odd.adminGroup, userId: odd.disabled },
  ]);
  const since = new Date(now.getTime() - hours(48));
  await h.db.insert(roleAssignmentSchedules).values(
    [
      { principalId: odd.adminGroup, principalType: "Group" as const },
      { principalId: odd.nomail, principalType: "User" as const },
      { principalId: odd.disabled, principalType: "User" as const },
    ].map((p) => ({
      ...p,
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      assignmentType: "Assigned" as const,
      startDateTime: since,
    })),
  );
});
afterAll(async () => h.drop());
beforeEach(async () => {
  await h.db.delete(notifications);
  await setNotificationSettings(h.db, USER_ADMINISTRATOR, null);
});

const NAMES = [
  "Carol User",
  "",
  null,
  " \t ",
  " Ann\r\nLee ",
  "<b>&\"'x</b>",
  "\u00a0Zoë\u3000",
  "a\u2028b\u2029",
  "\ufefftab\tname\v",
  "x\r\r\n\ny",
];

const comparable = (r: typeof notifications.$inferInsert) => ({
  createdAt: new Date(r.createdAt ?? 0).toISOString(),
  eventType: r.eventType,
  recipientUserId: r.recipientUserId ?? null,
  recipientEmail: r.recipientEmail ?? null,
  subject: r.subject,
  bodyText: r.bodyText,
  bodyHtml: r.bodyHtml,
  link: r.link ?? null,
  requestId: r.requestId ?? null,
  status: r.status ?? "pending",
  nextAttemptAt: new Date(r.nextAttemptAt ?? 0).toISOString(),
  dedupeKey: r.dedupeKey ?? null,
});
const byKey = (rows: ReturnType<typeof comparable>[]) =>
  [...rows].sort((a, b) => (a.dedupeKey ?? "").localeCompare(b.dedupeKey ?? ""));

/** The event's notices both ways, in one transaction: rendered in Node, then inserted set-based. */
async function bothWays(event: NotificationEvent) {
  return h.db.transaction(async (tx: Db) => {
    const expected = byKey((await noticeRows(tx, now, event, TEST_BASE_URL)).map(comparable));
    const inserted = await insertEventNotices(tx, now, event, TEST_BASE_URL);
    // as the reader sees them: a fan-out's notices keep their greeting, their audience's body is stored once
    const written = byKey((await tx.select(noticeColumns).from(notifications)).map(comparable));
    await tx.delete(notifications);
    return { expected, written, inserted };
  });
}

describe("the set-based fan-out", () => {
  it("fills in the greeting as renderNotice writes it, for names that need trimming, one-lining and escaping", async () => {
    const details = { principalName: "P", roleName: "R", scopeName: "S", link: "http://x/" };
    const t = { kind: "requestCanceled" } as const;
    const sqlSide = await greetingsInSql(h.db, NAMES);
    NAMES.forEach((name, i) => {
      const whole = renderNotice(t, { ...details, recipientName: name });
      const parts = renderNoticeParts(t, details);
      expect(parts.text[0] + sqlSide[i]!.text + parts.text[1]).toBe(whole.text);
      expect(parts.html[0] + sqlSide[i]!.html + parts.html[1]).toBe(whole.html);
      expect(sqlSide[i]!.html).toBe(escapeHtml(sqlSide[i]!.text));
    });
  });

  it("picks the address toPerson picks (mail, else the UPN, when it looks like an email)", async () => {
    const pairs = [
      { mail: "a@b.co", upn: "x@y.z" },
      { mail: null, upn: "x@y.z" },
      { mail: "not an email", upn: "x@y.z" },
      { mail: "a b@c.de", upn: "nope" },
      { mail: "a@b.c\u00a0", upn: "u@v.w\u3000" },
      { mail: "a@@b.c", upn: "a@b" },
      { mail: "Zoë@exämple.org", upn: "" },
      { mail: "a@b.c\n", upn: "x\t@y.z" },
    ];
    const expected = pairs.map((p) => toPerson({ userId: "u", name: "n", mail: p.mail, upn: p.upn }).email);
    expect(await emailsInSql(h.db, pairs)).toEqual(expected);
  });

  it("writes the notices noticeRows renders: activation, with the matrix's extras, criticalOnly and a holder who is also an admin", async () => {
    const s = defaultNotificationSettings();
    s.eligibleActivated.admin = {
      defaultRecipients: true,
      additionalRecipients: ["soc@contoso.test", "ALICE@contoso.test", "Soc@Contoso.test", "spaces@contoso.test"],
      criticalOnly: false,
    };
    s.eligibleActivated.assignee = {
      defaultRecipients: true,
      additionalRecipients: ["audit@contoso.test"],
      criticalOnly: true,
    };
    await setNotificationSettings(h.db, USER_ADMINISTRATOR, s);
    const a = await activation(h.db, now, new Date(now.getTime() + hours(4)));
    const r = await bothWays({ type: "roleActivated", scheduleId: a.id, requestId: null });
    expect(r.written).toEqual(r.expected);
    expect(r.inserted).toBe(r.expected.length);
    // alice, bob, carol (once: as the holder), weird, nomail, spaces, soc@ (ALICE@ and spaces@ already emailed)
    expect(r.expected.map((x) => x.recipientUserId ?? x.recipientEmail).sort()).toEqual(
      [ids.alice, ids.bob, ids.carol, odd.weird, odd.nomail, odd.spaces, "soc@contoso.test"].sort(),
    );
    expect(r.expected.find((x) => x.recipientUserId === ids.carol)?.subject).toBe(
      "PIM: Your User Administrator role is active",
    );
  });

  it("writes the notices noticeRows renders for every other kind of event", async () => {
    const e = await eligibility(h.db, now, ids.carol, new Date(now.getTime() + hours(90)));
    const a = await activation(h.db, now, new Date(now.getTime() + hours(4)));
    const named = await pendingRequest(h.db, now, [
      {
        mode: "anyOne",
        approvers: [
          { type: "User", id: ids.dave },
          { type: "Group", id: ids.approvers },
          { type: "Group", id: odd.adminGroup },
          { type: "User", id: ids.carol },
        ],
      },
    ]);
    const byAdmins = await pendingRequest(h.db, now, []);
    const events: NotificationEvent[] = [
      { type: "eligibleAssigned", scheduleId: e.id, requestId: null },
      { type: "activeAssigned", scheduleId: a.id, requestId: null },
      { type: "activationPendingApproval", requestId: named.id },
      { type: "activationPendingApproval", requestId: byAdmins.id },
      { type: "requestApproved", requestId: named.id, approverId: ids.dave },
      { type: "requestDenied", requestId: byAdmins.id, approverId: ids.alice },
      { type: "requestTimedOut", requestId: byAdmins.id },
      { type: "requestCanceled", requestId: named.id },
      { type: "expiringSoon", kind: "assignment", scheduleId: a.id, days: 1 },
      { type: "expired", kind: "eligibility", scheduleId: e.id },
      { type: "assignmentRemoved", kind: "assignment", scheduleId: a.id, requestId: null },
    ];
    for (const event of events) {
      const r = await bothWays(event);
      expect(r.written, event.type).toEqual(r.expected);
      expect(r.expected.length, event.type).toBeGreaterThan(0);
    }
  });

  it("leaves a notice already queued as it is and counts only the new ones", async () => {
    const a = await activation(h.db, now, new Date(now.getTime() + hours(4)));
    const event: NotificationEvent = { type: "roleActivated", scheduleId: a.id, requestId: null };
    const first = await h.db.transaction((tx: Db) => insertEventNotices(tx, now, event, TEST_BASE_URL));
    expect(first).toBeGreaterThan(0);
    expect(await h.db.transaction((tx: Db) => insertEventNotices(tx, now, event, TEST_BASE_URL))).toBe(0);
    expect(await h.db.$count(notifications)).toBe(first);
  });
});

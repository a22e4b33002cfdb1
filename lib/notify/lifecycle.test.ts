/**
 * The whole story through the engine's use cases and a real SMTP server: Sophia asks to activate, the
 * named approver gets the Approve requests link, Grace approves, Sophia and the admins hear of it, the
 * activation runs out, the sweep records it and Sophia is told, each email once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, hours, testClock } from "@/test/db";
import { createDirectory, type TestUser } from "@/test/fixtures/directory";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { activateRole } from "@/lib/pim/use-cases/activate-role";
import { decideRequest } from "@/lib/pim/use-cases/decide-request";
import { deliverDue } from "./deliver";
import { runJobs } from "./jobs";
import { startSmtpSink, type SmtpSink } from "@/test/smtp-sink";
import { smtpTransport } from "./transport";

let h: Awaited<ReturnType<typeof createTestDb>>;
let sink: SmtpSink;
const clock = testClock(new Date("2026-11-22T09:00:00Z"));
let admin: TestUser, sophia: TestUser, grace: TestUser, liam: TestUser;

beforeAll(async () => {
  h = await createTestDb();
  sink = await startSmtpSink();
  const d = await createDirectory(h.db);
  [admin, sophia, grace, liam] = await d.users("Perparim Admin", "Sophia Davis", "Grace Miller", "Liam Carter");
  const past = new Date(clock.now().getTime() - hours(48));
  await d.active(admin, GLOBAL_ADMINISTRATOR, { start: past });
  await d.eligible(sophia, USER_ADMINISTRATOR, { start: past, end: null });
  const approvers = await d.group("Approvers", [liam]);
  await d.settings(USER_ADMINISTRATOR, {
    approvalRequired: true,
    approvalStages: [
      {
        mode: "anyOne",
        approvers: [
          { type: "User", id: grace.id },
          { type: "Group", id: approvers.id },
        ],
      },
    ],
  });
});
afterAll(async () => {
  await sink.close();
  await h.drop();
});

const ctx = () => ({ db: h.db, now: clock.now });
const deliver = () =>
  deliverDue(h.db, clock.now(), { transport: smtpTransport(sink.url), from: "PIM <pim@contoso.test>" });
const mailTo = (u: TestUser) => sink.received.filter((m) => m.to.includes(u.userPrincipalName)).map((m) => m.subject);

describe("notification lifecycle through the use cases", () => {
  it("request → approval emails → decision → activated → expired, each to the right people once", async () => {
    const req = await activateRole(ctx(), sophia.actor({ mfaAt: clock.now() }), {
      roleDefinitionId: USER_ADMINISTRATOR,
      durationMinutes: 60,
      justification: "Onboard the new starters",
    });
    expect(req.status).toBe("PendingApproval");
    await deliver();
    const approval = "PIM: Sophia Davis requests approval to activate User Administrator";
    expect(mailTo(grace)).toEqual([approval]);
    expect(mailTo(liam)).toEqual([approval]);
    expect(mailTo(sophia)).toEqual([]);
    expect(mailTo(admin)).toEqual([]); // named approvers replace the default ones
    const link = sink.received.find((m) => m.to.includes(grace.userPrincipalName))?.decoded ?? "";
    expect(link).toContain(`/approve-requests?request=${req.requestId}`);

    clock.advance(hours(1));
    await decideRequest(ctx(), grace.actor({ mfaAt: clock.now() }), {
      requestId: req.requestId,
      decision: "Approve",
      justification: "Ticket checked",
    });
    await deliver();
    expect(mailTo(sophia).sort()).toEqual(
      ["PIM: Your User Administrator role is active", "PIM: Your request for User Administrator was approved"].sort(),
    );
    expect(mailTo(liam)).toContain("PIM: Request by Sophia Davis for User Administrator was approved by Grace Miller");
    expect(mailTo(admin)).toEqual(["PIM: Sophia Davis activated User Administrator"]);
    expect(mailTo(grace)).toEqual([approval]); // the decider is not told about their own decision

    clock.advance(hours(2));
    const first = await runJobs(ctx(), { transport: smtpTransport(sink.url) });
    expect(first.delivery.sent).toBe(1);
    expect(mailTo(sophia)).toContain("PIM: Your active User Administrator assignment has expired");
    const second = await runJobs(ctx(), { transport: smtpTransport(sink.url) });
    expect(second.delivery.claimed).toBe(0);
    const ids = sink.received.map((m) => m.notificationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("expiring-soon reminders: the 14-day and the 1-day notice are emailed once each, however often the job runs", async () => {
    const d = await createDirectory(h.db);
    const emma = await d.user("Emma Smith");
    const end = new Date(clock.now().getTime() + hours(24 * 10));
    await d.eligible(emma, USER_ADMINISTRATOR, { start: new Date(clock.now().getTime() - hours(24 * 30)), end });
    const opts = { transport: smtpTransport(sink.url) };
    await runJobs(ctx(), opts);
    await runJobs(ctx(), opts);
    expect(mailTo(emma)).toEqual(["PIM: Your eligible User Administrator assignment expires in 14 days"]);
    clock.set(new Date(end.getTime() - hours(20)));
    await runJobs(ctx(), opts);
    await runJobs(ctx(), opts);
    expect(mailTo(emma)).toEqual([
      "PIM: Your eligible User Administrator assignment expires in 14 days",
      "PIM: Your eligible User Administrator assignment expires in 1 day",
    ]);
    clock.set(new Date(end.getTime() + 1000));
    await runJobs(ctx(), opts);
    await runJobs(ctx(), opts);
    expect(mailTo(emma).at(-1)).toBe("PIM: Your eligible User Administrator assignment has expired");
    expect(mailTo(emma)).toHaveLength(3);
  });
});

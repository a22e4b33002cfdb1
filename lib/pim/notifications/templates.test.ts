import { describe, expect, it } from "vitest";
import { escapeHtml, formatUtc, isCritical, renderNotice, type TemplateDetails } from "./templates";
import { defaultNotificationSettings, ruleFor } from "./settings";

const details: TemplateDetails = {
  recipientName: "Sophia Davis",
  principalName: "Sophia Davis",
  roleName: "User Administrator",
  scopeName: "Directory",
  start: new Date("2026-11-22T10:00:00Z"),
  end: new Date("2026-11-22T14:00:00Z"),
  justification: "Onboard <script>alert(1)</script> & friends",
  ticketNumber: "INC-42",
  ticketSystem: "ServiceNow",
  link: "https://pim.example.com/approve-requests?request=r1&x=1",
};

describe("renderNotice", () => {
  it("prefixes every subject with PIM: and names the role", () => {
    const kinds = [
      renderNotice({ kind: "assignedToYou", assignment: "eligible" }, details),
      renderNotice({ kind: "approvalRequested", requestKind: "activation" }, details),
      renderNotice({ kind: "requestDecided", decision: "denied", approverName: "Grace" }, details),
      renderNotice({ kind: "expiringSoon", assignment: "active", days: 14 }, details),
      renderNotice({ kind: "expired", assignment: "active" }, details),
      renderNotice({ kind: "removed", assignment: "eligible" }, details),
      renderNotice({ kind: "roleActivatedAdmin" }, details),
    ];
    for (const n of kinds) {
      expect(n.subject.startsWith("PIM: ")).toBe(true);
      expect(n.subject).toContain("User Administrator");
    }
  });

  it("writes the approval request with role, scope, times, justification, ticket and the link", () => {
    const n = renderNotice({ kind: "approvalRequested", requestKind: "activation" }, details);
    expect(n.subject).toBe("PIM: Sophia Davis requests approval to activate User Administrator");
    for (const part of [
      "Role:",
      "User Administrator",
      "Scope:",
      "Directory",
      "2026-11-22 10:00 UTC",
      "2026-11-22 14:00 UTC",
      "INC-42",
      details.link,
    ]) {
      expect(n.text).toContain(part);
    }
    expect(n.html).toContain('href="https://pim.example.com/approve-requests?request=r1&amp;x=1"');
    expect(n.html).toContain("#0078d4");
    expect(n.html).toContain("Approve or deny");
  });

  it("escapes user text in HTML and keeps subjects on one line", () => {
    const n = renderNotice(
      { kind: "requestDecided", decision: "approved", approverName: "Eve\r\nBcc: x@evil.test" },
      { ...details, roleName: "Role\nInjected" },
    );
    expect(n.html).not.toContain("<script>");
    expect(n.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends");
    expect(n.subject).not.toMatch(/[\r\n]/);
  });

  it("says 1 day or 14 days for reminders", () => {
    expect(renderNotice({ kind: "expiringSoon", assignment: "eligible", days: 1 }, details).subject).toContain(
      "expires in 1 day",
    );
    expect(renderNotice({ kind: "expiringSoon", assignment: "eligible", days: 14 }, details).subject).toContain(
      "expires in 14 days",
    );
  });

  it("formats permanent ends and escapes all five characters", () => {
    expect(formatUtc(null)).toBe("Permanent");
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("treats approval requests and reminders as critical, the rest not", () => {
    expect(isCritical({ kind: "approvalRequested", requestKind: "activation" })).toBe(true);
    expect(isCritical({ kind: "expiringSoon", assignment: "active", days: 1 })).toBe(true);
    expect(isCritical({ kind: "roleActivatedAdmin" })).toBe(false);
    expect(isCritical({ kind: "expired", assignment: "active" })).toBe(false);
  });
});

describe("ruleFor", () => {
  it("uses Entra's defaults (all on) for a null column and for missing fields", () => {
    expect(ruleFor(null, "eligibleActivated", "approver")).toEqual({
      defaultRecipients: true,
      additionalRecipients: [],
      criticalOnly: false,
    });
    expect(ruleFor({ eligibleActivated: { admin: { criticalOnly: true } } }, "eligibleActivated", "admin")).toEqual({
      defaultRecipients: true,
      additionalRecipients: [],
      criticalOnly: true,
    });
  });

  it("reads a configured cell and drops malformed additional recipients", () => {
    const s = defaultNotificationSettings();
    s.activeAssigned.assignee = {
      defaultRecipients: false,
      additionalRecipients: [" ops@contoso.test ", "not-an-email"],
      criticalOnly: false,
    };
    expect(ruleFor(s, "activeAssigned", "assignee")).toEqual({
      defaultRecipients: false,
      additionalRecipients: ["ops@contoso.test"],
      criticalOnly: false,
    });
  });
});

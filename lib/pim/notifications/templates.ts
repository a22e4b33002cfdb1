/**
 * Email and inbox texts for every notice (§7). Pure functions: the same input gives the same
 * subject, text and HTML, so they are unit tested without a database or a mail server.
 */
export type AssignmentKind = "eligible" | "active";

export type TemplateInput =
  | { kind: "assignedToYou"; assignment: AssignmentKind }
  | { kind: "assignedAdmin"; assignment: AssignmentKind }
  | { kind: "approvalRequested"; requestKind: "activation" | "extension" | "renewal"; wait?: string }
  | {
      kind: "requestDecided";
      decision: "approved" | "denied";
      approverName: string;
      decisionJustification?: string | null;
    }
  | { kind: "requestDecidedOther"; decision: "approved" | "denied"; approverName: string }
  | { kind: "requestTimedOut"; wait?: string }
  | { kind: "requestCanceled" }
  | { kind: "roleActivatedAdmin" }
  | { kind: "roleActivatedYou" }
  | { kind: "expiringSoon"; assignment: AssignmentKind; days: 14 | 1 }
  | { kind: "expired"; assignment: AssignmentKind }
  | { kind: "removed"; assignment: AssignmentKind };

export type TemplateDetails = {
  recipientName?: string | null;
  principalName: string;
  roleName: string;
  scopeName: string;
  start?: Date | null;
  end?: Date | null;
  justification?: string | null;
  ticketNumber?: string | null;
  ticketSystem?: string | null;
  /** Absolute URL of the page that acts on this notice. */
  link: string;
};

export type RenderedNotice = { subject: string; title: string; text: string; html: string; buttonLabel: string };

const AZURE_BLUE = "#0078d4";

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/** "2026-11-22 10:00 UTC": emails are read in many time zones, so state the zone. */
export function formatUtc(d: Date | null | undefined): string {
  if (!d) return "Permanent";
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Strip line breaks from values that go into a subject line (header injection, and tidy subjects). */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ").trim();

type Copy = { subject: string; title: string; intro: string; button: string };

function copyFor(t: TemplateInput, d: TemplateDetails): Copy {
  const role = oneLine(d.roleName);
  const who = oneLine(d.principalName);
  switch (t.kind) {
    case "assignedToYou":
      return {
        subject: `You are assigned as ${t.assignment} to ${role}`,
        title: `You are ${t.assignment === "eligible" ? "eligible for" : "assigned to"} ${role}`,
        intro:
          t.assignment === "eligible"
            ? `You have been made eligible for the ${role} role. Activate it in My roles when you need it.`
            : `You have been assigned the ${role} role as active.`,
        button: "Open My roles",
      };
    case "assignedAdmin":
      return {
        subject: `${who} was assigned as ${t.assignment} to ${role}`,
        title: `${t.assignment === "eligible" ? "Eligible" : "Active"} assignment added`,
        intro: `${who} was assigned the ${role} role as ${t.assignment}.`,
        button: "View assignments",
      };
    case "approvalRequested":
      return {
        subject: `${who} requests approval to ${t.requestKind === "activation" ? "activate" : t.requestKind === "extension" ? "extend" : "renew"} ${role}`,
        title: `Approval needed: ${role}`,
        intro: `${who} asked to ${t.requestKind === "activation" ? "activate" : t.requestKind === "extension" ? "extend" : "renew"} the ${role} role. Approve or deny the request; it expires undecided after ${t.wait ?? "24 hours"}.`,
        button: "Approve or deny",
      };
    case "requestDecided":
      return {
        subject: `Your request for ${role} was ${t.decision}`,
        title: `Request ${t.decision}: ${role}`,
        intro: `${oneLine(t.approverName)} ${t.decision} your request for the ${role} role.${
          t.decisionJustification ? ` Reason: ${oneLine(t.decisionJustification)}` : ""
        }`,
        button: t.decision === "approved" ? "Open My roles" : "Open My requests",
      };
    case "requestDecidedOther":
      return {
        subject: `Request by ${who} for ${role} was ${t.decision} by ${oneLine(t.approverName)}`,
        title: `Request ${t.decision}: ${role}`,
        intro: `The request by ${who} for the ${role} role was ${t.decision} by ${oneLine(t.approverName)}. No action is needed from you.`,
        button: "Open Approve requests",
      };
    case "requestTimedOut":
      return {
        subject: `Your request for ${role} expired without a decision`,
        title: `Request expired: ${role}`,
        intro: `Your request for the ${role} role was not decided within ${t.wait ?? "24 hours"} and has expired. You can ask again.`,
        button: "Open My roles",
      };
    case "requestCanceled":
      return {
        subject: `Request by ${who} for ${role} was canceled`,
        title: `Request canceled: ${role}`,
        intro: `${who} canceled the request for the ${role} role. No action is needed from you.`,
        button: "Open Approve requests",
      };
    case "roleActivatedAdmin":
      return {
        subject: `${who} activated ${role}`,
        title: `Role activated: ${role}`,
        intro: `${who} activated the ${role} role.`,
        button: "View active assignments",
      };
    case "roleActivatedYou":
      return {
        subject: `Your ${role} role is active`,
        title: `Role activated: ${role}`,
        intro: `Your activation of the ${role} role is in force until ${formatUtc(d.end)}.`,
        button: "Open My roles",
      };
    case "expiringSoon":
      return {
        subject: `Your ${t.assignment} ${role} assignment expires in ${t.days === 1 ? "1 day" : "14 days"}`,
        title: `Expiring soon: ${role}`,
        intro: `Your ${t.assignment} assignment to the ${role} role ends ${formatUtc(d.end)}. Ask for an extension if you still need it.`,
        button: "Open My roles",
      };
    case "expired":
      return {
        subject: `Your ${t.assignment} ${role} assignment has expired`,
        title: `Expired: ${role}`,
        intro: `Your ${t.assignment === "active" ? "active assignment to" : "eligibility for"} the ${role} role ended ${formatUtc(d.end)}.`,
        button: "Open My roles",
      };
    case "removed":
      return {
        subject: `Your ${t.assignment} ${role} assignment was removed`,
        title: `Removed: ${role}`,
        intro: `Your ${t.assignment} assignment to the ${role} role was removed.`,
        button: "Open My roles",
      };
  }
}

function facts(d: TemplateDetails): [string, string][] {
  const rows: [string, string][] = [
    ["Role", d.roleName],
    ["Scope", d.scopeName],
    ["Member", d.principalName],
  ];
  if (d.start) rows.push(["Start time", formatUtc(d.start)]);
  if (d.start || d.end) rows.push(["End time", formatUtc(d.end)]);
  if (d.justification) rows.push(["Justification", d.justification]);
  if (d.ticketNumber) rows.push(["Ticket", [d.ticketSystem, d.ticketNumber].filter(Boolean).join(" ")]);
  return rows;
}

/** Renders one notice: subject prefixed "PIM: ", a plain-text body and an HTML body in the portal's look. */
export function renderNotice(t: TemplateInput, d: TemplateDetails): RenderedNotice {
  const c = copyFor(t, d);
  const greeting = d.recipientName ? `Hello ${oneLine(d.recipientName)},` : "Hello,";
  const rows = facts(d);
  const width = Math.max(...rows.map(([k]) => k.length));
  const text = [
    greeting,
    "",
    c.intro,
    "",
    ...rows.map(([k, v]) => `${(k + ":").padEnd(width + 2)}${oneLine(v)}`),
    "",
    `${c.button}: ${d.link}`,
    "",
    "-- PIM Portal (Privileged Identity Management)",
  ].join("\n");

  const e = escapeHtml;
  const tableRows = rows
    .map(
      ([k, v]) =>
        `<tr><td style="padding:6px 12px 6px 0;color:#605e5c;white-space:nowrap;vertical-align:top">${e(k)}</td>` +
        `<td style="padding:6px 0;color:#323130">${e(v)}</td></tr>`,
    )
    .join("");
  const html = `<!doctype html>
<html><body style="margin:0;padding:0;background:#f3f2f1;font-family:'Segoe UI',-apple-system,Helvetica,Arial,sans-serif">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:#f3f2f1;padding:24px 0"><tr><td align="center">
<table role="presentation" width="600" cellspacing="0" cellpadding="0" style="max-width:600px;background:#ffffff;border:1px solid #edebe9">
<tr><td style="background:${AZURE_BLUE};color:#ffffff;padding:14px 24px;font-size:15px;font-weight:600">PIM Portal &middot; Privileged Identity Management</td></tr>
<tr><td style="padding:24px">
<h1 style="margin:0 0 12px;font-size:20px;font-weight:600;color:#323130">${e(c.title)}</h1>
<p style="margin:0 0 8px;font-size:14px;color:#323130">${e(greeting)}</p>
<p style="margin:0 0 16px;font-size:14px;color:#323130">${e(c.intro)}</p>
<table role="presentation" cellspacing="0" cellpadding="0" style="font-size:14px;margin:0 0 20px">${tableRows}</table>
<a href="${e(d.link)}" style="display:inline-block;background:${AZURE_BLUE};color:#ffffff;text-decoration:none;padding:8px 20px;border-radius:2px;font-size:14px;font-weight:600">${e(c.button)}</a>
</td></tr>
<tr><td style="padding:12px 24px;border-top:1px solid #edebe9;font-size:12px;color:#605e5c">You receive this email because of the notification settings of the ${e(d.roleName)} role.</td></tr>
</table></td></tr></table></body></html>`;
  return { subject: `PIM: ${c.subject}`, title: c.title, text, html, buttonLabel: c.button };
}

/**
 * A notice rendered once for every recipient of an audience: subject as `renderNotice` gives it, text and HTML
 * cut around the greeting ("Hello <name>,"), the one part that differs per recipient. The set-based fan-out
 * (notice-insert.ts) fills the greeting in SQL, so `text[0] + greeting + text[1]` is `renderNotice`'s text for
 * that recipient (and the HTML with the greeting escaped).
 */
export function renderNoticeParts(
  t: TemplateInput,
  d: Omit<TemplateDetails, "recipientName">,
): { subject: string; text: [string, string]; html: [string, string] } {
  // NUL never occurs in the other inputs (PostgreSQL text cannot hold it), so the cut is unambiguous.
  const mark = "\u0000";
  const n = renderNotice(t, { ...d, recipientName: mark });
  const greeting = `Hello ${mark},`;
  const cut = (s: string): [string, string] => {
    const parts = s.split(greeting);
    if (parts.length !== 2) throw new Error("renderNoticeParts: the greeting must occur once");
    return [parts[0]!, parts[1]!];
  };
  return { subject: n.subject, text: cut(n.text), html: cut(n.html) };
}

/** Notices that ask the recipient to act: still emailed when a role's settings say "critical emails only". */
export function isCritical(t: TemplateInput): boolean {
  return t.kind === "approvalRequested" || t.kind === "expiringSoon";
}

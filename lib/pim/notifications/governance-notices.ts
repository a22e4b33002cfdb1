import { sql } from "drizzle-orm";
import type { Db } from "@/db/types";
import type { AlertKey } from "@/lib/validation/governance";
import { alertCatalog } from "../governance/alert-catalog";
import { rowsOf } from "../sql-rows";
import type { NotificationRow } from "./emit";
import type { GovernanceEvent } from "./events";
import { peopleOf, pimAdmins, type Person } from "./recipients";
import { escapeHtml } from "./templates";

type Copy = { subject: string; title: string; intro: string; facts: [string, string][]; button: string; link: string };

const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ").trim();

/** Subject "PIM: …", text and HTML of a governance notice (the look of ./templates.ts). */
export function renderGovernanceNotice(c: Copy, recipientName: string | null, base: string) {
  const greeting = recipientName ? `Hello ${oneLine(recipientName)},` : "Hello,";
  const url = base + c.link;
  const width = Math.max(0, ...c.facts.map(([k]) => k.length));
  const text = [
    greeting,
    "",
    c.intro,
    "",
    ...c.facts.map(([k, v]) => `${(k + ":").padEnd(width + 2)}${oneLine(v)}`),
    "",
    `${c.button}: ${url}`,
    "",
    "-- PIM Portal (Privileged Identity Management)",
  ].join("\n");
  const e = escapeHtml;
  const rows = c.facts
    .map(
      ([k, v]) =>
        `<tr><td style="padding:6px 12px 6px 0;color:#605e5c">${e(k)}</td><td style="padding:6px 0;color:#323130">${e(v)}</td></tr>`,
    )
    .join("");
  const html = `<!doctype html><html><body style="font-family:'Segoe UI',Helvetica,Arial,sans-serif;background:#f3f2f1;padding:24px">
<div style="max-width:600px;margin:auto;background:#fff;border:1px solid #edebe9">
<div style="background:#0078d4;color:#fff;padding:14px 24px;font-weight:600">PIM Portal &middot; Privileged Identity Management</div>
<div style="padding:24px"><h1 style="font-size:20px;margin:0 0 12px">${e(c.title)}</h1><p>${e(greeting)}</p><p>${e(c.intro)}</p>
<table role="presentation" style="font-size:14px;margin:0 0 20px">${rows}</table>
<a href="${e(url)}" style="display:inline-block;background:#0078d4;color:#fff;text-decoration:none;padding:8px 20px">${e(c.button)}</a></div></div></body></html>`;
  return { subject: `PIM: ${oneLine(c.subject)}`, text, html };
}

type InstanceRow = {
  id: string;
  definition_id: string;
  display_name: string;
  end_date_time: string | Date;
  current_stage: number;
  stage_count: number;
  item_count: number;
  created_by: string | null;
  approved: number | string;
  denied: number | string;
  dont_know: number | string;
  not_reviewed: number | string;
};

async function loadInstance(tx: Db, id: string): Promise<InstanceRow | null> {
  const res = await tx.execute(sql`select i.id, i.definition_id, d.display_name, i.end_date_time, i.current_stage,
      jsonb_array_length(d.stages) as stage_count, i.item_count, d.created_by,
      (select count(*) from access_review_items t where t.instance_id = i.id and t.outcome = 'Approve') as approved,
      (select count(*) from access_review_items t where t.instance_id = i.id and t.outcome = 'Deny') as denied,
      (select count(*) from access_review_items t where t.instance_id = i.id and t.outcome = 'DontKnow') as dont_know,
      (select count(*) from access_review_items t where t.instance_id = i.id and t.outcome = 'NotReviewed') as not_reviewed
    from access_review_instances i join access_review_definitions d on d.id = i.definition_id where i.id = ${id}::uuid`);
  return rowsOf<InstanceRow>(res)[0] ?? null;
}

/** Reviewers of the instance's current stage; `undecidedOnly` = those with an item still undecided there. */
async function reviewersOf(tx: Db, inst: InstanceRow, undecidedOnly: boolean): Promise<Person[]> {
  const res = await tx.execute(sql`select distinct r.reviewer_id from access_review_item_reviewers r
    where r.instance_id = ${inst.id}::uuid and r.stage = ${inst.current_stage}
    ${undecidedOnly ? sql`and not exists (select 1 from access_review_decisions d where d.item_id = r.item_id and d.stage = r.stage)` : sql``}`);
  return peopleOf(
    tx,
    rowsOf<{ reviewer_id: string }>(res).map((r) => r.reviewer_id),
    [],
  );
}

const utc = (d: string | Date) => `${new Date(d).toISOString().slice(0, 16).replace("T", " ")} UTC`;

async function audience(
  tx: Db,
  now: Date,
  event: GovernanceEvent,
): Promise<{ people: Person[]; copy: Copy; dedupe: string } | null> {
  if (event.type === "alertRaised") {
    const info = alertCatalog[event.alertKey as AlertKey];
    if (!info) return null;
    return {
      people: await pimAdmins(tx, now),
      dedupe: `alert:${event.alertKey}:${event.raisedAt}`,
      copy: {
        subject: `${info.severity} alert: ${info.title}`,
        title: `${info.severity} alert: ${info.title}`,
        intro: `${info.description} ${info.howToFix}`,
        facts: [
          ["Severity", info.severity],
          ["Affected items", String(event.affectedCount)],
          ["Raised", utc(event.raisedAt)],
        ],
        button: "Open the alert",
        link: `/alerts/${event.alertKey}`,
      },
    };
  }
  const inst = await loadInstance(tx, event.instanceId);
  if (!inst) return null;
  const stage = inst.stage_count > 1 ? ` (stage ${inst.current_stage + 1} of ${inst.stage_count})` : "";
  if (event.type === "reviewStarted" || event.type === "reviewReminder") {
    const reminder = event.type === "reviewReminder";
    return {
      people: await reviewersOf(tx, inst, reminder),
      dedupe: `${event.type}:${inst.id}:${inst.current_stage}`,
      copy: {
        subject: `${reminder ? "Reminder: " : ""}Review access: ${inst.display_name}`,
        title: `${reminder ? "Reminder: review" : "Review"} access${stage}`,
        intro: reminder
          ? `You still have members to review in "${oneLine(inst.display_name)}". Undecided members get the review's no-response outcome when it ends.`
          : `You are a reviewer of "${oneLine(inst.display_name)}". Approve or deny each member's continued access.`,
        facts: [
          ["Review", inst.display_name],
          ["Ends", utc(inst.end_date_time)],
        ],
        button: "Review access",
        link: `/review-access/${inst.id}`,
      },
    };
  }
  const admins = await pimAdmins(tx, now);
  const creator = inst.created_by ? await peopleOf(tx, [inst.created_by], []) : [];
  return {
    people: [...creator, ...admins],
    dedupe: `reviewCompleted:${inst.id}`,
    copy: {
      subject: `Access review completed: ${inst.display_name}`,
      title: "Access review completed",
      intro: `The access review "${oneLine(inst.display_name)}" has ended. Apply the results to remove denied access (or they were applied automatically when the review says so).`,
      facts: [
        ["Members reviewed", String(inst.item_count)],
        ["Approved", String(inst.approved)],
        ["Denied", String(inst.denied)],
        ["Don't know", String(inst.dont_know)],
        ["Not reviewed", String(inst.not_reviewed)],
      ],
      button: "Open the results",
      link: `/access-reviews/${inst.definition_id}?instance=${inst.id}`,
    },
  };
}

/** The notices of one governance event (portal and email to each person, once per person). */
export async function governanceNoticeRows(
  tx: Db,
  now: Date,
  event: GovernanceEvent,
  baseUrl: string,
): Promise<NotificationRow[]> {
  const a = await audience(tx, now, event);
  if (!a) return [];
  const base = baseUrl.replace(/\/+$/, "");
  const seen = new Set<string>();
  const rows: NotificationRow[] = [];
  for (const p of a.people) {
    if (seen.has(p.userId)) continue;
    seen.add(p.userId);
    const n = renderGovernanceNotice(a.copy, p.name, base);
    rows.push({
      createdAt: now,
      eventType: event.type,
      recipientUserId: p.userId,
      recipientEmail: p.email,
      subject: n.subject,
      bodyText: n.text,
      bodyHtml: n.html,
      link: a.copy.link,
      requestId: null,
      status: p.email ? "pending" : "skipped",
      nextAttemptAt: now,
      dedupeKey: `${a.dedupe}:${p.userId}`,
    });
  }
  return rows;
}

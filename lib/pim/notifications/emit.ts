import { and, eq, sql } from "drizzle-orm";
import { stageWaitWords } from "../rules/constants";
import type { NotificationEventKey, NotificationRecipientKey } from "@/db/schema";
import { approvalDecisions, notificationEvents, notifications, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { rowsOf } from "../sql-rows";
import { isGovernanceEvent, type NotificationEvent } from "./events";
import { governanceNoticeRows } from "./governance-notices";
import { insertAudienceNotices, type SqlAudience } from "./notice-insert";
import { adminsSource, approversSource, principalSource, resolvePeople, type PeopleSource } from "./recipients";
import { signalNotificationQueued } from "./queued-signal";
import { ruleFor } from "./settings";
import { requestSubject, scheduleSubject, type Subject } from "./subject";
import { isCritical, renderNotice, renderNoticeParts, type TemplateDetails, type TemplateInput } from "./templates";

/** One audience of one event: who, which cell of the matrix governs their email, what they read. */
type Audience = {
  cell: [NotificationEventKey, NotificationRecipientKey];
  people: PeopleSource;
  template: TemplateInput;
  link: string;
  /** Unique per notice (recipient appended): a repeated event queues nothing twice. */
  dedupe: string;
};

export type NotificationRow = typeof notifications.$inferInsert;

const assignmentWord = (s: Subject) => (s.kind === "eligibility" ? "eligible" : "active") as "eligible" | "active";

/** The matrix row that governs notices about a schedule's holder. */
function holderEvent(s: Subject): NotificationEventKey {
  if (s.kind === "eligibility") return "eligibleAssigned";
  return s.assignmentType === "Activated" ? "eligibleActivated" : "activeAssigned";
}

/** The matrix row that governs a request: activations are "eligible member activates", the rest by type. */
function requestEvent(s: Subject): NotificationEventKey {
  const action = s.request?.action;
  if (action === "selfActivate" || (s.kind === "assignment" && s.assignmentType === "Activated"))
    return "eligibleActivated";
  return s.kind === "eligibility" ? "eligibleAssigned" : "activeAssigned";
}

const myRoles = (tab: "eligible" | "active" | "expired") => `/my-roles?tab=${tab}`;
/** The Assignments blade, on the tab, searching for the member (its search box filters by name). */
const assignmentsLink = (s: Subject, tab: "eligible" | "active") =>
  `/assignments?${new URLSearchParams({ tab, q: s.principalName })}`;

function parseIsoDuration(d: string | null | undefined): number | null {
  const m = d ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(d) : null;
  if (!m || d === "P" || d === "PT") return null;
  const [, dd, hh, mm, ss] = m.map((x) => Number(x ?? 0));
  return ((((dd ?? 0) * 24 + (hh ?? 0)) * 60 + (mm ?? 0)) * 60 + (ss ?? 0)) * 1000;
}

const holders = (s: Subject) => principalSource(s.principalType, s.principalId);

function requester(s: Subject): PeopleSource {
  const r = s.request;
  if (r?.requestorId && r.requestorType === "User") return principalSource("User", r.requestorId);
  return holders(s);
}

async function userName(tx: Db, id: string): Promise<string> {
  const [u] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, id)).limit(1);
  return u?.name ?? "An approver";
}

async function audiencesFor(tx: Db, event: NotificationEvent): Promise<{ subject: Subject; list: Audience[] } | null> {
  switch (event.type) {
    case "eligibleAssigned":
    case "activeAssigned": {
      const kind = event.type === "eligibleAssigned" ? "eligibility" : "assignment";
      const s = await scheduleSubject(tx, kind, event.scheduleId, event.requestId);
      if (!s) return null;
      const w = assignmentWord(s);
      const base = `${event.type}:${event.requestId ?? event.scheduleId}`;
      return {
        subject: s,
        list: [
          {
            cell: [event.type, "assignee"],
            people: holders(s),
            template: { kind: "assignedToYou", assignment: w },
            link: myRoles(w),
            dedupe: `${base}:assignee`,
          },
          {
            cell: [event.type, "admin"],
            people: adminsSource(),
            template: { kind: "assignedAdmin", assignment: w },
            link: assignmentsLink(s, w),
            dedupe: `${base}:admin`,
          },
        ],
      };
    }
    case "activationPendingApproval": {
      const s = await requestSubject(tx, event.requestId);
      if (!s?.request) return null;
      const r = s.request;
      const stage = r.approvalStages[r.currentStage];
      const people = approversSource(stage ? [stage] : [], [r.requestorId, r.principalId]);
      const requestKind =
        r.action === "selfActivate" ? "activation" : r.action.endsWith("Renew") ? "renewal" : "extension";
      return {
        subject: s,
        list: [
          {
            cell: [requestEvent(s), "approver"],
            people,
            template: { kind: "approvalRequested", requestKind, wait: stageWaitWords(stage) },
            link: `/approve-requests?request=${r.id}`,
            dedupe: `approval:${r.id}:${r.currentStage}`,
          },
        ],
      };
    }
    case "requestApproved":
    case "requestDenied": {
      const s = await requestSubject(tx, event.requestId);
      if (!s?.request) return null;
      const r = s.request;
      const decision = event.type === "requestApproved" ? "approved" : "denied";
      const [d] = await tx
        .select({ justification: approvalDecisions.justification })
        .from(approvalDecisions)
        .where(and(eq(approvalDecisions.requestId, r.id), eq(approvalDecisions.approverId, event.approverId)))
        .limit(1);
      const approverName = await userName(tx, event.approverId);
      const others = approversSource(r.approvalStages, [r.requestorId, r.principalId, event.approverId]);
      const ev = requestEvent(s);
      return {
        subject: s,
        list: [
          {
            cell: [ev, "assignee"],
            people: requester(s),
            template: {
              kind: "requestDecided",
              decision,
              approverName,
              decisionJustification: d?.justification ?? null,
            },
            link: decision === "approved" ? myRoles("active") : "/pending-requests",
            dedupe: `decided:${r.id}:requester`,
          },
          {
            cell: [ev, "approver"],
            people: others,
            template: { kind: "requestDecidedOther", decision, approverName },
            link: `/approve-requests?request=${r.id}`,
            dedupe: `decided:${r.id}:approver`,
          },
        ],
      };
    }
    case "requestTimedOut": {
      const s = await requestSubject(tx, event.requestId);
      if (!s?.request) return null;
      return {
        subject: s,
        list: [
          {
            cell: [requestEvent(s), "assignee"],
            people: requester(s),
            template: {
              kind: "requestTimedOut",
              wait: stageWaitWords(s.request.approvalStages[s.request.currentStage]),
            },
            link: myRoles("eligible"),
            dedupe: `timedOut:${event.requestId}`,
          },
        ],
      };
    }
    case "requestCanceled": {
      const s = await requestSubject(tx, event.requestId);
      if (!s?.request) return null;
      const r = s.request;
      const stage = r.approvalStages[r.currentStage];
      return {
        subject: s,
        list: [
          {
            cell: [requestEvent(s), "approver"],
            people: approversSource(stage ? [stage] : [], [r.requestorId, r.principalId]),
            template: { kind: "requestCanceled" },
            link: `/approve-requests?request=${r.id}`,
            dedupe: `canceled:${r.id}`,
          },
        ],
      };
    }
    case "roleActivated": {
      const s = await scheduleSubject(tx, "assignment", event.scheduleId, event.requestId);
      if (!s) return null;
      const base = `activated:${event.scheduleId}`;
      return {
        subject: s,
        list: [
          {
            cell: ["eligibleActivated", "assignee"],
            people: holders(s),
            template: { kind: "roleActivatedYou" },
            link: myRoles("active"),
            dedupe: `${base}:holder`,
          },
          {
            cell: ["eligibleActivated", "admin"],
            people: adminsSource(),
            template: { kind: "roleActivatedAdmin" },
            link: assignmentsLink(s, "active"),
            dedupe: `${base}:admin`,
          },
        ],
      };
    }
    case "assignmentRemoved":
    case "expiringSoon":
    case "expired": {
      const s = await scheduleSubject(
        tx,
        event.kind,
        event.scheduleId,
        event.type === "assignmentRemoved" ? event.requestId : null,
      );
      if (!s) return null;
      const w = assignmentWord(s);
      const end = s.end?.toISOString() ?? "none";
      const template: TemplateInput =
        event.type === "expiringSoon"
          ? { kind: "expiringSoon", assignment: w, days: event.days }
          : { kind: event.type === "expired" ? "expired" : "removed", assignment: w };
      const key =
        event.type === "expiringSoon"
          ? `expiring${event.days}d:${event.kind}:${event.scheduleId}:${end}`
          : `${event.type}:${event.kind}:${event.scheduleId}:${end}`;
      return {
        subject: s,
        list: [
          {
            cell: [holderEvent(s), "assignee"],
            people: holders(s),
            template,
            link: event.type === "expiringSoon" ? myRoles(w) : myRoles("expired"),
            dedupe: key,
          },
        ],
      };
    }
    case "roleDeactivated":
      // The holder did it themselves: no notice to people (Entra sends none); webhooks still get the event.
      return null;
    default:
      return null;
  }
}

/**
 * Queues one notification event inside the caller's transaction: ONE row in `notification_events`,
 * whatever the number of recipients (so a rolled-back change notifies nobody, a committed one is never
 * forgotten, and the request's transaction stays short). The delivery worker fans it out
 * (`fanOutEvents`, ./fan-out.ts) to one `notifications` row per recipient, resolved as of `now`:
 *
 * - Every portal user concerned gets one row (recipient_user_id): the bell and Notifications page.
 *   Within one event a person gets at most one notice (the first audience that names them).
 * - Email follows the role's notification matrix: "default recipients" off → no email to them;
 *   "critical emails only" → only notices that ask for action (approval requests, expiring soon)
 *   are emailed; additional recipients get email-only rows. Rows without an email are `skipped`.
 * - `dedupe_key` is unique: the same notice (e.g. the 14-day reminder for one end time) is queued once,
 *   and a fan-out repeated by a second worker inserts nothing twice.
 */
export async function emitNotification(tx: Db, now: Date, event: NotificationEvent): Promise<void> {
  await emitNotifications(tx, now, [event]);
}

/** Several events, one outbox row each, with one multi-row insert per 1,000 events (the expiry sweep's batches). */
export async function emitNotifications(tx: Db, now: Date, events: NotificationEvent[]): Promise<void> {
  if (events.length === 0) return;
  for (let i = 0; i < events.length; i += 1000) {
    await tx.insert(notificationEvents).values(events.slice(i, i + 1000).map((event) => ({ createdAt: now, event })));
  }
  signalNotificationQueued();
}

const NOTICES_PER_STATEMENT = 100;

/** Inserts fanned-out notices; a notice already queued (same dedupe key) is left as it is. Returns how many were new. */
export async function insertNotices(tx: Db, rows: NotificationRow[]): Promise<number> {
  let inserted = 0;
  // 100 notices a statement: each statement's serialisation and socket write is a short step of the event loop,
  // so a fan-out in the portal's process (the relay) lets the requests it shares the process with run between.
  for (let i = 0; i < rows.length; i += NOTICES_PER_STATEMENT) {
    // One JSON parameter per statement, spread by the database (jsonb_to_recordset): building a 400-row insert
    // through the query builder cost ~30 ms of the server's CPU per fan-out (its per-cell entity checks and
    // parameter binding), blocking the requests served meanwhile (issue 10, self-activation).
    const json = JSON.stringify(
      rows.slice(i, i + NOTICES_PER_STATEMENT).map((r) => ({
        id: r.id ?? null,
        created_at: r.createdAt ?? null,
        event_type: r.eventType,
        recipient_user_id: r.recipientUserId ?? null,
        recipient_email: r.recipientEmail ?? null,
        subject: r.subject,
        body_text: r.bodyText,
        body_html: r.bodyHtml,
        link: r.link ?? null,
        request_id: r.requestId ?? null,
        status: r.status ?? null,
        attempts: r.attempts ?? null,
        next_attempt_at: r.nextAttemptAt ?? null,
        locked_until: r.lockedUntil ?? null,
        last_error: r.lastError ?? null,
        sent_at: r.sentAt ?? null,
        read_at: r.readAt ?? null,
        dedupe_key: r.dedupeKey ?? null,
      })),
    );
    const res = await tx.execute(sql`
      insert into notifications (id, created_at, event_type, recipient_user_id, recipient_email, subject, body_text,
                                 body_html, link, request_id, status, attempts, next_attempt_at, locked_until,
                                 last_error, sent_at, read_at, dedupe_key)
      select coalesce(x.id, gen_random_uuid()), coalesce(x.created_at, now()), x.event_type, x.recipient_user_id,
             x.recipient_email, x.subject, x.body_text, x.body_html, x.link, x.request_id,
             coalesce(x.status, 'pending')::outbox_status, coalesce(x.attempts, 0), coalesce(x.next_attempt_at, now()),
             x.locked_until, x.last_error, x.sent_at, x.read_at, x.dedupe_key
        from jsonb_to_recordset(${json}::jsonb) as x(id uuid, created_at timestamptz, event_type text,
             recipient_user_id uuid, recipient_email text, subject text, body_text text, body_html text, link text,
             request_id uuid, status text, attempts integer, next_attempt_at timestamptz, locked_until timestamptz,
             last_error text, sent_at timestamptz, read_at timestamptz, dedupe_key text)
      on conflict (dedupe_key) do nothing
      returning id`);
    inserted += rowsOf(res).length;
  }
  return inserted;
}

/** One audience with its matrix rule applied and the facts every one of its notices states. */
type Prepared = {
  source: PeopleSource;
  template: TemplateInput;
  details: Omit<TemplateDetails, "recipientName">;
  /** Default recipients get email: the cell's rule is on, and "critical only" does not hold this notice back. */
  emailOn: boolean;
  /** Additional (email-only) recipients, when this notice may be emailed at all. */
  extras: string[];
  link: string;
  dedupe: string;
};

async function prepare(
  tx: Db,
  event: NotificationEvent,
  baseUrl: string,
): Promise<{ requestId: string | null; list: Prepared[] } | null> {
  const found = await audiencesFor(tx, event);
  if (!found) return null;
  const { subject: s, list } = found;
  const base = baseUrl.replace(/\/+$/, "");
  const r = s.request;
  const end =
    s.end ??
    (r?.startDateTime && parseIsoDuration(r.duration)
      ? new Date(r.startDateTime.getTime() + (parseIsoDuration(r.duration) ?? 0))
      : null);
  return {
    requestId: r?.id ?? null,
    list: list.map((a) => {
      const rule = ruleFor(s.settings, a.cell[0], a.cell[1]);
      const emailAllowed = !rule.criticalOnly || isCritical(a.template);
      return {
        source: a.people,
        template: a.template,
        details: {
          principalName: s.principalName,
          roleName: s.roleName,
          scopeName: s.scopeName,
          start: s.start ?? r?.startDateTime ?? null,
          end,
          justification: r?.justification ?? null,
          ticketNumber: r?.ticketNumber ?? null,
          ticketSystem: r?.ticketSystem ?? null,
          link: base + a.link,
        },
        emailOn: rule.defaultRecipients && emailAllowed,
        extras: emailAllowed ? rule.additionalRecipients : [],
        link: a.link,
        dedupe: a.dedupe,
      };
    }),
  };
}

/**
 * Fans one event out to its notices in the caller's transaction: governance events through `noticeRows`, the
 * rest in one set-based statement (`insertAudienceNotices`: recipients resolved and greetings filled in by the
 * database, the same notices `noticeRows` renders). Returns how many notices were new.
 */
export async function insertEventNotices(
  tx: Db,
  now: Date,
  event: NotificationEvent,
  baseUrl: string,
): Promise<number> {
  if (isGovernanceEvent(event)) return insertNotices(tx, await noticeRows(tx, now, event, baseUrl));
  const found = await prepare(tx, event, baseUrl);
  if (!found) return 0;
  const audiences: SqlAudience[] = found.list.map((a) => ({
    source: a.source,
    emailOn: a.emailOn,
    extras: a.extras,
    dedupe: a.dedupe,
    link: a.link,
    ...renderNoticeParts(a.template, a.details),
  }));
  return insertAudienceNotices(tx, now, { type: event.type, requestId: found.requestId }, audiences);
}

/**
 * The notices of one event as of `now` (the event's time), rendered one by one in Node: recipients from the
 * role's notification settings and the directory. Read-only. The fan-out inserts the same notices set-based
 * (`insertEventNotices`); this is the reference the tests hold it to, and the path of governance events.
 */
export async function noticeRows(
  tx: Db,
  now: Date,
  event: NotificationEvent,
  baseUrl: string,
): Promise<NotificationRow[]> {
  if (isGovernanceEvent(event)) return governanceNoticeRows(tx, now, event, baseUrl);
  const found = await prepare(tx, event, baseUrl);
  if (!found) return [];
  const rows: NotificationRow[] = [];
  const seenUsers = new Set<string>();
  const seenEmails = new Set<string>();

  for (const a of found.list) {
    const row = (
      to: { userId: string | null; name: string | null; email: string | null },
      key: string,
    ): NotificationRow => {
      const n = renderNotice(a.template, { ...a.details, recipientName: to.name });
      return {
        createdAt: now,
        eventType: event.type,
        recipientUserId: to.userId,
        recipientEmail: to.email,
        subject: n.subject,
        bodyText: n.text,
        bodyHtml: n.html,
        link: a.link,
        requestId: found.requestId,
        status: to.email ? "pending" : "skipped",
        nextAttemptAt: now,
        dedupeKey: `${a.dedupe}:${key}`,
      };
    };
    for (const p of await resolvePeople(tx, now, a.source)) {
      if (seenUsers.has(p.userId)) continue;
      seenUsers.add(p.userId);
      const email = a.emailOn && p.email ? p.email : null;
      if (email) seenEmails.add(email.toLowerCase());
      rows.push(row({ userId: p.userId, name: p.name, email }, p.userId));
    }
    for (const extra of a.extras) {
      const lower = extra.toLowerCase();
      if (seenEmails.has(lower)) continue;
      seenEmails.add(lower);
      rows.push(row({ userId: null, name: null, email: extra }, `mail:${lower}`));
    }
  }
  return rows;
}

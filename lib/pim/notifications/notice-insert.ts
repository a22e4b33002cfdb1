import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/types";
import { PIM_ADMIN_ROLE_IDS } from "@/lib/pim/directory/builtin-roles";
import { rowsOf } from "../sql-rows";
import { escapeHtmlSql } from "./notice-body";
import type { PeopleSource } from "./recipients";

/**
 * One audience of one event, ready for the database: who (a `PeopleSource`, resolved by the database as of
 * the event's time) and what they read, rendered once with the greeting cut out (`renderNoticeParts`).
 */
export type SqlAudience = {
  source: PeopleSource;
  /** The matrix cell's default recipients get email (rule on, and not a non-critical notice under "critical only"). */
  emailOn: boolean;
  /** Email-only recipients of this audience, in order (already limited to audiences whose email is allowed). */
  extras: string[];
  dedupe: string;
  link: string;
  subject: string;
  text: [string, string];
  html: [string, string];
};

/**
 * JavaScript's `\s` (and `String.prototype.trim`'s white space), spelled as characters for a PostgreSQL bracket
 * expression: `oneLine` and `looksLikeEmail` in SQL must treat exactly the same characters as white space.
 */
const JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
/** `looksLikeEmail` (recipients.ts) as a PostgreSQL regular expression. */
export const EMAIL_RE_SQL = `^[^${JS_SPACE}@]+@[^${JS_SPACE}@]+\\.[^${JS_SPACE}@]+$`;
const LINE_BREAKS_RE_SQL = "[\r\n]+";
const TRIM_RE_SQL = `^[${JS_SPACE}]+|[${JS_SPACE}]+$`;

/** templates.ts `oneLine(s)` in SQL: line breaks to one space, then trimmed as JavaScript trims. */
const oneLineSql = (s: SQL) =>
  sql`regexp_replace(regexp_replace(${s}, ${LINE_BREAKS_RE_SQL}, ' ', 'g'), ${TRIM_RE_SQL}, '', 'g')`;

/** templates.ts's greeting: "Hello <name>," for a named recipient, "Hello," otherwise. */
const greetingSql = (name: SQL) =>
  sql`case when coalesce(${name}, '') = '' then 'Hello,' else 'Hello ' || ${oneLineSql(name)} || ',' end`;

/** For tests: the greeting and its HTML form exactly as the fan-out's statement computes them. */
export async function greetingsInSql(db: Db, names: (string | null)[]): Promise<{ text: string; html: string }[]> {
  const res = await db.execute(sql`
    select g.text, ${escapeHtmlSql(sql`g.text`)} as html
      from jsonb_array_elements(${JSON.stringify(names)}::jsonb) with ordinality as n(name, i)
      cross join lateral (select ${greetingSql(sql`(n.name #>> '{}')`)} as text) g
     order by n.i`);
  return rowsOf<{ text: string; html: string }>(res);
}

/** For tests: `toPerson`'s choice of address (mail, else the UPN, when it looks like an email) in SQL. */
export async function emailsInSql(db: Db, pairs: { mail: string | null; upn: string }[]): Promise<(string | null)[]> {
  const res = await db.execute(sql`
    select case when p.mail ~ ${EMAIL_RE_SQL} then p.mail when p.upn ~ ${EMAIL_RE_SQL} then p.upn end as email
      from jsonb_array_elements(${JSON.stringify(pairs)}::jsonb) with ordinality as x(pair, i)
      cross join lateral (select x.pair ->> 'mail' as mail, x.pair ->> 'upn' as upn) p
     order by x.i`);
  return rowsOf<{ email: string | null }>(res).map((r) => r.email);
}

/** A body's key: the sha256 of its four parts (the same words are stored once, whichever event says them). */
const bodyKey = (a: SqlAudience) =>
  createHash("sha256")
    .update(JSON.stringify([a.text[0], a.text[1], a.html[0], a.html[1]]))
    .digest("base64url");

/**
 * Inserts the notices of one event in ONE statement: the database resolves every audience's people as of the
 * event's time (named users, members of named groups, the GA/PRA holders directly or through a group; enabled
 * accounts only; the excluded left out), keeps each person once (the first audience that names them), adds the
 * additional email-only recipients not already emailed, and writes each notice from its audience's rendered
 * parts with the recipient's greeting filled in. Node sends a few kB and receives one number, whatever the
 * number of recipients: a fan-out to 400 admins costs no JavaScript per notice (issue 10, self-activation).
 *
 * Exactly the notices `noticeRows` (emit.ts) renders one by one, which the tests compare it against; a notice
 * already queued under its dedupe key (event + recipient) is left as it is. Returns how many were new.
 */
export async function insertAudienceNotices(
  tx: Db,
  now: Date,
  event: { type: string; requestId: string | null },
  audiences: SqlAudience[],
): Promise<number> {
  if (audiences.length === 0) return 0;
  const aud = audiences.map((a, ord) => ({
    ord,
    user_ids: a.source.userIds,
    group_ids: a.source.groupIds,
    admins: a.source.admins,
    exclude: a.source.exclude,
    email_on: a.emailOn,
    dedupe: a.dedupe,
    link: a.link,
    subject: a.subject,
    text_pre: a.text[0],
    text_post: a.text[1],
    html_pre: a.html[0],
    html_post: a.html[1],
    body_key: bodyKey(a),
  }));
  // Additional recipients: once per event (the first audience that lists an address), compared in lower case.
  const seen = new Set<string>();
  const extras: { ord: number; email: string; lower: string }[] = [];
  audiences.forEach((a, ord) => {
    for (const email of a.extras) {
      const lower = email.toLowerCase();
      if (seen.has(lower)) continue;
      seen.add(lower);
      extras.push({ ord, email, lower });
    }
  });
  const at = sql`${now.toISOString()}::timestamptz`;
  const greeting = greetingSql(sql`r.name`);
  const res = await tx.execute(sql`
    with aud as (
      select * from jsonb_to_recordset(${JSON.stringify(aud)}::jsonb) as a(
        ord int, user_ids uuid[], group_ids uuid[], admins boolean, exclude uuid[], email_on boolean,
        dedupe text, link text, subject text, text_pre text, text_post text, html_pre text, html_post text,
        body_key text)
    ),
    extra as (
      select * from jsonb_to_recordset(${JSON.stringify(extras)}::jsonb) as e(ord int, email text, lower text)
    ),
    admin_principal as (
      select s.principal_type, s.principal_id
        from role_assignment_schedules s
       where exists (select 1 from aud where aud.admins)
         and s.role_definition_id in (${sql.join(
           PIM_ADMIN_ROLE_IDS.map((id) => sql`${id}`),
           sql`, `,
         )})
         and s.directory_scope_id = '/'
         and s.status <> 'Canceled'
         and s.start_date_time <= ${at}
         and (s.end_date_time is null or s.end_date_time > ${at})
    ),
    named as (
      select a.ord, x.id as user_id from aud a cross join lateral unnest(a.user_ids) as x(id)
      union all
      select a.ord, gm.user_id from aud a join group_members gm on gm.group_id = any(a.group_ids)
      union all
      select a.ord, p.principal_id from aud a join admin_principal p on a.admins and p.principal_type = 'User'
      union all
      select a.ord, gm.user_id
        from aud a
        join admin_principal p on a.admins and p.principal_type = 'Group'
        join group_members gm on gm.group_id = p.principal_id
    ),
    person as (
      select distinct on (u.id) n.ord, u.id, u.name,
             case when a.email_on then
               case when u.mail ~ ${EMAIL_RE_SQL} then u.mail when u.upn ~ ${EMAIL_RE_SQL} then u.upn end
             end as email
        from named n
        join aud a on a.ord = n.ord
        -- by primary key, person by person (limit 1 keeps it a lateral lookup): the planner cannot know a source's
        -- size and otherwise hashes the whole users table for ~400 people
        cross join lateral (
          select x.id, x.display_name as name, x.mail, x.user_principal_name as upn
            from users x
           where x.id = n.user_id and x.account_enabled
           limit 1
        ) u
       where not (u.id = any(a.exclude))
       order by u.id, n.ord
    ),
    recipient as (
      select p.ord, p.id as user_id, p.name, p.email, p.id::text as key from person p
      union all
      select e.ord, null::uuid, null::text, e.email, 'mail:' || e.lower
        from extra e
       where not exists (select 1 from person p where p.email is not null and p.ord <= e.ord and lower(p.email) = e.lower)
    ),
    -- each audience's body once, keyed by its content (a retried fan-out, or the same words again, add no copy);
    -- a reuse moves its created_at on, so retention never deletes a body a younger notice names: the update
    -- locks the row, and a retention delete that waited on it sees the new time and keeps it
    body as (
      insert into notification_bodies (key, created_at, text_pre, text_post, html_pre, html_post)
      select distinct on (a.body_key) a.body_key, ${at}, a.text_pre, a.text_post, a.html_pre, a.html_post
        from aud a
       where exists (select 1 from recipient r where r.ord = a.ord)
       order by a.body_key
      on conflict (key) do update set created_at = excluded.created_at
       where notification_bodies.created_at < excluded.created_at
    ),
    ins as (
      insert into notifications (created_at, event_type, recipient_user_id, recipient_email, subject, body_key,
                                 greeting, link, request_id, status, attempts, next_attempt_at, dedupe_key)
      select ${at}, ${event.type}, r.user_id, r.email, a.subject, a.body_key, g.greeting,
             a.link, ${event.requestId}::uuid,
             (case when r.email is null then 'skipped' else 'pending' end)::outbox_status, 0, ${at},
             a.dedupe || ':' || r.key
        from recipient r
        join aud a on a.ord = r.ord
        cross join lateral (select ${greeting} as greeting) g
      on conflict (dedupe_key) do nothing
      returning 1
    )
    select count(*)::int as n from ins`);
  return Number(rowsOf<{ n: number | string }>(res)[0]?.n ?? 0);
}

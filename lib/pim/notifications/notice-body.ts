import { getTableColumns, sql, type SQL } from "drizzle-orm";
import { notificationBodies, notifications } from "@/db/schema";

/** templates.ts `escapeHtml(s)` in SQL (ampersand first). */
export const escapeHtmlSql = (s: SQL) =>
  sql`replace(replace(replace(replace(replace(${s}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')`;

/**
 * A notice's text and HTML as the reader sees them: its own body, or (a notice of a fan-out, 0022) its
 * audience's parts around its greeting, escaped for HTML as `renderNotice` escapes it. Scalar sub-selects on
 * the bodies' primary key, so they work in any select list and in `UPDATE … RETURNING`.
 */
export const noticeText: SQL<string> = sql<string>`coalesce(${notifications.bodyText}, (select b.text_pre || ${notifications.greeting} || b.text_post from ${notificationBodies} b where b.key = ${notifications.bodyKey}))`;
export const noticeHtml: SQL<string> = sql<string>`coalesce(${notifications.bodyHtml}, (select b.html_pre || ${escapeHtmlSql(sql`${notifications.greeting}`)} || b.html_post from ${notificationBodies} b where b.key = ${notifications.bodyKey}))`;

/** Every column of a notice, with `bodyText` and `bodyHtml` as the reader sees them. */
export const noticeColumns = {
  ...getTableColumns(notifications),
  bodyText: noticeText,
  bodyHtml: noticeHtml,
};

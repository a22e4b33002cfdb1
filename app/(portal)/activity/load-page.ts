import { z } from "zod";
import { keysetPager, queryString } from "@/components/ui/keyset";
import type { Actor, Ctx } from "@/lib/pim/context";
import { listActivity, scopeLabeler } from "@/lib/pim/queries/activity-log";
import { DEFAULT_PAGE_SIZE, filterParams, type ActivityFilters, type AuditRowView } from "./filters";
import { toActivityQuery, toRowView } from "./mapping";

/** An audit cursor is the id of the last row of a page (digits); anything else in the URL reads as the first page. */
export const auditCursor = z.string().regex(/^\d{1,18}$/);

export type ActivityPage = {
  rows: AuditRowView[];
  /** Capped: "1,000+" rather than an exact count over a million rows. */
  total: { n: number; exact: boolean };
  /** 1-based number of the first row shown. */
  from: number;
  prevHref: string | null;
  nextHref: string | null;
  /** The CSV export of the same filtered set (all pages). */
  exportHref: string;
};

/**
 * One page of the Activity list, newest first. Paging is keyset both ways: the URL carries the trail of
 * cursors that led here, so Previous is the page before this one (not the first page) and every page
 * costs the same at any depth. The read model authorizes the view (`filters.view`): Forbidden for Resource
 * audit without a reader role.
 */
export async function loadActivityPage(ctx: Ctx, actor: Actor, filters: ActivityFilters): Promise<ActivityPage> {
  const size = filters.size ?? DEFAULT_PAGE_SIZE;
  const pager = keysetPager(filters.page, auditCursor, size);
  const [page, label] = await Promise.all([
    listActivity(ctx, actor, toActivityQuery(filters), { cursor: pager.cursor, limit: size }),
    scopeLabeler(ctx),
  ]);
  const keep = { view: filters.view, ...filterParams(filters), size: filters.size };
  const href = (p: string | null) => `/activity${queryString({ ...keep, page: p })}`;
  const next = pager.nextParam(page.nextCursor);
  return {
    rows: page.rows.map((r) => toRowView(r, label)),
    total: page.total ?? { n: 0, exact: true },
    from: pager.from,
    prevHref: pager.prevParam === undefined ? null : href(pager.prevParam),
    nextHref: next ? href(next) : null,
    exportHref: `/activity/export${queryString({ view: filters.view, ...filterParams(filters) })}`,
  };
}

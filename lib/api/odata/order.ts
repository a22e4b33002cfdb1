/**
 * `$orderby` on one documented property (`displayName`, `createdDateTime desc`, …), paged by keyset on
 * (property, id) so every page is an index range, never an OFFSET. More than one property is a clear 400.
 */
import { asc, desc, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { badRequest, unsupportedQuery } from "../errors";

export type OrderCol = { column: AnyColumn | SQL; type: "text" | "timestamptz" };
export type OrderMap = Record<string, OrderCol>;
export type OrderBy = { field: string; desc: boolean };

export function parseOrderBy(text: string, orderable: OrderMap): OrderBy {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const names = Object.keys(orderable);
  if (names.length === 0) throw unsupportedQuery("$orderby is not supported on this resource.");
  if (items.length !== 1)
    throw unsupportedQuery(
      `$orderby takes one property here (one of: ${names.join(", ")}), optionally with asc or desc.`,
    );
  const m = /^([A-Za-z][A-Za-z0-9/]*)(?:\s+(asc|desc))?$/i.exec(items[0] as string);
  if (!m?.[1]) throw badRequest(`Syntax error in $orderby '${text.slice(0, 100)}': use 'property [asc|desc]'.`);
  if (!Object.prototype.hasOwnProperty.call(orderable, m[1]))
    throw unsupportedQuery(`Ordering by '${m[1]}' is not supported. Supported properties: ${names.join(", ")}.`);
  return { field: m[1], desc: (m[2] ?? "asc").toLowerCase() === "desc" };
}

/** ORDER BY and the keyset condition for a `$orderby`, with `id` (uuid or bigint) as the tie-breaker. */
export function orderPlan(
  order: OrderBy,
  orderable: OrderMap,
  id: AnyColumn,
  after: (string | number)[] | null,
  idType: "uuid" | "bigint" = "uuid",
): { orderBy: SQL[]; where: SQL | undefined } {
  const col = orderable[order.field] as OrderCol;
  const dir = order.desc ? desc : asc;
  const orderBy = [dir(col.column as AnyColumn), dir(id)];
  if (!after) return { orderBy, where: undefined };
  const [v, i] = after;
  const bad = () => badRequest("The $skiptoken is not valid for this request.");
  if (typeof v !== "string" || v.length > 500) throw bad();
  if (col.type === "timestamptz" && Number.isNaN(new Date(v).getTime())) throw bad();
  if (idType === "uuid" && (typeof i !== "string" || !/^[0-9a-f-]{36}$/i.test(i))) throw bad();
  if (idType === "bigint" && (typeof i !== "number" || !Number.isSafeInteger(i))) throw bad();
  const value = col.type === "timestamptz" ? sql`${v}::timestamptz` : sql`${v}`;
  const idValue = idType === "uuid" ? sql`${i}::uuid` : sql`${i}::bigint`;
  const where = order.desc
    ? sql`(${col.column}, ${id}) < (${value}, ${idValue})`
    : sql`(${col.column}, ${id}) > (${value}, ${idValue})`;
  return { orderBy, where };
}

/** The cursor value of a row's order property (dates as ISO text). */
export const cursorValue = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v ?? ""));

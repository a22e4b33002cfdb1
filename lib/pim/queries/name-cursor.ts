import { sql, type SQLWrapper } from "drizzle-orm";

/**
 * The keyset cursor of the pages sorted by a name (Users, Groups, Service principals): the row's sort name and
 * id, and whether the page lies after (a) or before (b) it. Opaque to the browser (base64url JSON); a cursor
 * from a URL is untrusted, and a malformed one reads as "first page".
 */
export type NameCursor = { n: string; i: string; d: "a" | "b" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeNameCursor(c: NameCursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

function decodeNameCursor(raw: string | null | undefined): NameCursor | null {
  if (!raw || raw.length > 2048) return null;
  try {
    const v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<NameCursor> | null;
    if (v && typeof v === "object" && typeof v.n === "string" && typeof v.i === "string" && UUID.test(v.i))
      return { n: v.n, i: v.i, d: v.d === "b" ? "b" : "a" };
  } catch {
    // a malformed cursor reads as "first page"
  }
  return null;
}

/**
 * Where a page keyed on (name, id) starts: the decoded cursor, its direction, and the row-value condition
 * `(name, id) > (…)` (`<` backward) that one range read of a (name, id) index answers; no condition on the first page.
 */
export function nameKeyset(raw: string | null | undefined, name: SQLWrapper, id: SQLWrapper) {
  const cursor = decodeNameCursor(raw);
  const backward = cursor?.d === "b";
  const after = cursor
    ? sql`(${name}, ${id}) ${sql.raw(backward ? "<" : ">")} (${cursor.n}, ${cursor.i}::uuid)`
    : undefined;
  return { cursor, backward, after };
}

/**
 * A page from rows read with one extra (`limit + 1`, in the keyset's direction): the page in display order and
 * the cursors around it. Forward, rows after exist when it over-fetched and rows before when it started from a
 * cursor; backward, mirrored.
 */
export function keysetPage<R>(
  rows: R[],
  limit: number,
  from: NameCursor | null,
  key: (r: R) => { n: string; i: string },
): { page: R[]; nextCursor: string | null; prevCursor: string | null } {
  const backward = from?.d === "b";
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backward) page.reverse();
  const hasNext = backward ? true : more;
  const hasPrev = backward ? more : Boolean(from);
  const first = page[0];
  const last = page[page.length - 1];
  return {
    page,
    nextCursor: hasNext && last ? encodeNameCursor({ ...key(last), d: "a" }) : null,
    prevCursor: hasPrev && first ? encodeNameCursor({ ...key(first), d: "b" }) : null,
  };
}

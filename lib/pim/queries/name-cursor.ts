/**
 * The keyset cursor of the pages sorted by a name (Users, Groups, Service principals): the row's sort name and
 * id, and whether the page lies after (a) or before (b) it. Opaque to the browser (base64url JSON); a cursor
 * from a URL is untrusted, and a malformed one reads as "first page".
 */
export type NameCursor = { n: string; i: string; d: "a" | "b" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeNameCursor(c: NameCursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

export function decodeNameCursor(raw: string | null | undefined): NameCursor | null {
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
 * The cursors around a page read with one extra row (`more`): forward, rows after exist when it over-fetched
 * and rows before when it started from a cursor; backward, mirrored. `page` is in display order.
 */
export function pageCursors<R>(
  page: R[],
  key: (r: R) => { n: string; i: string },
  from: NameCursor | null,
  more: boolean,
): { nextCursor: string | null; prevCursor: string | null } {
  const backward = from?.d === "b";
  const hasNext = backward ? true : more;
  const hasPrev = backward ? more : Boolean(from);
  const first = page[0];
  const last = page[page.length - 1];
  return {
    nextCursor: hasNext && last ? encodeNameCursor({ ...key(last), d: "a" }) : null,
    prevCursor: hasPrev && first ? encodeNameCursor({ ...key(first), d: "b" }) : null,
  };
}

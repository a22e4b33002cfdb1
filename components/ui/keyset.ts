import type { z } from "zod";

/**
 * Keyset paging through links: the URL carries the trail of cursors that led to the current page
 * (base64url JSON), so "Previous" is the trail without its last cursor and "Next" appends the read
 * model's `nextCursor`. Cursors from the URL are untrusted: they are validated with the caller's schema
 * and an invalid trail falls back to the first page.
 */
export type KeysetPager<C> = {
  /** Cursor for the read model (null = first page). */
  cursor: C | null;
  /** 1-based number of the first row on this page ("Showing 51 - 100 ..."). */
  from: number;
  /** Search-param value for the previous page: `null` = first page (remove the param), `undefined` = no previous page. */
  prevParam: string | null | undefined;
  /** Search-param value for the next page, or undefined when there is none. */
  nextParam: (next: C | null) => string | undefined;
};

const encode = (trail: unknown[]) => Buffer.from(JSON.stringify(trail)).toString("base64url");

export function keysetPager<C>(raw: string | null | undefined, schema: z.ZodType<C>, pageSize: number): KeysetPager<C> {
  let trail: C[] = [];
  if (raw) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
      if (Array.isArray(parsed) && parsed.length <= 1000) {
        const ok = parsed.map((c) => schema.safeParse(c));
        if (ok.every((r) => r.success)) trail = ok.map((r) => r.data as C);
      }
    } catch {
      trail = [];
    }
  }
  return {
    cursor: trail[trail.length - 1] ?? null,
    from: trail.length * pageSize + 1,
    prevParam: trail.length === 0 ? undefined : trail.length === 1 ? null : encode(trail.slice(0, -1)),
    nextParam: (next) => (next ? encode([...trail, next]) : undefined),
  };
}

/** `?a=1&b=2` from the non-empty values (for page links that keep the other filters). */
export function queryString(params: Record<string, string | number | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : "";
}

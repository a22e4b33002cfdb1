import { and, asc, count, desc, gt, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { users } from "@/db/schema";
import type { Ctx } from "../context";

export type UserListRow = {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  accountEnabled: boolean;
  lastSignInAt: Date | null;
};

export type UserListPage = {
  rows: UserListRow[];
  /** All users matching the search (for "Showing 1 - N of M results."). */
  total: number;
  /** Opaque cursor for the next page, or null on the last page. */
  nextCursor: string | null;
  /** Opaque cursor for the previous page, or null on the first page. */
  prevCursor: string | null;
};

/** Keyset position: display name and id of a row, and whether the page lies after (a) or before (b) it. */
type UserCursor = { n: string; i: string; d?: "a" | "b" };

/** `%`, `_` and `\` are literal in a search box. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function encodeUserCursor(c: UserCursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

export function decodeUserCursor(s: string | null | undefined): UserCursor | null {
  if (!s) return null;
  try {
    const v = JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as unknown;
    if (
      v &&
      typeof v === "object" &&
      typeof (v as UserCursor).n === "string" &&
      typeof (v as UserCursor).i === "string"
    ) {
      const c = v as UserCursor;
      if (!/^[0-9a-f-]{36}$/i.test(c.i)) return null;
      return { n: c.n, i: c.i, d: c.d === "b" ? "b" : "a" };
    }
  } catch {
    // a malformed cursor reads as "first page"
  }
  return null;
}

/**
 * The directory's users ordered by display name, keyset-paginated on (display_name, id) so any
 * page costs the same (users_display_name_idx). Search matches name, UPN or mail, case-insensitively.
 * Reading the directory is open to every signed-in person (as in Entra); callers authenticate.
 */
export async function listUsers(
  ctx: Ctx,
  input: { search?: string; cursor?: string | null; limit?: number },
): Promise<UserListPage> {
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 200);
  const q = input.search?.trim();
  const filter: SQL | undefined = q
    ? or(
        ilike(users.displayName, likePattern(q)),
        ilike(users.userPrincipalName, likePattern(q)),
        ilike(users.mail, likePattern(q)),
      )
    : undefined;
  const cur = decodeUserCursor(input.cursor);
  const backward = cur?.d === "b";
  const position = !cur
    ? undefined
    : backward
      ? or(lt(users.displayName, cur.n), and(sql`${users.displayName} = ${cur.n}`, lt(users.id, cur.i)))
      : or(gt(users.displayName, cur.n), and(sql`${users.displayName} = ${cur.n}`, gt(users.id, cur.i)));
  const dir = backward ? desc : asc;

  const [rows, totals] = await Promise.all([
    ctx.db
      .select({
        id: users.id,
        displayName: users.displayName,
        userPrincipalName: users.userPrincipalName,
        mail: users.mail,
        jobTitle: users.jobTitle,
        accountEnabled: users.accountEnabled,
        lastSignInAt: users.lastSignInAt,
      })
      .from(users)
      .where(and(filter, position))
      .orderBy(dir(users.displayName), dir(users.id))
      .limit(limit + 1),
    ctx.db.select({ n: count() }).from(users).where(filter),
  ]);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backward) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  // Forward: more rows after if we over-fetched; rows before exist iff we started from a cursor. Backward: mirrored.
  const hasNext = backward ? true : more;
  const hasPrev = backward ? more : Boolean(cur);
  return {
    rows: page,
    total: Number(totals[0]?.n ?? 0),
    nextCursor: hasNext && last ? encodeUserCursor({ n: last.displayName, i: last.id, d: "a" }) : null,
    prevCursor: hasPrev && first ? encodeUserCursor({ n: first.displayName, i: first.id, d: "b" }) : null,
  };
}

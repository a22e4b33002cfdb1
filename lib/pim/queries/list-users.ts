import { and, asc, desc, ilike, or, sql, type SQL } from "drizzle-orm";
import { users } from "@/db/schema";
import { hasPermissionNow } from "../authz";
import type { Actor, Ctx } from "../context";
import { USER_UPDATE_PERMISSION } from "../use-cases/set-user-enabled";
import { privilegedUserIds } from "../internal/privileged-users";
import { rowsOf } from "../sql-rows";
import { cappedCount, readRights, toCapped, type CappedCount } from "./read-scope";
import { keysetPage, nameKeyset } from "./name-cursor";

export type UserListRow = {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  accountEnabled: boolean;
  lastSignInAt: Date | null;
  /** The actor may disable / enable this person now (the use case's rule, decided for the whole page at once). */
  canSetEnabled: boolean;
};

export type UserListPage = {
  rows: UserListRow[];
  /** Users matching the search (for "Showing 1 - N of M results."), capped at `USER_COUNT_CAP`. */
  total: CappedCount;
  /** The actor's rights shown on the page: holds GA or PRA now (Reset MFA). */
  viewer: { admin: boolean };
  /** Opaque cursor for the next page, or null on the last page. */
  nextCursor: string | null;
  /** Opaque cursor for the previous page, or null on the first page. */
  prevCursor: string | null;
};

/** `%`, `_` and `\` are literal in a search box. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Above this the footer says "1,000+": counting a whole directory on every page load buys nothing. */
export const USER_COUNT_CAP = 1000;

/**
 * The directory's users ordered by display name, keyset-paginated on the row value `(display_name, id)` so
 * any page is one range read of users_display_name_idx. Search matches name, UPN or mail, case-insensitively.
 * Reading the directory is open to every signed-in person (as in Entra). Whether each row may be disabled
 * is decided set-based for the page (`privilegedUserIds` once, the actor's rights once), never per row.
 * Five statements whatever the page size.
 */
export async function listUsers(
  ctx: Ctx,
  actor: Actor,
  input: { search?: string; cursor?: string | null; limit?: number },
): Promise<UserListPage> {
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 200);
  const now = ctx.now();
  const q = input.search?.trim();
  const filter: SQL | undefined = q
    ? or(
        ilike(users.displayName, likePattern(q)),
        ilike(users.userPrincipalName, likePattern(q)),
        ilike(users.mail, likePattern(q)),
      )
    : undefined;
  const { cursor: cur, backward, after: position } = nameKeyset(input.cursor, users.displayName, users.id);
  const dir = backward ? desc : asc;

  const [rows, totals, mayUpdate, admin] = await Promise.all([
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
    ctx.db.execute(
      sql`select ${cappedCount(sql`select 1 from ${users} ${filter ? sql`where ${filter}` : sql``}`, USER_COUNT_CAP)} as n`,
    ),
    hasPermissionNow(ctx, actor, { permission: USER_UPDATE_PERMISSION }),
    readRights(ctx, actor).then((r) => r.admin),
  ]);
  const { page, ...cursors } = keysetPage(rows, limit, cur, (r) => ({ n: r.displayName, i: r.id }));
  // The Disable / Enable rule of setUserEnabled: update right now; GA/PRA for privileged people; never oneself.
  const privileged =
    mayUpdate && !admin
      ? await privilegedUserIds(
          ctx.db,
          page.map((r) => r.id),
          now,
        )
      : new Set();
  return {
    rows: page.map((r) => ({
      ...r,
      canSetEnabled: mayUpdate && r.id !== actor.id && (admin || !privileged.has(r.id)),
    })),
    total: toCapped(rowsOf<{ n: number }>(totals)[0]?.n, USER_COUNT_CAP),
    viewer: { admin },
    ...cursors,
  };
}

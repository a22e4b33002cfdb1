import { sql } from "drizzle-orm";
import { isSystemActor, type Actor, type Ctx } from "../context";
import { forbidden } from "../errors";
import { rowsOf } from "../sql-rows";
import { readRights } from "./read-scope";

export type SearchHit = { id: string; name: string; detail: string | null };
export type GlobalSearchResult = {
  roles: SearchHit[];
  people: SearchHit[];
  /** Groups only for PIM readers (what a group holds is theirs to see); empty for everyone else. */
  groups: SearchHit[];
  /** Whether the actor reads PIM (decides where a role or group result leads). */
  reader: boolean;
};

/** Per kind; the box shows a handful of each, as the portal's search does. */
export const SEARCH_LIMIT = 5;
/** Longer queries are cut: a name is never this long and a prefix this long finds nothing new. */
export const SEARCH_MAX_LENGTH = 100;

/** `abc` → `abc%` with LIKE's wildcards in the query escaped (a `%` typed matches a `%`). */
const prefixPattern = (q: string) => `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The top bar's search: roles, people and groups whose name (or, for people, user principal name) starts
 * with what was typed, case-insensitively. Prefix matches on `lower(name) COLLATE "C"` are btree range scans
 * on the *_search_idx indexes (migration 0012), read in index order and stopped after `SEARCH_LIMIT` rows,
 * so the cost does not grow with the directory (100,000 people: the same few pages of one index). Roles are
 * a small table and match anywhere in the name. Signed-in people only; groups for PIM readers only.
 * Four statements (the reader check, roles, people, groups).
 */
export async function searchDirectory(ctx: Ctx, actor: Actor, query: { q: string }): Promise<GlobalSearchResult> {
  if (isSystemActor(actor)) throw forbidden("The search is for signed-in people.");
  const q = query.q.trim().toLowerCase().slice(0, SEARCH_MAX_LENGTH);
  if (q === "") return { roles: [], people: [], groups: [], reader: false };
  const prefix = prefixPattern(q);
  const anywhere = `%${prefix}`;
  const { reader } = await readRights(ctx, actor);
  const [roles, people, groups] = await Promise.all([
    ctx.db.execute(sql`
      select id, display_name as name, null as detail from role_definitions
       where group_id is null and display_name ilike ${anywhere}
       order by (lower(display_name) like ${prefix}) desc, display_name, id limit ${SEARCH_LIMIT}`),
    // Two index range scans (name, UPN), each stopped early, merged; a person found by both appears once.
    ctx.db.execute(sql`
      select id, name, detail from (
        (select id, display_name as name, user_principal_name as detail, lower(display_name) collate "C" as k
           from users where lower(display_name) collate "C" like ${prefix}
          order by lower(display_name) collate "C", id limit ${SEARCH_LIMIT})
        union
        (select id, display_name, user_principal_name, lower(display_name) collate "C"
           from users where lower(user_principal_name) collate "C" like ${prefix}
          order by lower(user_principal_name) collate "C", id limit ${SEARCH_LIMIT})
      ) hits order by k, id limit ${SEARCH_LIMIT}`),
    reader
      ? ctx.db.execute(sql`
          select id, display_name as name, description as detail from groups
           where lower(display_name) collate "C" like ${prefix}
           order by lower(display_name) collate "C", id limit ${SEARCH_LIMIT}`)
      : Promise.resolve(null),
  ]);
  const hits = (res: unknown): SearchHit[] =>
    res === null ? [] : rowsOf<SearchHit>(res).map((r) => ({ id: r.id, name: r.name, detail: r.detail ?? null }));
  return { roles: hits(roles), people: hits(people), groups: hits(groups), reader };
}

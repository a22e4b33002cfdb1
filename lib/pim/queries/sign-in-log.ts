import { and, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { signInEvents, users } from "@/db/schema";
import type { Actor, Ctx } from "../context";
import { pimReader } from "./read-scope";
import { PimError } from "../errors";
import { likePattern } from "./list-users";

/**
 * The sign-in log (table sign_in_events, written by lib/auth): password and OIDC sign-ins, failures, MFA
 * answers and lockouts. The read model authorizes itself: `mine` is always the actor's own sign-ins; the
 * whole log needs a PIM admin or reader role held now (GA, PRA, Security Administrator/Reader, Global Reader).
 * Newest first, keyset on (at, id): any page costs the same at any depth.
 */
export type SignInLogQuery = {
  mine?: boolean;
  since?: Date;
  until?: Date;
  /** Display name, user principal name or the name typed (for attempts that matched nobody). */
  person?: string;
  kind?: "password" | "oidc" | "mfa";
  result?: "success" | "failure" | "locked";
  clientIp?: string;
};
export type SignInCursor = { at: string; id: number };
export type SignInRow = {
  id: number;
  at: Date;
  userId: string | null;
  displayName: string | null;
  userPrincipalName: string | null;
  identifier: string | null;
  kind: "password" | "oidc" | "mfa";
  result: "success" | "failure" | "locked";
  reason: string | null;
  clientIp: string | null;
  userAgent: string | null;
};

const columns = {
  id: signInEvents.id,
  at: signInEvents.at,
  userId: signInEvents.userId,
  displayName: users.displayName,
  userPrincipalName: users.userPrincipalName,
  identifier: signInEvents.identifier,
  kind: signInEvents.kind,
  result: signInEvents.result,
  reason: signInEvents.reason,
  clientIp: signInEvents.clientIp,
  userAgent: signInEvents.userAgent,
};

async function scope(ctx: Ctx, actor: Actor, q: SignInLogQuery): Promise<SQL | undefined> {
  if (q.mine) return eq(signInEvents.userId, actor.id);
  if (!(await pimReader(ctx, actor)))
    throw new PimError(
      "Forbidden",
      "The sign-in log is for PIM administrators and readers (Global Administrator, Privileged Role Administrator, Security Administrator, Security Reader, Global Reader). Activate one of these roles, or see your own sign-ins in My audit.",
    );
  return undefined;
}

function filters(q: SignInLogQuery): (SQL | undefined)[] {
  const p = q.person ? likePattern(q.person) : null;
  return [
    q.since ? gte(signInEvents.at, q.since) : undefined,
    q.until ? lt(signInEvents.at, q.until) : undefined,
    p
      ? or(ilike(users.displayName, p), ilike(users.userPrincipalName, p), ilike(signInEvents.identifier, p))
      : undefined,
    q.kind ? eq(signInEvents.kind, q.kind) : undefined,
    q.result ? eq(signInEvents.result, q.result) : undefined,
    q.clientIp ? eq(signInEvents.clientIp, q.clientIp) : undefined,
  ];
}

/** One page of the log, newest first, and the cursor of the next page (null at the end). */
export async function listSignIns(
  ctx: Ctx,
  actor: Actor,
  q: SignInLogQuery,
  page: { cursor?: SignInCursor | null; limit?: number } = {},
): Promise<{ rows: SignInRow[]; nextCursor: SignInCursor | null }> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
  const c = page.cursor;
  const after = c
    ? sql`(${signInEvents.at}, ${signInEvents.id}) < (${new Date(c.at).toISOString()}::timestamptz, ${c.id})`
    : undefined;
  const rows = await ctx.db
    .select(columns)
    .from(signInEvents)
    .leftJoin(users, eq(users.id, signInEvents.userId))
    .where(and(await scope(ctx, actor, q), ...filters(q), after))
    .orderBy(desc(signInEvents.at), desc(signInEvents.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return { rows: shown, nextCursor: more && last ? { at: last.at.toISOString(), id: last.id } : null };
}

/** Every row of the filtered log, page by page (for the CSV export); authorized like `listSignIns`. */
export async function* iterateSignIns(ctx: Ctx, actor: Actor, q: SignInLogQuery): AsyncGenerator<SignInRow> {
  let cursor: SignInCursor | null = null;
  do {
    const page: { rows: SignInRow[]; nextCursor: SignInCursor | null } = await listSignIns(ctx, actor, q, {
      cursor,
      limit: 500,
    });
    yield* page.rows;
    cursor = page.nextCursor;
  } while (cursor);
}

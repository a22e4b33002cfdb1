import { and, asc, count, eq, inArray, isNotNull, isNull, not, or, sql, type SQL } from "drizzle-orm";
import { alias, type PgColumn } from "drizzle-orm/pg-core";
import { groupMembers, groups, users } from "@/db/schema";
import type { Actor, Ctx } from "../context";
import { assertProvisioningApp, visibleUser } from "../internal/provisioning";

/** A SCIM filter after the adapter resolved its attribute names (RFC 7644 §3.4.2.2), ready for SQL. */
export type ScimCondition<A extends string> =
  | { op: "and" | "or"; of: ScimCondition<A>[] }
  | { op: "not"; of: ScimCondition<A> }
  | { op: "pr"; attr: A }
  | { op: "eq" | "ne" | "co" | "sw" | "ew"; attr: A; value: string | boolean | null };

export type UserAttr =
  | "id"
  | "userName"
  | "externalId"
  | "displayName"
  | "email"
  | "active"
  | "givenName"
  | "familyName"
  | "title"
  | "department";
export type GroupAttr = "id" | "displayName" | "externalId" | "member";

type Col = { col: PgColumn | SQL; caseExact: boolean; kind: "text" | "bool" | "uuid" };
const userCols: Record<UserAttr, Col> = {
  id: { col: users.id, caseExact: true, kind: "uuid" },
  userName: { col: users.userPrincipalName, caseExact: false, kind: "text" },
  externalId: { col: users.externalId, caseExact: true, kind: "text" },
  displayName: { col: users.displayName, caseExact: false, kind: "text" },
  email: { col: users.mail, caseExact: false, kind: "text" },
  active: { col: users.accountEnabled, caseExact: true, kind: "bool" },
  givenName: { col: users.givenName, caseExact: false, kind: "text" },
  familyName: { col: users.familyName, caseExact: false, kind: "text" },
  title: { col: users.jobTitle, caseExact: false, kind: "text" },
  department: { col: users.department, caseExact: false, kind: "text" },
};
const groupCols: Record<Exclude<GroupAttr, "member">, Col> = {
  id: { col: groups.id, caseExact: true, kind: "uuid" },
  displayName: { col: groups.displayName, caseExact: false, kind: "text" },
  externalId: { col: groups.externalId, caseExact: true, kind: "text" },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One comparison as SQL. A value of the wrong type for the attribute matches nothing (never an error). */
function compare(c: Col, op: "eq" | "ne" | "co" | "sw" | "ew" | "pr", value: string | boolean | null): SQL {
  const col = c.col;
  if (op === "pr") return sql`${col} is not null`;
  if (c.kind === "bool") {
    if (typeof value !== "boolean" || (op !== "eq" && op !== "ne")) return sql`false`;
    return op === "eq" ? sql`${col} = ${value}` : sql`${col} <> ${value}`;
  }
  if (typeof value !== "string") return value === null && op === "eq" ? sql`${col} is null` : sql`false`;
  if (c.kind === "uuid") {
    if (op !== "eq" && op !== "ne") return sql`false`;
    if (!UUID.test(value)) return op === "eq" ? sql`false` : sql`true`;
    return op === "eq" ? sql`${col} = ${value}` : sql`${col} <> ${value}`;
  }
  const lhs = c.caseExact ? sql`${col}` : sql`lower(${col})`;
  const v = c.caseExact ? value : value.toLowerCase();
  switch (op) {
    case "eq":
      return sql`${lhs} = ${v}`;
    case "ne":
      return sql`(${lhs} is null or ${lhs} <> ${v})`;
    case "co":
      return sql`${lhs} like ${`%${likeEscape(v)}%`}`;
    case "sw":
      return sql`${lhs} like ${`${likeEscape(v)}%`}`;
    default:
      return sql`${lhs} like ${`%${likeEscape(v)}`}`;
  }
}

function compile<A extends string>(
  c: ScimCondition<A>,
  leaf: (attr: A, op: "eq" | "ne" | "co" | "sw" | "ew" | "pr", value: string | boolean | null) => SQL,
): SQL {
  if (c.op === "and" || c.op === "or") {
    const parts = c.of.map((x) => compile(x, leaf));
    return (c.op === "and" ? and(...parts) : or(...parts)) ?? sql`true`;
  }
  if (c.op === "not") return not(compile(c.of, leaf));
  if (c.op === "pr") return leaf(c.attr, "pr", null);
  const cmp = c as Extract<ScimCondition<A>, { value: unknown }>;
  return leaf(cmp.attr, cmp.op, cmp.value);
}

export type Page = { startIndex: number; count: number };
const manager = alias(users, "manager");

export type ScimUserRow = typeof users.$inferSelect & { managerName: string | null };

/**
 * SCIM `GET /Users` (and `/Users/{id}`): people visible to provisioning, filtered, ordered by creation,
 * `startIndex` (1-based) and `count` as RFC 7644 §3.4.2.4 says. Two statements: the page and its total.
 * The filters identity providers send (`userName eq`, `externalId eq`) use the UPN and externalId indexes.
 */
export async function listScimUsers(
  ctx: Ctx,
  actor: Actor,
  q: { where: ScimCondition<UserAttr> | null } & Page,
): Promise<{ total: number; rows: ScimUserRow[] }> {
  await assertProvisioningApp(ctx.db, actor, ctx.now());
  const where = and(visibleUser, q.where ? compile(q.where, (a, op, v) => compare(userCols[a], op, v)) : undefined);
  const [rows, [total]] = await Promise.all([
    q.count === 0
      ? Promise.resolve([])
      : ctx.db
          .select({ u: users, managerName: manager.displayName })
          .from(users)
          .leftJoin(manager, eq(manager.id, users.managerId))
          .where(where)
          .orderBy(asc(users.createdAt), asc(users.id))
          .offset(q.startIndex - 1)
          .limit(q.count),
    ctx.db.select({ n: count() }).from(users).where(where),
  ]);
  return { total: Number(total?.n ?? 0), rows: rows.map((r) => ({ ...r.u, managerName: r.managerName })) };
}

export type ScimGroupRow = {
  id: string;
  displayName: string;
  externalId: string | null;
  createdAt: Date;
  members: { id: string; displayName: string }[] | null;
};

/**
 * SCIM `GET /Groups`: groups made by provisioning only. `members[value eq "id"]` is answered from the
 * membership index; members are loaded in one statement for the whole page unless excluded
 * (`excludedAttributes=members`, as Entra ID asks), and only members visible to provisioning are listed.
 */
export async function listScimGroups(
  ctx: Ctx,
  actor: Actor,
  q: { where: ScimCondition<GroupAttr> | null; withMembers: boolean } & Page,
): Promise<{ total: number; rows: ScimGroupRow[] }> {
  await assertProvisioningApp(ctx.db, actor, ctx.now());
  const leaf = (a: GroupAttr, op: "eq" | "ne" | "co" | "sw" | "ew" | "pr", v: string | boolean | null): SQL => {
    if (a !== "member") return compare(groupCols[a], op, v);
    if (op === "pr") return sql`exists (select 1 from ${groupMembers} where ${groupMembers.groupId} = ${groups.id})`;
    if (op !== "eq" || typeof v !== "string" || !UUID.test(v)) return sql`false`;
    return sql`exists (select 1 from ${groupMembers} where ${groupMembers.groupId} = ${groups.id} and ${groupMembers.userId} = ${v})`;
  };
  const where = and(isNotNull(groups.provisionedBy), q.where ? compile(q.where, leaf) : undefined);
  const [rows, [total]] = await Promise.all([
    q.count === 0
      ? Promise.resolve([])
      : ctx.db
          .select({
            id: groups.id,
            displayName: groups.displayName,
            externalId: groups.externalId,
            createdAt: groups.createdAt,
          })
          .from(groups)
          .where(where)
          .orderBy(asc(groups.createdAt), asc(groups.id))
          .offset(q.startIndex - 1)
          .limit(q.count),
    ctx.db.select({ n: count() }).from(groups).where(where),
  ]);
  const members = new Map<string, { id: string; displayName: string }[]>();
  if (q.withMembers && rows.length > 0) {
    const ms = await ctx.db
      .select({ groupId: groupMembers.groupId, id: users.id, displayName: users.displayName })
      .from(groupMembers)
      .innerJoin(users, eq(users.id, groupMembers.userId))
      .where(
        and(
          inArray(
            groupMembers.groupId,
            rows.map((r) => r.id),
          ),
          isNull(users.deprovisionedAt),
        ),
      )
      .orderBy(asc(groupMembers.addedAt), asc(users.id));
    for (const m of ms) {
      const list = members.get(m.groupId) ?? [];
      list.push({ id: m.id, displayName: m.displayName });
      members.set(m.groupId, list);
    }
  }
  return {
    total: Number(total?.n ?? 0),
    rows: rows.map((r) => ({ ...r, members: q.withMembers ? (members.get(r.id) ?? []) : null })),
  };
}

/** roleDefinitions, users, groups, me and auditLogs/directoryAudits. */
import { and, asc, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { auditEvents as ae, groups as g, roleDefinitions as rd, servicePrincipals, users as u } from "@/db/schema";
import { isPimReader } from "@/lib/pim/authz";
import { badRequest, forbidden, notFound, unsupportedQuery } from "../errors";
import type { ApiContext } from "../handler";
import { cursorValue, orderPlan } from "../odata/order";
import {
  encodeSkipToken,
  nextLink,
  parseCollectionQuery,
  type CollectionQuery,
  type CollectionSpec,
} from "../odata/query";
import { countWhere } from "./count";
import {
  afterTextKey,
  applySelect,
  beforeKey,
  collection,
  contextUrl,
  guidOr404,
  iso,
  roleDefinitionOut,
} from "./serialize";

const noCollectionOptions = (q: { filterText: string | null; after: unknown; count: boolean }) => {
  if (q.filterText !== null || q.after || q.count)
    throw unsupportedQuery("$filter, $skiptoken and $count apply to collections only.");
};

// ------------------------------------------------------------------ role definitions
const ROLE_SPEC: CollectionSpec = {
  fields: {
    id: { column: rd.id, type: "guid" },
    displayName: { column: rd.displayName, type: "string" },
    isBuiltIn: { column: rd.isBuiltIn, type: "boolean" },
    isEnabled: { column: rd.isEnabled, type: "boolean" },
    templateId: { column: rd.templateId, type: "guid", nullable: true },
  },
  selectable: [
    "id",
    "displayName",
    "description",
    "isBuiltIn",
    "isEnabled",
    "templateId",
    "version",
    "resourceScopes",
    "rolePermissions",
  ],
  orderable: { displayName: { column: rd.displayName, type: "text" } },
};

/** Keyset paging in `$orderby`'s order, or by (displayName, id) when none is given. */
function textOrder(q: CollectionQuery, spec: CollectionSpec, name: SQL | typeof rd.displayName, id: typeof rd.id) {
  if (q.orderBy) return orderPlan(q.orderBy, spec.orderable ?? {}, id, q.after);
  return { orderBy: [asc(name), asc(sql`${id}::text`)], where: afterTextKey(name, id, q.after) };
}

function nextByOrder<R extends { id: string }>(
  c: ApiContext,
  q: CollectionQuery,
  rows: R[],
  valueOf: (r: R, field: string) => unknown,
  defaultField: string,
) {
  const last = rows.slice(0, q.top)[q.top - 1];
  if (rows.length <= q.top || !last) return null;
  const v = cursorValue(valueOf(last, q.orderBy?.field ?? defaultField));
  return nextLink(c.url, encodeSkipToken([v, last.id], q.fingerprint));
}

/** Directory roles only: a group's member/owner access definitions (PIM for Groups) are not unifiedRoleDefinitions. */
const directoryRole = isNull(rd.groupId);

export async function listRoleDefinitions(c: ApiContext) {
  const q = parseCollectionQuery(c.url, ROLE_SPEC, c.req.headers);
  const o = textOrder(q, ROLE_SPEC, rd.displayName, rd.id);
  const rows = await c.ctx.db
    .select()
    .from(rd)
    .where(and(directoryRole, q.where, o.where))
    .orderBy(...o.orderBy)
    .limit(q.top + 1);
  const page = rows.slice(0, q.top);
  const next = nextByOrder(c, q, rows, (r, f) => r[f as keyof typeof r], "displayName");
  const count = q.count ? await countWhere(c.ctx.db, rd, and(directoryRole, q.where)) : undefined;
  return collection(
    contextUrl(c.url, `roleManagement/directory/roleDefinitions${q.contextSuffix}`),
    page.map((r) => applySelect(roleDefinitionOut(r), q.select, q.expand)),
    { count, nextLink: next },
  );
}

export async function getRoleDefinition(c: ApiContext, rawId: string) {
  const id = guidOr404(rawId, "unifiedRoleDefinition");
  const q = parseCollectionQuery(c.url, { ...ROLE_SPEC, fields: {} });
  noCollectionOptions(q);
  const [row] = await c.ctx.db
    .select()
    .from(rd)
    .where(and(eq(rd.id, id), directoryRole))
    .limit(1);
  if (!row) throw notFound(`No unifiedRoleDefinition with id '${id}' exists.`);
  return {
    "@odata.context": contextUrl(c.url, "roleManagement/directory/roleDefinitions/$entity"),
    ...applySelect(roleDefinitionOut(row), q.select, q.expand),
  };
}

// ------------------------------------------------------------------ users
const USER_SPEC: CollectionSpec = {
  fields: {
    id: { column: u.id, type: "guid" },
    displayName: { column: u.displayName, type: "string" },
    userPrincipalName: { column: u.userPrincipalName, type: "string", ci: true },
    mail: { column: u.mail, type: "string", nullable: true, ci: true },
    accountEnabled: { column: u.accountEnabled, type: "boolean" },
    department: { column: u.department, type: "string", nullable: true },
    jobTitle: { column: u.jobTitle, type: "string", nullable: true },
  },
  selectable: ["id", "displayName", "userPrincipalName", "mail", "jobTitle", "department", "accountEnabled"],
  orderable: {
    displayName: { column: u.displayName, type: "text" },
    userPrincipalName: { column: u.userPrincipalName, type: "text" },
  },
  searchable: { displayName: u.displayName, userPrincipalName: u.userPrincipalName, mail: u.mail },
};
const USER_COLS = {
  id: u.id,
  displayName: u.displayName,
  userPrincipalName: u.userPrincipalName,
  mail: u.mail,
  jobTitle: u.jobTitle,
  department: u.department,
  accountEnabled: u.accountEnabled,
};

export async function listUsers(c: ApiContext) {
  const q = parseCollectionQuery(c.url, USER_SPEC, c.req.headers);
  const o = q.orderBy
    ? orderPlan(q.orderBy, USER_SPEC.orderable ?? {}, u.id, q.after)
    : { orderBy: [asc(u.displayName), asc(sql`${u.id}::text`)], where: afterTextKey(u.displayName, u.id, q.after) };
  const rows = await c.ctx.db
    .select(USER_COLS)
    .from(u)
    .where(and(q.where, o.where))
    .orderBy(...o.orderBy)
    .limit(q.top + 1);
  const page = rows.slice(0, q.top);
  const next = nextByOrder(c, q, rows, (r, f) => r[f as keyof typeof r], "displayName");
  const count = q.count ? await countWhere(c.ctx.db, u, q.where) : undefined;
  return collection(
    contextUrl(c.url, `users${q.contextSuffix}`),
    page.map((r) => applySelect(r, q.select, q.expand)),
    { count, nextLink: next },
  );
}

export async function getUser(c: ApiContext, idOrUpn: string) {
  const q = parseCollectionQuery(c.url, { ...USER_SPEC, fields: {} });
  noCollectionOptions(q);
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrUpn);
  if (!byId && (idOrUpn.length > 200 || !idOrUpn.includes("@")))
    throw notFound(
      `Resource '${idOrUpn}' does not exist or one of its queried reference-property objects are not present.`,
    );
  const [row] = await c.ctx.db
    .select(USER_COLS)
    .from(u)
    .where(byId ? eq(u.id, idOrUpn) : sql`lower(${u.userPrincipalName}) = lower(${idOrUpn})`)
    .limit(1);
  if (!row)
    throw notFound(
      `Resource '${idOrUpn}' does not exist or one of its queried reference-property objects are not present.`,
    );
  return { "@odata.context": contextUrl(c.url, "users/$entity"), ...applySelect(row, q.select, q.expand) };
}

// ------------------------------------------------------------------ groups
const GROUP_SPEC: CollectionSpec = {
  fields: {
    id: { column: g.id, type: "guid" },
    displayName: { column: g.displayName, type: "string" },
    mailNickname: { column: g.mailNickname, type: "string", nullable: true, ci: true },
    isAssignableToRole: { column: g.isAssignableToRole, type: "boolean" },
  },
  selectable: [
    "id",
    "displayName",
    "description",
    "mailNickname",
    "isAssignableToRole",
    "securityEnabled",
    "mailEnabled",
  ],
  orderable: { displayName: { column: g.displayName, type: "text" } },
  searchable: { displayName: g.displayName, description: g.description, mailNickname: g.mailNickname },
};
type GroupRow = typeof g.$inferSelect;
const groupOut = (r: GroupRow) => ({
  id: r.id,
  displayName: r.displayName,
  description: r.description,
  mailNickname: r.mailNickname,
  isAssignableToRole: r.isAssignableToRole,
  securityEnabled: true,
  mailEnabled: false,
});

export async function listGroups(c: ApiContext) {
  const q = parseCollectionQuery(c.url, GROUP_SPEC, c.req.headers);
  const o = q.orderBy
    ? orderPlan(q.orderBy, GROUP_SPEC.orderable ?? {}, g.id, q.after)
    : { orderBy: [asc(g.displayName), asc(sql`${g.id}::text`)], where: afterTextKey(g.displayName, g.id, q.after) };
  const rows = await c.ctx.db
    .select()
    .from(g)
    .where(and(q.where, o.where))
    .orderBy(...o.orderBy)
    .limit(q.top + 1);
  const page = rows.slice(0, q.top);
  const next = nextByOrder(c, q, rows, (r, f) => r[f as keyof typeof r], "displayName");
  const count = q.count ? await countWhere(c.ctx.db, g, q.where) : undefined;
  return collection(
    contextUrl(c.url, `groups${q.contextSuffix}`),
    page.map((r) => applySelect(groupOut(r), q.select, q.expand)),
    { count, nextLink: next },
  );
}

export async function getGroup(c: ApiContext, rawId: string) {
  const id = guidOr404(rawId, "group");
  const q = parseCollectionQuery(c.url, { ...GROUP_SPEC, fields: {} });
  noCollectionOptions(q);
  const [row] = await c.ctx.db.select().from(g).where(eq(g.id, id)).limit(1);
  if (!row)
    throw notFound(`Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
  return { "@odata.context": contextUrl(c.url, "groups/$entity"), ...applySelect(groupOut(row), q.select, q.expand) };
}

export async function getMe(c: ApiContext) {
  if (c.caller.kind !== "user") throw badRequest("/me request is only valid with delegated authentication flow.");
  return getUser(c, c.caller.actor.id);
}

// ------------------------------------------------------------------ audit
const actorUserUpn = sql`(select x.user_principal_name from users x where x.id = ${ae.actorId})`;
const AUDIT_SPEC: CollectionSpec = {
  fields: {
    id: { column: ae.eventId, type: "guid" },
    activityDateTime: { column: ae.createdAt, type: "datetime" },
    activityDisplayName: { column: ae.activity, type: "string" },
    category: { column: ae.category, type: "string" },
    result: { column: ae.result, type: "enum", values: ["success", "failure"] },
    correlationId: { column: ae.requestId, type: "guid", nullable: true },
    "initiatedBy/user/id": { column: ae.actorId, type: "guid", nullable: true },
    "initiatedBy/user/userPrincipalName": { column: actorUserUpn, type: "string", nullable: true, ci: true },
    "initiatedBy/app/servicePrincipalId": { column: ae.actorId, type: "guid", nullable: true },
    "targetResources/id": { column: ae.targetId, type: "guid", nullable: true },
    operationType: { column: ae.operation, type: "string" },
  },
  selectable: [
    "id",
    "category",
    "correlationId",
    "result",
    "resultReason",
    "activityDisplayName",
    "activityDateTime",
    "loggedByService",
    "operationType",
    "initiatedBy",
    "targetResources",
    "additionalDetails",
  ],
  orderable: { activityDateTime: { column: ae.createdAt, type: "timestamptz" } },
};

const actorUser = alias(u, "actor_user");
const targetUser = alias(u, "target_user");
const actorApp = alias(servicePrincipals, "actor_app");

/** The audit row with the sign-in names and app id Graph shows beside the ids (three indexed joins). */
function selectAudits(c: ApiContext) {
  return c.ctx.db
    .select({
      a: ae,
      actorUpn: actorUser.userPrincipalName,
      targetUpn: targetUser.userPrincipalName,
      actorAppId: actorApp.appId,
    })
    .from(ae)
    .leftJoin(actorUser, and(eq(ae.actorType, "User"), eq(actorUser.id, ae.actorId)))
    .leftJoin(targetUser, and(eq(ae.targetType, "User"), eq(targetUser.id, ae.targetId)))
    .leftJoin(actorApp, and(eq(ae.actorType, "ServicePrincipal"), eq(actorApp.id, ae.actorId)));
}
type AuditRow = Awaited<ReturnType<ReturnType<typeof selectAudits>["where"]>>[number];

const asJson = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/**
 * Graph's modifiedProperties from what the use case recorded: `before`/`after` snapshots (role settings),
 * `{old, new}` pairs, else each recorded detail as a new value.
 */
export function modifiedProperties(details: Record<string, unknown>) {
  const out: { displayName: string; oldValue: string | null; newValue: string | null }[] = [];
  const before = details.before as Record<string, unknown> | undefined;
  const after = details.after as Record<string, unknown> | undefined;
  if (before && after && typeof before === "object" && typeof after === "object") {
    const keys = Array.isArray(details.changedFields) ? (details.changedFields as string[]) : Object.keys(after);
    for (const k of keys) out.push({ displayName: k, oldValue: asJson(before[k]), newValue: asJson(after[k]) });
    return out;
  }
  for (const [k, v] of Object.entries(details)) {
    if (k === "changed" || k === "code") continue;
    if (v && typeof v === "object" && !Array.isArray(v) && "old" in v && "new" in v) {
      const pair = v as { old: unknown; new: unknown };
      out.push({ displayName: k, oldValue: asJson(pair.old), newValue: asJson(pair.new) });
    } else out.push({ displayName: k, oldValue: null, newValue: asJson(v) });
  }
  return out;
}

function auditOut(row: AuditRow) {
  const a = row.a;
  type Target = {
    id: string;
    displayName: string | null;
    type: string;
    userPrincipalName: string | null;
    modifiedProperties: ReturnType<typeof modifiedProperties>;
  };
  const targets: Target[] = [];
  const changes = modifiedProperties(a.details ?? {});
  if (a.targetId)
    targets.push({
      id: a.targetId,
      displayName: a.targetName,
      type: a.targetType ?? "User",
      userPrincipalName: a.targetType === "User" ? row.targetUpn : null,
      modifiedProperties: [],
    });
  if (a.roleDefinitionId)
    targets.push({
      id: a.roleDefinitionId,
      displayName: a.roleName,
      type: "Role",
      userPrincipalName: null,
      modifiedProperties: [],
    });
  if (a.requestId)
    targets.push({
      id: a.requestId,
      displayName: null,
      type: "Request",
      userPrincipalName: null,
      modifiedProperties: [],
    });
  // what changed belongs to the first thing changed (the principal, else the role, else the request)
  if (targets[0]) targets[0].modifiedProperties = changes;
  const details: { key: string; value: string }[] = [];
  for (const [key, value] of [
    ["directoryScopeId", a.directoryScopeId],
    ["justification", a.justification],
    ["ticketNumber", a.ticketNumber],
    ["ticketSystem", a.ticketSystem],
    ["ipAddress", a.clientIp],
    ["userAgent", a.userAgent],
  ] as const) {
    if (value) details.push({ key, value });
  }
  return {
    id: a.eventId,
    category: a.category,
    correlationId: a.requestId,
    result: a.result,
    resultReason: a.resultReason ?? "",
    activityDisplayName: a.activity,
    activityDateTime: iso(a.createdAt),
    loggedByService: "PIM",
    operationType: a.operation,
    initiatedBy: {
      user:
        a.actorType === "User" && a.actorId
          ? { id: a.actorId, displayName: a.actorName, userPrincipalName: row.actorUpn, ipAddress: a.clientIp }
          : null,
      app:
        a.actorType === "ServicePrincipal" && a.actorId
          ? {
              appId: row.actorAppId,
              displayName: a.actorName,
              servicePrincipalId: a.actorId,
              servicePrincipalName: a.actorName,
            }
          : null,
    },
    targetResources: targets,
    additionalDetails: details,
  };
}

async function assertAuditReader(c: ApiContext) {
  if (!(await isPimReader(c.ctx.db, c.caller.actor.id, c.ctx.now())))
    throw forbidden(
      "Reading the audit log needs an active reader or administrator role (Global Reader, Security Reader, Security Administrator, Privileged Role Administrator, Global Administrator).",
    );
}

export async function listAudits(c: ApiContext) {
  const q = parseCollectionQuery(c.url, AUDIT_SPEC, c.req.headers);
  await assertAuditReader(c);
  const where: SQL | undefined = q.where;
  const o = q.orderBy
    ? orderPlan(q.orderBy, AUDIT_SPEC.orderable ?? {}, ae.id, q.after, "bigint")
    : { orderBy: [desc(ae.createdAt), desc(ae.id)], where: beforeKey(ae.createdAt, ae.id, q.after, "bigint") };
  const rows = await selectAudits(c)
    .where(and(where, o.where))
    .orderBy(...o.orderBy)
    .limit(q.top + 1);
  const page = rows.slice(0, q.top);
  const last = page[page.length - 1];
  const next =
    rows.length > q.top && last
      ? nextLink(c.url, encodeSkipToken([last.a.createdAt.toISOString(), last.a.id], q.fingerprint))
      : null;
  const count = q.count ? await countWhere(c.ctx.db, ae, where) : undefined;
  return collection(
    contextUrl(c.url, `auditLogs/directoryAudits${q.contextSuffix}`),
    page.map((a) => applySelect(auditOut(a), q.select, q.expand)),
    { count, nextLink: next },
  );
}

export async function getAudit(c: ApiContext, rawId: string) {
  const id = guidOr404(rawId, "directoryAudit");
  const q = parseCollectionQuery(c.url, { ...AUDIT_SPEC, fields: {} });
  noCollectionOptions(q);
  await assertAuditReader(c);
  const [row] = await selectAudits(c).where(eq(ae.eventId, id)).limit(1);
  if (!row) throw notFound(`No directoryAudit with id '${id}' exists.`);
  return {
    "@odata.context": contextUrl(c.url, "auditLogs/directoryAudits/$entity"),
    ...applySelect(auditOut(row), q.select, q.expand),
  };
}

/** roleDefinitions, users, me and auditLogs/directoryAudits. */
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { auditEvents as ae, roleDefinitions as rd, users as u } from "@/db/schema";
import { isPimReader } from "@/lib/pim";
import { badRequest, forbidden, notFound, unsupportedQuery } from "../errors";
import type { ApiContext } from "../handler";
import { encodeSkipToken, nextLink, parseCollectionQuery, type CollectionSpec } from "../odata/query";
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
};

export async function listRoleDefinitions(c: ApiContext) {
  const q = parseCollectionQuery(c.url, ROLE_SPEC);
  const rows = await c.ctx.db
    .select()
    .from(rd)
    .where(and(q.where, afterTextKey(rd.displayName, rd.id, q.after)))
    .orderBy(asc(rd.displayName), asc(sql`${rd.id}::text`))
    .limit(q.top + 1);
  const page = rows.slice(0, q.top);
  const last = page[page.length - 1];
  const next =
    rows.length > q.top && last ? nextLink(c.url, encodeSkipToken([last.displayName, last.id], q.fingerprint)) : null;
  const count = q.count ? await countWhere(c.ctx.db, rd, q.where) : undefined;
  return collection(
    contextUrl(c.url, "roleManagement/directory/roleDefinitions"),
    page.map((r) => applySelect(roleDefinitionOut(r), q.select, q.expand)),
    { count, nextLink: next },
  );
}

export async function getRoleDefinition(c: ApiContext, rawId: string) {
  const id = guidOr404(rawId, "unifiedRoleDefinition");
  const q = parseCollectionQuery(c.url, { ...ROLE_SPEC, fields: {} });
  noCollectionOptions(q);
  const [row] = await c.ctx.db.select().from(rd).where(eq(rd.id, id)).limit(1);
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
    userPrincipalName: { column: u.userPrincipalName, type: "string" },
    mail: { column: u.mail, type: "string", nullable: true },
    accountEnabled: { column: u.accountEnabled, type: "boolean" },
    department: { column: u.department, type: "string", nullable: true },
    jobTitle: { column: u.jobTitle, type: "string", nullable: true },
  },
  selectable: ["id", "displayName", "userPrincipalName", "mail", "jobTitle", "department", "accountEnabled"],
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
  const q = parseCollectionQuery(c.url, USER_SPEC);
  const rows = await c.ctx.db
    .select(USER_COLS)
    .from(u)
    .where(and(q.where, afterTextKey(u.displayName, u.id, q.after)))
    .orderBy(asc(u.displayName), asc(sql`${u.id}::text`))
    .limit(q.top + 1);
  const page = rows.slice(0, q.top);
  const last = page[page.length - 1];
  const next =
    rows.length > q.top && last ? nextLink(c.url, encodeSkipToken([last.displayName, last.id], q.fingerprint)) : null;
  const count = q.count ? await countWhere(c.ctx.db, u, q.where) : undefined;
  return collection(
    contextUrl(c.url, "users"),
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

export async function getMe(c: ApiContext) {
  if (c.caller.kind !== "user") throw badRequest("/me request is only valid with delegated authentication flow.");
  return getUser(c, c.caller.actor.id);
}

// ------------------------------------------------------------------ audit
const AUDIT_SPEC: CollectionSpec = {
  fields: {
    id: { column: ae.eventId, type: "guid" },
    activityDateTime: { column: ae.createdAt, type: "datetime" },
    activityDisplayName: { column: ae.activity, type: "string" },
    category: { column: ae.category, type: "string" },
    result: { column: ae.result, type: "enum", values: ["success", "failure"] },
    correlationId: { column: ae.requestId, type: "guid", nullable: true },
    "initiatedBy/user/id": { column: ae.actorId, type: "guid", nullable: true },
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
};

type AuditRow = typeof ae.$inferSelect;

function auditOut(a: AuditRow) {
  const targets: { id: string; displayName: string | null; type: string }[] = [];
  if (a.targetId) targets.push({ id: a.targetId, displayName: a.targetName, type: a.targetType ?? "User" });
  if (a.roleDefinitionId) targets.push({ id: a.roleDefinitionId, displayName: a.roleName, type: "Role" });
  if (a.requestId) targets.push({ id: a.requestId, displayName: null, type: "Request" });
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
          ? { id: a.actorId, displayName: a.actorName, userPrincipalName: null }
          : null,
      app:
        a.actorType === "ServicePrincipal" && a.actorId
          ? { servicePrincipalId: a.actorId, displayName: a.actorName }
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
  const q = parseCollectionQuery(c.url, AUDIT_SPEC);
  await assertAuditReader(c);
  const where: SQL | undefined = q.where;
  const rows = await c.ctx.db
    .select()
    .from(ae)
    .where(and(where, beforeKey(ae.createdAt, ae.id, q.after, "bigint")))
    .orderBy(desc(ae.createdAt), desc(ae.id))
    .limit(q.top + 1);
  const page = rows.slice(0, q.top);
  const last = page[page.length - 1];
  const next =
    rows.length > q.top && last
      ? nextLink(c.url, encodeSkipToken([last.createdAt.toISOString(), last.id], q.fingerprint))
      : null;
  const count = q.count ? await countWhere(c.ctx.db, ae, where) : undefined;
  return collection(
    contextUrl(c.url, "auditLogs/directoryAudits"),
    page.map((a) => applySelect(auditOut(a), q.select, q.expand)),
    { count, nextLink: next },
  );
}

export async function getAudit(c: ApiContext, rawId: string) {
  const id = guidOr404(rawId, "directoryAudit");
  const q = parseCollectionQuery(c.url, { ...AUDIT_SPEC, fields: {} });
  noCollectionOptions(q);
  await assertAuditReader(c);
  const [row] = await c.ctx.db.select().from(ae).where(eq(ae.eventId, id)).limit(1);
  if (!row) throw notFound(`No directoryAudit with id '${id}' exists.`);
  return {
    "@odata.context": contextUrl(c.url, "auditLogs/directoryAudits/$entity"),
    ...applySelect(auditOut(row), q.select, q.expand),
  };
}

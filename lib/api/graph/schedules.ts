/**
 * roleAssignmentSchedules / roleEligibilitySchedules (current and future schedules) and
 * roleAssignmentScheduleInstances / roleEligibilityScheduleInstances (in force now: start <= now < end,
 * not Canceled — the engine's access rule). Readers see all; filterByCurrentUser(on='principal') shows the
 * caller's own, including those held through a group (memberType "Group").
 */
import { and, desc, eq, gt, inArray, isNull, lte, ne, or, sql, type SQL } from "drizzle-orm";
import {
  groupMembers,
  groups,
  roleAssignmentSchedules as ras,
  roleDefinitions,
  roleEligibilitySchedules as res,
  servicePrincipals,
  users,
} from "@/db/schema";
import { isPimReader } from "@/lib/pim/authz";
import type { ApiContext } from "../handler";
import { forbidden, notFound, unsupportedQuery } from "../errors";
import type { FieldMap } from "../odata/compile";
import { selectInside } from "../odata/expand";
import { cursorValue, orderPlan } from "../odata/order";
import {
  encodeSkipToken,
  nextLink,
  parseCollectionQuery,
  type CollectionQuery,
  type CollectionSpec,
} from "../odata/query";
import { countWhere } from "./count";
import { SCHEDULE_STATUSES } from "./schemas";
import {
  applySelect,
  beforeKey,
  collection,
  contextUrl,
  directoryRoleRows,
  guidOr404,
  iso,
  principalOut,
  roleDefinitionColumns,
  roleDefinitionOut,
  scheduleInfo,
} from "./serialize";

export type ScheduleKind = "assignment" | "eligibility";
export type ScheduleView = "schedules" | "instances";

export const tableOf = (k: ScheduleKind) => (k === "assignment" ? ras : res);
export const scheduleCollection = (k: ScheduleKind, v: ScheduleView) =>
  `role${k === "assignment" ? "Assignment" : "Eligibility"}Schedule${v === "instances" ? "Instances" : "s"}`;

function fields(k: ScheduleKind, v: ScheduleView): FieldMap {
  const t = tableOf(k);
  const f: FieldMap = {
    id: { column: t.id, type: "guid" },
    principalId: { column: t.principalId, type: "guid" },
    roleDefinitionId: { column: t.roleDefinitionId, type: "guid" },
    directoryScopeId: { column: t.directoryScopeId, type: "string" },
    memberType: { column: t.memberType, type: "enum", values: ["Direct", "Group"] },
    startDateTime: { column: t.startDateTime, type: "datetime" },
    endDateTime: { column: t.endDateTime, type: "datetime", nullable: true },
  };
  if (k === "assignment")
    f.assignmentType = { column: ras.assignmentType, type: "enum", values: ["Assigned", "Activated"] };
  if (v === "schedules") {
    f.status = { column: t.status, type: "enum", values: SCHEDULE_STATUSES };
    f.createdUsing = { column: t.createdUsing, type: "guid", nullable: true };
  } else if (k === "assignment") {
    f.roleAssignmentScheduleId = { column: t.id, type: "guid" };
  } else {
    f.roleEligibilityScheduleId = { column: t.id, type: "guid" };
  }
  return f;
}

function selectable(k: ScheduleKind, v: ScheduleView): string[] {
  const common = ["id", "principalId", "roleDefinitionId", "directoryScopeId", "appScopeId", "memberType"];
  const extra =
    v === "schedules"
      ? ["createdUsing", "createdDateTime", "modifiedDateTime", "status", "scheduleInfo"]
      : ["startDateTime", "endDateTime"];
  const kindExtra =
    k === "assignment"
      ? ["assignmentType", ...(v === "instances" ? ["roleAssignmentScheduleId", "roleAssignmentOriginId"] : [])]
      : v === "instances"
        ? ["roleEligibilityScheduleId"]
        : [];
  return [...common, ...extra, ...kindExtra];
}

/** Inside `$expand=principal(...)` / `roleDefinition(...)`: the properties we serve of each. */
export const PRINCIPAL_EXPAND_SPECS = {
  principal: { selectable: ["id", "displayName", "userPrincipalName"] },
  roleDefinition: {
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
  },
};

/** The Graph type of an item (written as `@odata.type` where the answer is a function's collection). */
export const scheduleTypeName = (k: ScheduleKind, v: ScheduleView) =>
  `unifiedRole${k === "assignment" ? "Assignment" : "Eligibility"}Schedule${v === "instances" ? "Instance" : ""}`;

export const scheduleSpec = (k: ScheduleKind, v: ScheduleView): CollectionSpec => {
  const t = tableOf(k);
  return {
    fields: fields(k, v),
    selectable: selectable(k, v),
    expandable: ["principal", "roleDefinition"],
    expandSpecs: PRINCIPAL_EXPAND_SPECS,
    orderable:
      v === "instances"
        ? { startDateTime: { column: t.startDateTime, type: "timestamptz" } }
        : { createdDateTime: { column: t.createdAt, type: "timestamptz" } },
  };
};

/** Which rows the view holds at `now`. */
export function viewCond(k: ScheduleKind, v: ScheduleView, now: Date): SQL {
  const t = tableOf(k);
  const notOver = or(isNull(t.endDateTime), gt(t.endDateTime, now));
  if (v === "schedules") return and(inArray(t.status, ["Provisioned", "Granted"]), notOver) as SQL;
  return and(ne(t.status, "Canceled"), lte(t.startDateTime, now), notOver) as SQL;
}

/** The caller's own rows: held directly or through a group they belong to. */
export const mine = (k: ScheduleKind, me: string): SQL =>
  sql`(${tableOf(k).principalId} = ${me}::uuid or ${tableOf(k).principalId} in (select ${groupMembers.groupId} from ${groupMembers} where ${groupMembers.userId} = ${me}::uuid))`;

export async function selectRows(
  c: ApiContext,
  k: ScheduleKind,
  where: SQL | undefined,
  limit: number,
  orderBy: SQL[] | null = null,
) {
  const t = tableOf(k);
  return c.ctx.db
    .select({
      id: t.id,
      principalId: t.principalId,
      principalType: t.principalType,
      roleDefinitionId: t.roleDefinitionId,
      directoryScopeId: t.directoryScopeId,
      memberType: t.memberType,
      status: t.status,
      startDateTime: t.startDateTime,
      endDateTime: t.endDateTime,
      createdUsing: t.createdUsing,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      assignmentType: k === "assignment" ? ras.assignmentType : sql<null>`null`,
      principalName: sql<
        string | null
      >`coalesce(${users.displayName}, ${groups.displayName}, ${servicePrincipals.displayName})`,
      principalUpn: users.userPrincipalName,
      role: roleDefinitionColumns,
    })
    .from(t)
    .innerJoin(roleDefinitions, eq(roleDefinitions.id, t.roleDefinitionId))
    .leftJoin(users, and(eq(t.principalType, "User"), eq(users.id, t.principalId)))
    .leftJoin(groups, and(eq(t.principalType, "Group"), eq(groups.id, t.principalId)))
    .leftJoin(servicePrincipals, and(eq(t.principalType, "ServicePrincipal"), eq(servicePrincipals.id, t.principalId)))
    .where(where)
    .orderBy(...(orderBy ?? [desc(t.createdAt), desc(t.id)]))
    .limit(limit);
}
export type ScheduleRow = Awaited<ReturnType<typeof selectRows>>[number];
type Row = ScheduleRow;

/** The time fields of a schedule (its scheduleInfo and audit times) or of an instance (start and end), in Graph's shape. */
export function scheduleTimes(row: Row, v: ScheduleView): Record<string, unknown> {
  if (v !== "schedules") return { startDateTime: iso(row.startDateTime), endDateTime: iso(row.endDateTime) };
  return {
    createdUsing: row.createdUsing,
    createdDateTime: iso(row.createdAt),
    modifiedDateTime: iso(row.updatedAt),
    status: row.status,
    scheduleInfo: scheduleInfo(
      row.startDateTime,
      row.endDateTime ? "afterDateTime" : "noExpiration",
      row.endDateTime,
      null,
    ),
  };
}

function out(k: ScheduleKind, v: ScheduleView, row: Row, me: string | null, q: CollectionQuery, fnCall = false) {
  const { select, expand } = q;
  const memberType = me && row.principalType === "Group" && row.principalId !== me ? "Group" : row.memberType;
  const base: Record<string, unknown> = {
    id: row.id,
    principalId: row.principalId,
    roleDefinitionId: row.roleDefinitionId,
    directoryScopeId: row.directoryScopeId,
    appScopeId: null,
    memberType,
  };
  Object.assign(base, scheduleTimes(row, v));
  if (k === "assignment") {
    base.assignmentType = row.assignmentType;
    if (v === "instances") Object.assign(base, { roleAssignmentScheduleId: row.id, roleAssignmentOriginId: row.id });
  } else if (v === "instances") {
    base.roleEligibilityScheduleId = row.id;
  }
  if (expand.has("principal"))
    base.principal = selectInside(
      principalOut({ type: row.principalType, id: row.principalId, name: row.principalName, upn: row.principalUpn }),
      q.expandTree.get("principal"),
    );
  if (expand.has("roleDefinition"))
    base.roleDefinition = selectInside(roleDefinitionOut(row.role), q.expandTree.get("roleDefinition"));
  const shaped = applySelect(base, select, expand);
  // a function's answer is a Collection(type): Graph names each item's type
  return fnCall ? { "@odata.type": `#microsoft.graph.${scheduleTypeName(k, v)}`, ...shaped } : shaped;
}

export async function listSchedules(c: ApiContext, k: ScheduleKind, v: ScheduleView, currentUser: boolean) {
  const spec = scheduleSpec(k, v);
  const q = parseCollectionQuery(c.url, spec, c.req.headers);
  const me = c.caller.actor.id;
  const now = c.ctx.now();
  if (!currentUser && !(await isPimReader(c.ctx.db, me, now))) {
    throw forbidden(
      "Listing every assignment needs an active reader or administrator role. Use filterByCurrentUser(on='principal') for your own.",
    );
  }
  const t = tableOf(k);
  const base = and(
    viewCond(k, v, now),
    directoryRoleRows(t.roleDefinitionId),
    currentUser ? mine(k, me) : undefined,
    q.where,
  );
  const o = q.orderBy
    ? orderPlan(q.orderBy, spec.orderable ?? {}, t.id, q.after)
    : { orderBy: null, where: beforeKey(t.createdAt, t.id, q.after) };
  const rows = await selectRows(c, k, and(base, o.where), q.top + 1, o.orderBy);
  const page = rows.slice(0, q.top);
  const last = page[page.length - 1];
  const keyOf = (r: Row) => (q.orderBy?.field === "startDateTime" ? r.startDateTime : r.createdAt);
  const next =
    rows.length > q.top && last
      ? nextLink(c.url, encodeSkipToken([cursorValue(keyOf(last)), last.id], q.fingerprint))
      : null;
  const count = q.count ? await countWhere(c.ctx.db, t, base) : undefined;
  const context = currentUser
    ? contextUrl(c.url, `Collection(${scheduleTypeName(k, v)})`)
    : contextUrl(c.url, `roleManagement/directory/${scheduleCollection(k, v)}${q.contextSuffix}`);
  return collection(
    context,
    page.map((r) => out(k, v, r, currentUser ? me : null, q, currentUser)),
    { count, nextLink: next },
  );
}

export async function getSchedule(c: ApiContext, k: ScheduleKind, v: ScheduleView, rawId: string) {
  const id = guidOr404(rawId, scheduleCollection(k, v));
  const q = parseCollectionQuery(c.url, { ...scheduleSpec(k, v), fields: {} });
  if (q.filterText !== null || q.after || q.count)
    throw unsupportedQuery("$filter, $skiptoken and $count apply to collections only.");
  const me = c.caller.actor.id;
  const reader = await isPimReader(c.ctx.db, me, c.ctx.now());
  const t = tableOf(k);
  const [row] = await selectRows(
    c,
    k,
    and(
      eq(t.id, id),
      directoryRoleRows(t.roleDefinitionId),
      v === "instances" ? viewCond(k, v, c.ctx.now()) : undefined,
      reader ? undefined : mine(k, me),
    ),
    1,
  );
  if (!row) throw notFound(`No ${scheduleCollection(k, v)} object with id '${id}' exists.`);
  return {
    "@odata.context": contextUrl(c.url, `roleManagement/directory/${scheduleCollection(k, v)}/$entity`),
    ...out(k, v, row, reader ? null : me, q),
  };
}

// ------------------------------------------------------------------ roleAssignments
/** `roleManagement/directory/roleAssignments`: the active assignments in force now, as unifiedRoleAssignment. */
const ROLE_ASSIGNMENT_SPEC: CollectionSpec = {
  fields: {
    id: { column: ras.id, type: "guid" },
    principalId: { column: ras.principalId, type: "guid" },
    roleDefinitionId: { column: ras.roleDefinitionId, type: "guid" },
    directoryScopeId: { column: ras.directoryScopeId, type: "string" },
  },
  selectable: ["id", "principalId", "roleDefinitionId", "directoryScopeId", "resourceScope", "appScopeId", "condition"],
  expandable: ["principal", "roleDefinition"],
  expandSpecs: PRINCIPAL_EXPAND_SPECS,
};

function roleAssignmentOut(row: Row, q: CollectionQuery) {
  const base: Record<string, unknown> = {
    id: row.id,
    principalId: row.principalId,
    roleDefinitionId: row.roleDefinitionId,
    directoryScopeId: row.directoryScopeId,
    resourceScope: row.directoryScopeId,
    appScopeId: null,
    condition: null,
  };
  if (q.expand.has("principal"))
    base.principal = selectInside(
      principalOut({ type: row.principalType, id: row.principalId, name: row.principalName, upn: row.principalUpn }),
      q.expandTree.get("principal"),
    );
  if (q.expand.has("roleDefinition"))
    base.roleDefinition = selectInside(roleDefinitionOut(row.role), q.expandTree.get("roleDefinition"));
  return applySelect(base, q.select, q.expand);
}

export async function listRoleAssignments(c: ApiContext) {
  const q = parseCollectionQuery(c.url, ROLE_ASSIGNMENT_SPEC, c.req.headers);
  const me = c.caller.actor.id;
  const now = c.ctx.now();
  // Graph lets any caller with the permission read role assignments; a personal token sees its own
  // unless its owner holds a reader role (as the rest of this API)
  const reader = await isPimReader(c.ctx.db, me, now);
  const base = and(
    viewCond("assignment", "instances", now),
    directoryRoleRows(ras.roleDefinitionId),
    reader ? undefined : mine("assignment", me),
    q.where,
  );
  const rows = await selectRows(c, "assignment", and(base, beforeKey(ras.createdAt, ras.id, q.after)), q.top + 1);
  const page = rows.slice(0, q.top);
  const last = page[page.length - 1];
  const next =
    rows.length > q.top && last
      ? nextLink(c.url, encodeSkipToken([iso(last.createdAt) ?? "", last.id], q.fingerprint))
      : null;
  const count = q.count ? await countWhere(c.ctx.db, ras, base) : undefined;
  return collection(
    contextUrl(c.url, `roleManagement/directory/roleAssignments${q.contextSuffix}`),
    page.map((r) => roleAssignmentOut(r, q)),
    { count, nextLink: next },
  );
}

export async function getRoleAssignment(c: ApiContext, rawId: string) {
  const id = guidOr404(rawId, "unifiedRoleAssignment");
  const q = parseCollectionQuery(c.url, { ...ROLE_ASSIGNMENT_SPEC, fields: {} });
  if (q.filterText !== null || q.after || q.count)
    throw unsupportedQuery("$filter, $skiptoken and $count apply to collections only.");
  const me = c.caller.actor.id;
  const now = c.ctx.now();
  const reader = await isPimReader(c.ctx.db, me, now);
  const [row] = await selectRows(
    c,
    "assignment",
    and(
      eq(ras.id, id),
      directoryRoleRows(ras.roleDefinitionId),
      viewCond("assignment", "instances", now),
      reader ? undefined : mine("assignment", me),
    ),
    1,
  );
  if (!row) throw notFound(`No unifiedRoleAssignment with id '${id}' exists.`);
  return {
    "@odata.context": contextUrl(c.url, `roleManagement/directory/roleAssignments${q.contextSuffix}/$entity`),
    ...roleAssignmentOut(row, q),
  };
}

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
import { isPimReader } from "@/lib/pim";
import type { ApiContext } from "../handler";
import { forbidden, notFound, unsupportedQuery } from "../errors";
import type { FieldMap } from "../odata/compile";
import { encodeSkipToken, nextLink, parseCollectionQuery, type CollectionSpec } from "../odata/query";
import { countWhere } from "./count";
import { SCHEDULE_STATUSES } from "./schemas";
import {
  applySelect,
  beforeKey,
  collection,
  contextUrl,
  guidOr404,
  iso,
  principalOut,
  roleDefinitionColumns,
  roleDefinitionOut,
  scheduleInfo,
} from "./serialize";

export type ScheduleKind = "assignment" | "eligibility";
export type ScheduleView = "schedules" | "instances";

const tableOf = (k: ScheduleKind) => (k === "assignment" ? ras : res);
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

export const scheduleSpec = (k: ScheduleKind, v: ScheduleView): CollectionSpec => ({
  fields: fields(k, v),
  selectable: selectable(k, v),
  expandable: ["principal", "roleDefinition"],
});

/** Which rows the view holds at `now`. */
function viewCond(k: ScheduleKind, v: ScheduleView, now: Date): SQL {
  const t = tableOf(k);
  const notOver = or(isNull(t.endDateTime), gt(t.endDateTime, now));
  if (v === "schedules") return and(inArray(t.status, ["Provisioned", "Granted"]), notOver) as SQL;
  return and(ne(t.status, "Canceled"), lte(t.startDateTime, now), notOver) as SQL;
}

/** The caller's own rows: held directly or through a group they belong to. */
const mine = (k: ScheduleKind, me: string): SQL =>
  sql`(${tableOf(k).principalId} = ${me}::uuid or ${tableOf(k).principalId} in (select ${groupMembers.groupId} from ${groupMembers} where ${groupMembers.userId} = ${me}::uuid))`;

async function selectRows(c: ApiContext, k: ScheduleKind, where: SQL | undefined, limit: number) {
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
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(limit);
}
type Row = Awaited<ReturnType<typeof selectRows>>[number];

function out(
  k: ScheduleKind,
  v: ScheduleView,
  row: Row,
  me: string | null,
  select: string[] | null,
  expand: Set<string>,
) {
  const memberType = me && row.principalType === "Group" && row.principalId !== me ? "Group" : row.memberType;
  const base: Record<string, unknown> = {
    id: row.id,
    principalId: row.principalId,
    roleDefinitionId: row.roleDefinitionId,
    directoryScopeId: row.directoryScopeId,
    appScopeId: null,
    memberType,
  };
  if (v === "schedules") {
    Object.assign(base, {
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
    });
  } else {
    Object.assign(base, { startDateTime: iso(row.startDateTime), endDateTime: iso(row.endDateTime) });
  }
  if (k === "assignment") {
    base.assignmentType = row.assignmentType;
    if (v === "instances") Object.assign(base, { roleAssignmentScheduleId: row.id, roleAssignmentOriginId: row.id });
  } else if (v === "instances") {
    base.roleEligibilityScheduleId = row.id;
  }
  if (expand.has("principal"))
    base.principal = principalOut({
      type: row.principalType,
      id: row.principalId,
      name: row.principalName,
      upn: row.principalUpn,
    });
  if (expand.has("roleDefinition")) base.roleDefinition = roleDefinitionOut(row.role);
  return applySelect(base, select, expand);
}

export async function listSchedules(c: ApiContext, k: ScheduleKind, v: ScheduleView, currentUser: boolean) {
  const q = parseCollectionQuery(c.url, scheduleSpec(k, v));
  const me = c.caller.actor.id;
  const now = c.ctx.now();
  if (!currentUser && !(await isPimReader(c.ctx.db, me, now))) {
    throw forbidden(
      "Listing every assignment needs an active reader or administrator role. Use filterByCurrentUser(on='principal') for your own.",
    );
  }
  const t = tableOf(k);
  const base = and(viewCond(k, v, now), currentUser ? mine(k, me) : undefined, q.where);
  const rows = await selectRows(c, k, and(base, beforeKey(t.createdAt, t.id, q.after)), q.top + 1);
  const page = rows.slice(0, q.top);
  const last = page[page.length - 1];
  const next =
    rows.length > q.top && last
      ? nextLink(c.url, encodeSkipToken([iso(last.createdAt) ?? "", last.id], q.fingerprint))
      : null;
  const count = q.count ? await countWhere(c.ctx.db, t, base) : undefined;
  const context = contextUrl(c.url, `roleManagement/directory/${scheduleCollection(k, v)}`);
  return collection(
    context,
    page.map((r) => out(k, v, r, currentUser ? me : null, q.select, q.expand)),
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
    and(eq(t.id, id), v === "instances" ? viewCond(k, v, c.ctx.now()) : undefined, reader ? undefined : mine(k, me)),
    1,
  );
  if (!row) throw notFound(`No ${scheduleCollection(k, v)} object with id '${id}' exists.`);
  return {
    "@odata.context": contextUrl(c.url, `roleManagement/directory/${scheduleCollection(k, v)}/$entity`),
    ...out(k, v, row, reader ? null : me, q.select, q.expand),
  };
}

/** Reading schedule requests for the Graph API (names joined for $expand), and their Graph JSON. */
import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { groups, roleDefinitions, scheduleRequests as r, servicePrincipals, users } from "@/db/schema";
import type { Db } from "@/db/types";
import type { FieldMap } from "../odata/compile";
import { selectInside, type ExpandTree } from "../odata/expand";
import { REQUEST_STATUSES, SCHEDULE_ACTIONS } from "./schemas";
import { applySelect, iso, principalOut, roleDefinitionColumns, roleDefinitionOut, scheduleInfo } from "./serialize";

const pu = alias(users, "pu");
const ru = alias(users, "ru");
const rsp = alias(servicePrincipals, "rsp");

export const REQUEST_FIELDS: FieldMap = {
  id: { column: r.id, type: "guid" },
  action: { column: r.action, type: "enum", values: SCHEDULE_ACTIONS },
  status: { column: r.status, type: "enum", values: REQUEST_STATUSES },
  principalId: { column: r.principalId, type: "guid" },
  roleDefinitionId: { column: r.roleDefinitionId, type: "guid" },
  directoryScopeId: { column: r.directoryScopeId, type: "string" },
  targetScheduleId: { column: r.targetScheduleId, type: "guid", nullable: true },
  createdDateTime: { column: r.createdDateTime, type: "datetime" },
  completedDateTime: { column: r.completedDateTime, type: "datetime", nullable: true },
  "createdBy/user/id": { column: r.requestorId, type: "guid", nullable: true },
};

export const REQUEST_SELECTABLE = [
  "id",
  "action",
  "status",
  "principalId",
  "roleDefinitionId",
  "directoryScopeId",
  "appScopeId",
  "isValidationOnly",
  "targetScheduleId",
  "justification",
  "createdDateTime",
  "completedDateTime",
  "approvalId",
  "customData",
  "createdBy",
  "scheduleInfo",
  "ticketInfo",
] as const;

export async function selectRequests(db: Db, where: SQL | undefined, limit: number, orderBy: SQL[] | null = null) {
  return db
    .select({
      r,
      principalName: sql<
        string | null
      >`coalesce(${pu.displayName}, ${groups.displayName}, ${servicePrincipals.displayName})`,
      principalUpn: pu.userPrincipalName,
      requestorName: sql<string | null>`coalesce(${ru.displayName}, ${rsp.displayName})`,
      role: roleDefinitionColumns,
    })
    .from(r)
    .innerJoin(roleDefinitions, eq(roleDefinitions.id, r.roleDefinitionId))
    .leftJoin(pu, and(eq(r.principalType, "User"), eq(pu.id, r.principalId)))
    .leftJoin(groups, and(eq(r.principalType, "Group"), eq(groups.id, r.principalId)))
    .leftJoin(servicePrincipals, and(eq(r.principalType, "ServicePrincipal"), eq(servicePrincipals.id, r.principalId)))
    .leftJoin(ru, and(eq(r.requestorType, "User"), eq(ru.id, r.requestorId)))
    .leftJoin(rsp, and(eq(r.requestorType, "ServicePrincipal"), eq(rsp.id, r.requestorId)))
    .where(where)
    .orderBy(...(orderBy ?? [desc(r.createdDateTime), desc(r.id)]))
    .limit(limit);
}
export type RequestRowFull = Awaited<ReturnType<typeof selectRequests>>[number];

export async function requestsByIds(db: Db, ids: string[], extra?: SQL) {
  if (ids.length === 0) return [];
  return selectRequests(db, and(inArray(r.id, ids), extra), ids.length);
}

export function requestOut(row: RequestRowFull, select: string[] | null, expand: Set<string>, tree?: ExpandTree) {
  const q = row.r;
  const requestor = q.requestorId ? { id: q.requestorId, displayName: row.requestorName } : null;
  const body: Record<string, unknown> = {
    id: q.id,
    status: q.status,
    action: q.action,
    principalId: q.principalId,
    roleDefinitionId: q.roleDefinitionId,
    directoryScopeId: q.directoryScopeId,
    appScopeId: null,
    isValidationOnly: false,
    targetScheduleId: q.targetScheduleId,
    justification: q.justification,
    createdDateTime: iso(q.createdDateTime),
    completedDateTime: iso(q.completedDateTime),
    approvalId: q.approvalStages.length > 0 || q.status === "PendingApproval" ? q.id : null,
    customData: null,
    createdBy: {
      user: q.requestorType === "User" ? requestor : null,
      application: q.requestorType === "ServicePrincipal" ? requestor : null,
      device: null,
    },
    scheduleInfo: scheduleInfo(q.startDateTime, q.expirationType, q.endDateTime, q.duration),
    ticketInfo: { ticketNumber: q.ticketNumber, ticketSystem: q.ticketSystem },
  };
  if (expand.has("principal"))
    body.principal = selectInside(
      principalOut({ type: q.principalType, id: q.principalId, name: row.principalName, upn: row.principalUpn }),
      tree?.get("principal"),
    );
  if (expand.has("roleDefinition"))
    body.roleDefinition = selectInside(roleDefinitionOut(row.role), tree?.get("roleDefinition"));
  return applySelect(body, select, expand);
}

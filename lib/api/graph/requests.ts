/**
 * roleAssignmentScheduleRequests and roleEligibilityScheduleRequests: list (readers), filterByCurrentUser
 * (principal | createdBy | approver), get by id, create (every action, through the engine's use cases),
 * cancel. Graph's `requestType` is the collection: assignment or eligibility.
 */
import { and, eq, type SQL } from "drizzle-orm";
import { scheduleRequests as r } from "@/db/schema";
import { cancelRequest } from "@/lib/pim/use-cases/cancel-request";
import { isPimReader } from "@/lib/pim/authz";
import { listApprovableRequests } from "@/lib/pim/queries/requests";
import { isPimError } from "@/lib/pim/errors";
import type { ApiContext } from "../handler";
import { noContent } from "../handler";
import { badRequest, forbidden, notFound, unsupportedQuery } from "../errors";
import { orderPlan } from "../odata/order";
import { encodeSkipToken, nextLink, parseCollectionQuery, type CollectionSpec } from "../odata/query";
import { PRINCIPAL_EXPAND_SPECS } from "./schedules";
import { REQUEST_FIELDS, REQUEST_SELECTABLE, requestOut, requestsByIds, selectRequests } from "./request-rows";
import { beforeKey, collection, contextUrl, directoryRoleRows, guidOr404, iso } from "./serialize";
import { countWhere } from "./count";

export type RequestKind = "assignment" | "eligibility";
export const requestCollection = (k: RequestKind) =>
  k === "assignment" ? "roleAssignmentScheduleRequests" : "roleEligibilityScheduleRequests";

export const REQUEST_SPEC: CollectionSpec = {
  fields: REQUEST_FIELDS,
  selectable: REQUEST_SELECTABLE,
  expandable: ["principal", "roleDefinition"],
  expandSpecs: PRINCIPAL_EXPAND_SPECS,
  orderable: { createdDateTime: { column: r.createdDateTime, type: "timestamptz" } },
};
const requestTypeName = (k: RequestKind) =>
  k === "assignment" ? "unifiedRoleAssignmentScheduleRequest" : "unifiedRoleEligibilityScheduleRequest";

export type CurrentUserOn = "principal" | "createdBy" | "approver";

export async function listRequests(c: ApiContext, kind: RequestKind, on: CurrentUserOn | null) {
  if (on !== null && on !== "principal" && on !== "createdBy" && on !== "approver")
    throw badRequest("filterByCurrentUser takes on='principal', 'createdBy' or 'approver' here.");
  const q = parseCollectionQuery(c.url, REQUEST_SPEC, c.req.headers);
  const me = c.caller.actor.id;
  // a function's answer is a Collection(type) whose items name their type, as Graph writes it
  const context = on
    ? contextUrl(c.url, `Collection(${requestTypeName(kind)})`)
    : contextUrl(c.url, `roleManagement/directory/${requestCollection(kind)}${q.contextSuffix}`);
  const item = (row: Parameters<typeof requestOut>[0]) => {
    const body = requestOut(row, q.select, q.expand, q.expandTree);
    return on ? { "@odata.type": `#microsoft.graph.${requestTypeName(kind)}`, ...body } : body;
  };
  if (on === "approver") {
    if (q.orderBy) throw unsupportedQuery("$orderby is not supported with filterByCurrentUser(on='approver').");
    if (q.count) throw unsupportedQuery("$count is not supported with filterByCurrentUser(on='approver').");
    // the engine decides who may approve what (named approvers, groups, GA/PRA by default, never one's own)
    const cursor = q.after ? { createdDateTime: String(q.after[0]), id: String(q.after[1]) } : null;
    if (cursor && (Number.isNaN(new Date(cursor.createdDateTime).getTime()) || !/^[0-9a-f-]{36}$/i.test(cursor.id)))
      throw unsupportedQuery("The $skiptoken is not valid for this request.");
    const page = await listApprovableRequests(c.ctx, c.caller.actor, { limit: q.top, cursor });
    const rows = await requestsByIds(
      c.ctx.db,
      page.rows.map((v) => v.id),
      and(eq(r.requestType, kind), directoryRoleRows(r.roleDefinitionId), q.where),
    );
    const next = page.nextCursor
      ? nextLink(c.url, encodeSkipToken([page.nextCursor.createdDateTime, page.nextCursor.id], q.fingerprint))
      : null;
    return collection(context, rows.map(item), { nextLink: next });
  }
  let scope: SQL | undefined;
  if (on === "principal") scope = eq(r.principalId, me);
  else if (on === "createdBy") scope = eq(r.requestorId, me);
  else if (!(await isPimReader(c.ctx.db, me, c.ctx.now()))) {
    throw forbidden(
      "Listing every request needs an active reader or administrator role (Global Reader, Security Reader, Privileged Role Administrator, ...). Use filterByCurrentUser(on='principal') for your own.",
    );
  }
  const base = and(eq(r.requestType, kind), directoryRoleRows(r.roleDefinitionId), scope, q.where);
  const o = q.orderBy
    ? orderPlan(q.orderBy, REQUEST_SPEC.orderable ?? {}, r.id, q.after)
    : { orderBy: null, where: beforeKey(r.createdDateTime, r.id, q.after) };
  const rows = await selectRequests(c.ctx.db, and(base, o.where), q.top + 1, o.orderBy);
  const page = rows.slice(0, q.top);
  const last = page[page.length - 1];
  const next =
    rows.length > q.top && last
      ? nextLink(c.url, encodeSkipToken([iso(last.r.createdDateTime) ?? "", last.r.id], q.fingerprint))
      : null;
  const count = q.count ? await countWhere(c.ctx.db, r, base) : undefined;
  return collection(context, page.map(item), { count, nextLink: next });
}

/** The request if the caller may see it (readers: any; others: their own as subject or requester), else 404. */
export async function findVisibleRequest(c: ApiContext, kind: RequestKind, rawId: string) {
  const id = guidOr404(rawId, requestCollection(kind));
  const [row] = await selectRequests(
    c.ctx.db,
    and(eq(r.id, id), eq(r.requestType, kind), directoryRoleRows(r.roleDefinitionId)),
    1,
  );
  if (!row) throw notFound(`No ${requestCollection(kind)} object with id '${id}' exists.`);
  const me = c.caller.actor.id;
  const own = row.r.principalId === me || row.r.requestorId === me;
  if (!own && !(await isPimReader(c.ctx.db, me, c.ctx.now()))) {
    // approvers may see what they are asked to decide
    const approvable =
      row.r.status === "PendingApproval" ? await listApprovableRequests(c.ctx, c.caller.actor, { limit: 200 }) : null;
    if (!approvable?.rows.some((v) => v.id === id))
      throw notFound(`No ${requestCollection(kind)} object with id '${id}' exists.`);
  }
  return row;
}

export async function getRequest(c: ApiContext, kind: RequestKind, id: string) {
  const q = parseCollectionQuery(c.url, { ...REQUEST_SPEC, fields: {} });
  if (q.filterText !== null || q.after || q.count)
    throw unsupportedQuery("$filter, $skiptoken and $count apply to collections only.");
  const row = await findVisibleRequest(c, kind, id);
  return {
    "@odata.context": contextUrl(
      c.url,
      `roleManagement/directory/${requestCollection(kind)}${q.contextSuffix}/$entity`,
    ),
    ...requestOut(row, q.select, q.expand, q.expandTree),
  };
}

export async function cancelScheduleRequest(c: ApiContext, kind: RequestKind, rawId: string) {
  const id = guidOr404(rawId, requestCollection(kind));
  const [row] = await c.ctx.db
    .select({ id: r.id })
    .from(r)
    .where(and(eq(r.id, id), eq(r.requestType, kind), directoryRoleRows(r.roleDefinitionId)))
    .limit(1);
  if (!row) throw notFound(`No ${requestCollection(kind)} object with id '${id}' exists.`);
  return cancelThroughEngine(c, id);
}

/** Cancels through the engine (it decides who may and which states are cancelable), answering Graph's 204/400. */
export async function cancelThroughEngine(c: ApiContext, id: string) {
  try {
    await cancelRequest(c.ctx, c.caller.actor, { requestId: id });
  } catch (e) {
    // Graph: cancelling a request that is not cancelable (Provisioned, Failed, …) is a 400
    if (isPimError(e) && e.code === "Conflict") throw badRequest(e.message, "RoleAssignmentRequestNotCancelable");
    throw e;
  }
  return noContent();
}

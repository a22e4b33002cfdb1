/**
 * PIM for Groups on Graph: `identityGovernance/privilegedAccess/group/{assignment,eligibility}ScheduleRequests`,
 * `…Schedules` and `…ScheduleInstances`. A thin mapping over the directory-role endpoints: a group under PIM has
 * two access definitions (role definitions with `group_id` and `access_id` member|owner), so Graph's
 * `groupId` + `accessId` is the definition id, and `directoryScopeId` is always "/". Reading, creating and
 * cancelling go through the same read models and use cases (authorization, rules, audit), and the rows come
 * back in Graph's privilegedAccessGroup* shapes.
 */
import { and, eq, isNotNull, type SQL } from "drizzle-orm";
import { z } from "zod";
import { roleDefinitions, scheduleRequests as r } from "@/db/schema";
import { isPimReader } from "@/lib/pim/authz";
import { groupAccessDefinitionId } from "@/lib/pim/groups/access-definitions";
import { PimError } from "@/lib/pim/errors";
import { badRequest, forbidden, notFound, unsupportedQuery } from "../errors";
import { json, parseBody, readJson, type ApiContext } from "../handler";
import type { FieldMap } from "../odata/compile";
import { cursorValue, orderPlan } from "../odata/order";
import { encodeSkipToken, nextLink, parseCollectionQuery, type CollectionSpec } from "../odata/query";
import { countWhere } from "./count";
import { submitScheduleRequest } from "./create-request";
import { requestOut, requestsByIds, selectRequests, type RequestRowFull } from "./request-rows";
import { cancelThroughEngine, type RequestKind } from "./requests";
import {
  mine,
  selectRows,
  tableOf,
  viewCond,
  type ScheduleKind,
  type ScheduleRow,
  type ScheduleView,
  scheduleTimes,
} from "./schedules";
import { REQUEST_STATUSES, SCHEDULE_ACTIONS, SCHEDULE_STATUSES, scheduleRequestBody } from "./schemas";
import { applySelect, beforeKey, collection, contextUrl, guidOr404, iso } from "./serialize";

export const PAG = "identityGovernance/privilegedAccess/group";
const ACCESS_IDS = ["member", "owner"] as const;
const accessField = { column: roleDefinitions.accessId, type: "enum" as const, values: ACCESS_IDS };
const groupField = { column: roleDefinitions.groupId, type: "guid" as const };
const isGroupDefinition = isNotNull(roleDefinitions.groupId);

// ------------------------------------------------------------------ requests
export const groupRequestCollection = (k: RequestKind) =>
  k === "assignment" ? "assignmentScheduleRequests" : "eligibilityScheduleRequests";
const requestTypeName = (k: RequestKind) =>
  `privilegedAccessGroup${k === "assignment" ? "Assignment" : "Eligibility"}ScheduleRequest`;

const GROUP_REQUEST_FIELDS: FieldMap = {
  id: { column: r.id, type: "guid" },
  action: { column: r.action, type: "enum", values: SCHEDULE_ACTIONS },
  status: { column: r.status, type: "enum", values: REQUEST_STATUSES },
  principalId: { column: r.principalId, type: "guid" },
  groupId: groupField,
  accessId: accessField,
  targetScheduleId: { column: r.targetScheduleId, type: "guid", nullable: true },
  createdDateTime: { column: r.createdDateTime, type: "datetime" },
  completedDateTime: { column: r.completedDateTime, type: "datetime", nullable: true },
  "createdBy/user/id": { column: r.requestorId, type: "guid", nullable: true },
};
const GROUP_REQUEST_SPEC: CollectionSpec = {
  fields: GROUP_REQUEST_FIELDS,
  selectable: [
    "id",
    "action",
    "status",
    "principalId",
    "groupId",
    "accessId",
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
  ],
  expandable: [],
  orderable: { createdDateTime: { column: r.createdDateTime, type: "timestamptz" } },
};

/** A request row in Graph's privilegedAccessGroup*ScheduleRequest shape (role and scope become group and access). */
function groupRequestOut(row: RequestRowFull, select: string[] | null) {
  const { roleDefinitionId, directoryScopeId, appScopeId, ...rest } = requestOut(row, null, new Set());
  void roleDefinitionId;
  void directoryScopeId;
  void appScopeId;
  return applySelect({ ...rest, accessId: row.role.accessId, groupId: row.role.groupId }, select, new Set());
}

export async function listGroupRequests(c: ApiContext, kind: RequestKind, on: string | null) {
  if (on !== null && on !== "principal" && on !== "createdBy")
    throw badRequest("filterByCurrentUser supports on='principal' or 'createdBy' for PIM for Groups requests.");
  const q = parseCollectionQuery(c.url, GROUP_REQUEST_SPEC, c.req.headers);
  const me = c.caller.actor.id;
  if (!on && !(await isPimReader(c.ctx.db, me, c.ctx.now()))) {
    throw forbidden(
      "Listing every request needs an active reader or administrator role. Use filterByCurrentUser(on='principal') for your own.",
    );
  }
  const mineOnly = on === "principal" ? eq(r.principalId, me) : on === "createdBy" ? eq(r.requestorId, me) : undefined;
  const base = and(eq(r.requestType, kind), isGroupDefinition, mineOnly, q.where);
  const o = q.orderBy
    ? orderPlan(q.orderBy, GROUP_REQUEST_SPEC.orderable ?? {}, r.id, q.after)
    : { orderBy: null, where: beforeKey(r.createdDateTime, r.id, q.after) };
  const rows = await selectRequests(c.ctx.db, and(base, o.where), q.top + 1, o.orderBy);
  const page = rows.slice(0, q.top);
  const last = page[page.length - 1];
  const next =
    rows.length > q.top && last
      ? nextLink(c.url, encodeSkipToken([iso(last.r.createdDateTime) ?? "", last.r.id], q.fingerprint))
      : null;
  const count = q.count
    ? await countWhere(
        c.ctx.db,
        r,
        and(
          eq(r.requestType, kind),
          mineOnly,
          q.where,
          // the group columns live on the definition: count through it
          isGroupDefinition,
        ),
        { table: roleDefinitions, on: eq(roleDefinitions.id, r.roleDefinitionId) },
      )
    : undefined;
  const context = on
    ? contextUrl(c.url, `Collection(${requestTypeName(kind)})`)
    : contextUrl(c.url, `${PAG}/${groupRequestCollection(kind)}${q.contextSuffix}`);
  const item = (row: RequestRowFull) => {
    const body = groupRequestOut(row, q.select);
    return on ? { "@odata.type": `#microsoft.graph.${requestTypeName(kind)}`, ...body } : body;
  };
  return collection(context, page.map(item), { count, nextLink: next });
}

async function findGroupRequest(c: ApiContext, kind: RequestKind, rawId: string) {
  const id = guidOr404(rawId, requestTypeName(kind));
  const [row] = await selectRequests(c.ctx.db, and(eq(r.id, id), eq(r.requestType, kind), isGroupDefinition), 1);
  const me = c.caller.actor.id;
  const visible =
    row && (row.r.principalId === me || row.r.requestorId === me || (await isPimReader(c.ctx.db, me, c.ctx.now())));
  if (!row || !visible) throw notFound(`No ${requestTypeName(kind)} object with id '${id}' exists.`);
  return row;
}

export async function getGroupRequest(c: ApiContext, kind: RequestKind, rawId: string) {
  const q = parseCollectionQuery(c.url, { ...GROUP_REQUEST_SPEC, fields: {} });
  if (q.filterText !== null || q.after || q.count)
    throw unsupportedQuery("$filter, $skiptoken and $count apply to collections only.");
  const row = await findGroupRequest(c, kind, rawId);
  return {
    "@odata.context": contextUrl(c.url, `${PAG}/${groupRequestCollection(kind)}${q.contextSuffix}/$entity`),
    ...groupRequestOut(row, q.select),
  };
}

/** Graph's create body of a privilegedAccessGroup*ScheduleRequest: the role request's, with group and access. */
export const groupScheduleRequestBody = scheduleRequestBody
  .omit({ roleDefinitionId: true, directoryScopeId: true, appScopeId: true })
  .extend({
    accessId: z.enum(ACCESS_IDS, { message: "accessId is 'member' or 'owner'." }),
    groupId: z.uuid(),
  });

export async function createGroupRequest(c: ApiContext, kind: RequestKind) {
  const b = parseBody(groupScheduleRequestBody, await readJson(c.req));
  const { accessId, groupId, ...rest } = b;
  let roleDefinitionId: string;
  try {
    roleDefinitionId = await groupAccessDefinitionId(c.ctx.db, groupId, accessId);
  } catch (e) {
    if (e instanceof PimError && e.code === "NotFound")
      throw notFound(`The group '${groupId}' is not managed by PIM for Groups (or does not exist).`);
    throw e;
  }
  const requestId = await submitScheduleRequest(c, kind, { ...rest, roleDefinitionId, directoryScopeId: "/" });
  const [row] = await requestsByIds(c.ctx.db, [requestId]);
  if (!row) throw new PimError("Conflict", "The request was recorded but could not be read back.");
  return json(
    {
      "@odata.context": contextUrl(c.url, `${PAG}/${groupRequestCollection(kind)}/$entity`),
      ...groupRequestOut(row, null),
    },
    201,
  );
}

export async function cancelGroupRequest(c: ApiContext, kind: RequestKind, rawId: string) {
  const id = guidOr404(rawId, requestTypeName(kind));
  const [row] = await c.ctx.db
    .select({ id: r.id })
    .from(r)
    .innerJoin(roleDefinitions, eq(roleDefinitions.id, r.roleDefinitionId))
    .where(and(eq(r.id, id), eq(r.requestType, kind), isGroupDefinition))
    .limit(1);
  if (!row) throw notFound(`No ${requestTypeName(kind)} object with id '${id}' exists.`);
  // the engine's cancel decides who may cancel (the requester) and which states are cancelable
  return cancelThroughEngine(c, id);
}

// ------------------------------------------------------------------ schedules and instances
export const groupScheduleCollection = (k: ScheduleKind, v: ScheduleView) =>
  `${k}Schedule${v === "instances" ? "Instances" : "s"}`;
const scheduleTypeName = (k: ScheduleKind, v: ScheduleView) =>
  `privilegedAccessGroup${k === "assignment" ? "Assignment" : "Eligibility"}Schedule${v === "instances" ? "Instance" : ""}`;

function groupScheduleSpec(k: ScheduleKind, v: ScheduleView): CollectionSpec {
  const t = tableOf(k);
  const fields: FieldMap = {
    id: { column: t.id, type: "guid" },
    principalId: { column: t.principalId, type: "guid" },
    groupId: groupField,
    accessId: accessField,
    memberType: { column: t.memberType, type: "enum", values: ["Direct", "Group"] },
    startDateTime: { column: t.startDateTime, type: "datetime" },
    endDateTime: { column: t.endDateTime, type: "datetime", nullable: true },
  };
  if (v === "schedules") fields.status = { column: t.status, type: "enum", values: SCHEDULE_STATUSES };
  const selectable = ["id", "principalId", "groupId", "accessId", "memberType"];
  if (v === "schedules")
    selectable.push("createdUsing", "createdDateTime", "modifiedDateTime", "status", "scheduleInfo");
  else selectable.push("startDateTime", "endDateTime", `${k}ScheduleId`);
  if (k === "assignment") selectable.push("assignmentType");
  return {
    fields,
    selectable,
    expandable: [],
    orderable:
      v === "instances"
        ? { startDateTime: { column: t.startDateTime, type: "timestamptz" } }
        : { createdDateTime: { column: t.createdAt, type: "timestamptz" } },
  };
}

function groupScheduleOut(k: ScheduleKind, v: ScheduleView, row: ScheduleRow, me: string | null) {
  const memberType = me && row.principalType === "Group" && row.principalId !== me ? "Group" : row.memberType;
  const body: Record<string, unknown> = {
    id: row.id,
    accessId: row.role.accessId,
    groupId: row.role.groupId,
    principalId: row.principalId,
    memberType,
  };
  Object.assign(body, scheduleTimes(row, v));
  if (v !== "schedules") {
    Object.assign(body, { [`${k}ScheduleId`]: row.id });
  }
  if (k === "assignment") body.assignmentType = row.assignmentType;
  return body;
}

export async function listGroupSchedules(c: ApiContext, k: ScheduleKind, v: ScheduleView, on: string | null) {
  if (on !== null && on !== "principal")
    throw badRequest("filterByCurrentUser supports on='principal' for PIM for Groups.");
  const spec = groupScheduleSpec(k, v);
  const q = parseCollectionQuery(c.url, spec, c.req.headers);
  const me = c.caller.actor.id;
  const now = c.ctx.now();
  if (!on && !(await isPimReader(c.ctx.db, me, now))) {
    throw forbidden(
      "Listing every membership and ownership needs an active reader or administrator role. Use filterByCurrentUser(on='principal') for your own.",
    );
  }
  const t = tableOf(k);
  const scope: SQL | undefined = and(viewCond(k, v, now), isGroupDefinition, on ? mine(k, me) : undefined, q.where);
  const o = q.orderBy
    ? orderPlan(q.orderBy, spec.orderable ?? {}, t.id, q.after)
    : { orderBy: null, where: beforeKey(t.createdAt, t.id, q.after) };
  const rows = await selectRows(c, k, and(scope, o.where), q.top + 1, o.orderBy);
  const page = rows.slice(0, q.top);
  const last = page[page.length - 1];
  const keyOf = (row: ScheduleRow) => (q.orderBy?.field === "startDateTime" ? row.startDateTime : row.createdAt);
  const next =
    rows.length > q.top && last
      ? nextLink(c.url, encodeSkipToken([cursorValue(keyOf(last)), last.id], q.fingerprint))
      : null;
  const count = q.count
    ? await countWhere(c.ctx.db, t, scope, { table: roleDefinitions, on: eq(roleDefinitions.id, t.roleDefinitionId) })
    : undefined;
  const context = on
    ? contextUrl(c.url, `Collection(${scheduleTypeName(k, v)})`)
    : contextUrl(c.url, `${PAG}/${groupScheduleCollection(k, v)}${q.contextSuffix}`);
  return collection(
    context,
    page.map((row) => {
      const body = applySelect(groupScheduleOut(k, v, row, on ? me : null), q.select, new Set());
      return on ? { "@odata.type": `#microsoft.graph.${scheduleTypeName(k, v)}`, ...body } : body;
    }),
    { count, nextLink: next },
  );
}

export async function getGroupSchedule(c: ApiContext, k: ScheduleKind, v: ScheduleView, rawId: string) {
  const id = guidOr404(rawId, scheduleTypeName(k, v));
  const q = parseCollectionQuery(c.url, { ...groupScheduleSpec(k, v), fields: {} });
  if (q.filterText !== null || q.after || q.count)
    throw unsupportedQuery("$filter, $skiptoken and $count apply to collections only.");
  const me = c.caller.actor.id;
  const now = c.ctx.now();
  const reader = await isPimReader(c.ctx.db, me, now);
  const t = tableOf(k);
  const [row] = await selectRows(
    c,
    k,
    and(
      eq(t.id, id),
      isGroupDefinition,
      v === "instances" ? viewCond(k, v, now) : undefined,
      reader ? undefined : mine(k, me),
    ),
    1,
  );
  if (!row) throw notFound(`No ${scheduleTypeName(k, v)} object with id '${id}' exists.`);
  return {
    "@odata.context": contextUrl(c.url, `${PAG}/${groupScheduleCollection(k, v)}/$entity`),
    ...applySelect(groupScheduleOut(k, v, row, reader ? null : me), q.select, new Set()),
  };
}

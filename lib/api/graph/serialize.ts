/** Shared pieces of the Graph JSON shapes: times, scheduleInfo, expanded principal/roleDefinition, $select. */
import { sql, type SQL } from "drizzle-orm";
import type { AnyColumn } from "drizzle-orm";
import { roleDefinitions } from "@/db/schema";
import { badRequest, notFound as notFoundError } from "../errors";

/**
 * Rows of directory roles only: PIM for Groups' memberships and ownerships (schedules of a group's access
 * definitions) are served under identityGovernance/privilegedAccess/group, not roleManagement/directory.
 */
export const directoryRoleRows = (roleDefinitionId: AnyColumn): SQL =>
  sql`${roleDefinitionId} not in (select ${roleDefinitions.id} from ${roleDefinitions} where ${roleDefinitions.groupId} is not null)`;

/** ISO 8601 UTC without milliseconds when they are zero (Graph's style). */
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString().replace(/\.000Z$/, "Z") : null);

export function scheduleInfo(
  start: Date | null,
  type: "noExpiration" | "afterDateTime" | "afterDuration",
  end: Date | null,
  duration: string | null,
) {
  return {
    startDateTime: iso(start),
    recurrence: null,
    expiration: {
      type,
      endDateTime: type === "afterDuration" ? null : iso(end),
      duration: type === "afterDuration" ? duration : null,
    },
  };
}

export type PrincipalCols = {
  type: "User" | "Group" | "ServicePrincipal";
  id: string;
  name: string | null;
  upn: string | null;
};

export function principalOut(p: PrincipalCols) {
  const odata =
    p.type === "User"
      ? "#microsoft.graph.user"
      : p.type === "Group"
        ? "#microsoft.graph.group"
        : "#microsoft.graph.servicePrincipal";
  return {
    "@odata.type": odata,
    id: p.id,
    displayName: p.name ?? "",
    ...(p.type === "User" ? { userPrincipalName: p.upn } : {}),
  };
}

export type RoleCols = {
  id: string;
  displayName: string;
  description: string;
  isBuiltIn: boolean;
  isEnabled: boolean;
  templateId: string | null;
  allowedResourceActions: string[];
};

/** The role columns a query selects for `roleDefinitionOut` (joined on roleDefinitions). */
export const roleDefinitionColumns = {
  id: roleDefinitions.id,
  displayName: roleDefinitions.displayName,
  description: roleDefinitions.description,
  isBuiltIn: roleDefinitions.isBuiltIn,
  isEnabled: roleDefinitions.isEnabled,
  templateId: roleDefinitions.templateId,
  allowedResourceActions: roleDefinitions.allowedResourceActions,
  /** set on a PIM for Groups access definition (the group and member|owner), null on a directory role */
  groupId: roleDefinitions.groupId,
  accessId: roleDefinitions.accessId,
};

export function roleDefinitionOut(r: RoleCols) {
  return {
    id: r.id,
    displayName: r.displayName,
    description: r.description,
    isBuiltIn: r.isBuiltIn,
    isEnabled: r.isEnabled,
    templateId: r.templateId ?? (r.isBuiltIn ? r.id : null),
    version: r.isBuiltIn ? "1" : null,
    resourceScopes: ["/"],
    rolePermissions: [{ allowedResourceActions: r.allowedResourceActions, condition: null }],
  };
}

/** Applies `$select` (the id always stays, as Graph keeps the key) and keeps expanded relationships. */
export function applySelect<T extends Record<string, unknown>>(
  obj: T,
  select: string[] | null,
  expand: Set<string>,
): Record<string, unknown> {
  if (!select) return obj;
  const out: Record<string, unknown> = {};
  if ("id" in obj) out.id = obj.id;
  for (const k of select) if (k in obj) out[k] = obj[k];
  for (const k of expand) if (k in obj) out[k] = obj[k];
  return out;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keyset condition "(time, id) < (t, i)" (newest first) from a decoded $skiptoken; bad values are a 400. */
export function beforeKey(
  timeCol: AnyColumn,
  idCol: AnyColumn,
  after: (string | number)[] | null,
  idKind: "uuid" | "bigint" = "uuid",
): SQL | undefined {
  if (!after) return undefined;
  const [t, i] = after;
  const bad = () => badRequest("The $skiptoken is not valid for this request.");
  if (typeof t !== "string" || Number.isNaN(new Date(t).getTime())) throw bad();
  if (idKind === "uuid" && (typeof i !== "string" || !GUID.test(i))) throw bad();
  if (idKind === "bigint" && (typeof i !== "number" || !Number.isSafeInteger(i))) throw bad();
  return idKind === "uuid"
    ? sql`(${timeCol}, ${idCol}) < (${t}::timestamptz, ${i}::uuid)`
    : sql`(${timeCol}, ${idCol}) < (${t}::timestamptz, ${i}::bigint)`;
}

/** Keyset condition "(text, id) > (v, i)" (alphabetical) from a decoded $skiptoken. */
export function afterTextKey(
  textCol: AnyColumn | SQL,
  idCol: AnyColumn | SQL,
  after: (string | number)[] | null,
): SQL | undefined {
  if (!after) return undefined;
  const [t, i] = after;
  if (typeof t !== "string" || typeof i !== "string" || t.length > 500 || i.length > 500)
    throw badRequest("The $skiptoken is not valid for this request.");
  return sql`(${textCol}, ${idCol}::text) > (${t}, ${i})`;
}

/** `{ "@odata.context", "@odata.count"?, value, "@odata.nextLink"? }` */
export function collection(context: string, value: unknown[], extra: { count?: number; nextLink?: string | null }) {
  return {
    "@odata.context": context,
    ...(extra.count !== undefined ? { "@odata.count": extra.count } : {}),
    value,
    ...(extra.nextLink ? { "@odata.nextLink": extra.nextLink } : {}),
  };
}

/** `https://host/graph/v1.0/$metadata#<what>` (or `/graph/beta/…` for a beta call), on the public URL. */
export function contextUrl(url: URL, what: string): string {
  return `${serviceRoot(url)}/$metadata#${what}`;
}

/** `https://host/graph/v1.0` or `https://host/graph/beta`: the service root the request went to. */
export function serviceRoot(url: URL): string {
  const m = /\/graph\/(v1\.0|beta)(?=\/|$)/i.exec(url.pathname);
  const root = m ? `${url.pathname.slice(0, m.index)}/graph/${m[1]?.toLowerCase()}` : "/graph/v1.0";
  return `${url.origin}${root}`;
}

/** Object ids are GUIDs: anything else cannot exist (404), and never reaches a uuid column as a 500. */
export function guidOr404(id: string, what: string): string {
  if (!GUID.test(id)) throw notFoundError(`No ${what} object with id '${id.slice(0, 100)}' exists.`);
  return id.toLowerCase();
}

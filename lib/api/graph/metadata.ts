/**
 * `GET /graph/v1.0/$metadata`: the CSDL (OData's XML service description) of what this API serves, generated
 * from the route table and the response schemas (the same zod objects the OpenAPI document uses), so it lists
 * exactly the entity sets, types and properties a client can get — not Microsoft's whole model.
 */
import { z } from "zod";
import { ROUTES } from "./routes";
import * as S from "./schemas";

type Json = {
  type?: string | string[];
  format?: string;
  properties?: Record<string, Json>;
  items?: Json;
  anyOf?: Json[];
};

/** The Graph type name of each response shape. */
const TYPE_NAMES = new Map<z.ZodType, string>([
  [S.scheduleRequestOut, "unifiedRoleScheduleRequest"],
  [S.scheduleOut, "unifiedRoleSchedule"],
  [S.instanceOut, "unifiedRoleScheduleInstance"],
  [S.roleDefinitionOut, "unifiedRoleDefinition"],
  [S.roleAssignmentOut, "unifiedRoleAssignment"],
  [S.policyOut, "unifiedRoleManagementPolicy"],
  [S.policyRuleOut, "unifiedRoleManagementPolicyRule"],
  [S.policyAssignmentOut, "unifiedRoleManagementPolicyAssignment"],
  [S.approvalOut, "approval"],
  [S.approvalStepOut, "approvalStep"],
  [S.directoryAuditOut, "directoryAudit"],
  [S.userOut, "user"],
  [S.groupOut, "group"],
]);

/** Entity sets whose items have their own type names (assignment vs eligibility flavours). */
const SET_TYPES: Record<string, string> = {
  roleAssignmentScheduleRequests: "unifiedRoleAssignmentScheduleRequest",
  roleEligibilityScheduleRequests: "unifiedRoleEligibilityScheduleRequest",
  roleAssignmentSchedules: "unifiedRoleAssignmentSchedule",
  roleEligibilitySchedules: "unifiedRoleEligibilitySchedule",
  roleAssignmentScheduleInstances: "unifiedRoleAssignmentScheduleInstance",
  roleEligibilityScheduleInstances: "unifiedRoleEligibilityScheduleInstance",
  assignmentScheduleRequests: "privilegedAccessGroupAssignmentScheduleRequest",
  eligibilityScheduleRequests: "privilegedAccessGroupEligibilityScheduleRequest",
  assignmentSchedules: "privilegedAccessGroupAssignmentSchedule",
  eligibilitySchedules: "privilegedAccessGroupEligibilitySchedule",
  assignmentScheduleInstances: "privilegedAccessGroupAssignmentScheduleInstance",
  eligibilityScheduleInstances: "privilegedAccessGroupEligibilityScheduleInstance",
};

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

function edmOf(p: Json): string {
  const t = Array.isArray(p.type) ? p.type.find((x) => x !== "null") : p.type;
  if (!t && p.anyOf) return edmOf(p.anyOf.find((a) => a.type !== "null") ?? {});
  if (t === "array") return `Collection(${edmOf(p.items ?? {})})`;
  if (t === "boolean") return "Edm.Boolean";
  if (t === "integer") return "Edm.Int32";
  if (t === "number") return "Edm.Double";
  if (t === "object") return "Edm.Untyped";
  if (t === "string" && p.format === "uuid") return "Edm.Guid";
  return "Edm.String";
}

function entityType(name: string, schema: z.ZodType): string {
  const js = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Json;
  const props = Object.entries(js.properties ?? {}).filter(([k]) => !k.startsWith("@"));
  const key = props.some(([k]) => k === "id") ? `<Key><PropertyRef Name="id"/></Key>` : "";
  const nav = new Set(["principal", "roleDefinition", "policy", "rules", "steps", "effectiveRules"]);
  const body = props
    .map(([k, p]) =>
      nav.has(k)
        ? `<NavigationProperty Name="${esc(k)}" Type="${k === "rules" || k === "steps" || k === "effectiveRules" ? "Collection(Edm.Untyped)" : "Edm.Untyped"}"/>`
        : `<Property Name="${esc(k)}" Type="${edmOf(p)}"/>`,
    )
    .join("");
  return `<EntityType Name="${esc(name)}" OpenType="true">${key}${body}</EntityType>`;
}

let cached: string | null = null;

export function metadataDocument(): string {
  if (cached) return cached;
  const types = new Map<string, string>();
  const sets: string[] = [];
  const singletons: string[] = [];
  for (const r of ROUTES) {
    if (r.method !== "GET" || !r.response || /[{(]/.test(r.path)) continue;
    const setName = r.path.split("/").filter(Boolean).join("_");
    const last = r.path.split("/").filter(Boolean).pop() ?? "";
    const typeName = SET_TYPES[last] ?? TYPE_NAMES.get(r.response) ?? last;
    if (!types.has(typeName)) types.set(typeName, entityType(typeName, r.response));
    if (r.collection) sets.push(`<EntitySet Name="${esc(setName)}" EntityType="microsoft.graph.${esc(typeName)}"/>`);
    else singletons.push(`<Singleton Name="${esc(setName)}" Type="microsoft.graph.${esc(typeName)}"/>`);
  }
  cached =
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">` +
    `<edmx:DataServices><Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">` +
    [...types.values()].join("") +
    `<EntityContainer Name="GraphService">${sets.join("")}${singletons.join("")}</EntityContainer>` +
    `</Schema></edmx:DataServices></edmx:Edmx>`;
  return cached;
}

export function metadataResponse(): Response {
  return new Response(metadataDocument(), {
    status: 200,
    headers: { "content-type": "application/xml", "OData-Version": "4.0", "cache-control": "public, max-age=3600" },
  });
}

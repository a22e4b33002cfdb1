/**
 * policies/roleManagementPolicies (+ rules) and policies/roleManagementPolicyAssignments. One policy per
 * role (directory-wide) plus one per administrative unit that has its own settings. Policy ids follow
 * Entra's shape: `DirectoryRole_{tenantId}_{roleDefinitionId}` (`_{administrativeUnitId}` for a unit).
 * PIM for Groups: each access definition of a group under PIM (member, owner) has its policy, addressed as Graph
 * does: `scopeId` the group's id, `scopeType` "Group", `roleDefinitionId` "member" | "owner", id
 * `Group_{groupId}_{accessDefinitionId}`.
 */
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { directorySettings, roleDefinitions as rd, roleSettings as rs, users } from "@/db/schema";
import { getRoleSettings } from "@/lib/pim/role-settings";
import { updateRoleSettings } from "@/lib/pim/use-cases/update-role-settings";
import { notFound, unsupportedQuery } from "../errors";
import { noContent, parseBody, readJson, type ApiContext } from "../handler";
import type { FieldMap } from "../odata/compile";
import { selectInside, type ExpandNode, type ExpandTree } from "../odata/expand";
import { encodeSkipToken, nextLink, parseCollectionQuery } from "../odata/query";
import { patchFromRule, ruleOf, rulesOf } from "./policy-rules";
import { policyRulePatchBody } from "./schemas";
import { afterTextKey, applySelect, collection, contextUrl, iso } from "./serialize";

const scopeExpr = sql<string>`coalesce(${rs.directoryScopeId}, '/')`;
const roleIdText = sql<string>`${rd.id}::text`;
const mod = alias(users, "modifier");

const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POLICY_FIELDS: FieldMap = {
  // a group's policies are scoped to the group (its id); a role's to "/" or an administrative unit
  scopeId: {
    column: sql<string>`(case when ${rd.groupId} is null then ${scopeExpr} else ${rd.groupId}::text end)`,
    type: "string",
    map: (v) => (GUID_TEXT.test(v) ? v.toLowerCase() : v),
  },
  // Graph accepts Directory or DirectoryRole for Entra roles' policies (both name the same set)
  scopeType: {
    column: sql`(case when ${rd.groupId} is null then 'DirectoryRole' else 'Group' end)`,
    type: "enum",
    values: ["DirectoryRole", "Directory", "Group"],
    map: (v) => (v === "Group" ? "Group" : "DirectoryRole"),
  },
  isOrganizationDefault: { column: sql`false`, type: "boolean" },
};
const ASSIGNMENT_FIELDS: FieldMap = {
  ...POLICY_FIELDS,
  // a role's id, or member | owner for a group's
  roleDefinitionId: {
    column: sql<string>`coalesce(${rd.accessId}, ${rd.id}::text)`,
    type: "string",
    map: (v) => v.toLowerCase(),
  },
};
const POLICY_SELECT = [
  "id",
  "displayName",
  "description",
  "isOrganizationDefault",
  "scopeId",
  "scopeType",
  "lastModifiedDateTime",
  "lastModifiedBy",
];
const ASSIGNMENT_SELECT = ["id", "policyId", "scopeId", "scopeType", "roleDefinitionId"];

async function tenantId(c: ApiContext): Promise<string> {
  const [t] = await c.ctx.db
    .select({ id: directorySettings.tenantId })
    .from(directorySettings)
    .where(eq(directorySettings.id, 1));
  return t?.id ?? "00000000-0000-0000-0000-000000000000";
}

type PolicyKey = { roleId: string; scope: string; groupId?: string | null };
const policyIdOf = (tenant: string, row: PolicyKey) =>
  row.groupId
    ? `Group_${row.groupId}_${row.roleId}`
    : `DirectoryRole_${tenant}_${row.roleId}${row.scope === "/" ? "" : `_${row.scope.replace("/administrativeUnits/", "")}`}`;

function parsePolicyId(tenant: string, id: string): { roleId: string; scope: string; groupId: string | null } {
  const g = /^Group_([0-9a-f-]{36})_([0-9a-f-]{36})$/i.exec(id);
  if (g?.[1] && g[2]) return { roleId: g[2].toLowerCase(), scope: "/", groupId: g[1].toLowerCase() };
  const m = /^DirectoryRole_([0-9a-f-]{36})_([0-9a-f-]{36})(?:_([0-9a-f-]{36}))?$/i.exec(id);
  if (!m || m[1]?.toLowerCase() !== tenant.toLowerCase() || !m[2])
    throw notFound(`No roleManagementPolicy with id '${id}' exists.`);
  return {
    roleId: m[2].toLowerCase(),
    scope: m[3] ? `/administrativeUnits/${m[3].toLowerCase()}` : "/",
    groupId: null,
  };
}

async function selectPolicies(c: ApiContext, where: SQL | undefined, limit: number) {
  return c.ctx.db
    .select({
      roleId: rd.id,
      roleName: rd.displayName,
      groupId: rd.groupId,
      accessId: rd.accessId,
      scope: scopeExpr,
      updatedAt: rs.updatedAt,
      updatedBy: rs.updatedBy,
      updatedByName: mod.displayName,
    })
    .from(rd)
    .leftJoin(rs, eq(rs.roleDefinitionId, rd.id))
    .leftJoin(mod, eq(mod.id, rs.updatedBy))
    .where(where)
    .orderBy(asc(rd.id), asc(scopeExpr))
    .limit(limit);
}
type PolicyRow = Awaited<ReturnType<typeof selectPolicies>>[number];

async function policyOut(c: ApiContext, tenant: string, row: PolicyRow, expandRules: boolean) {
  const out: Record<string, unknown> = {
    id: policyIdOf(tenant, row),
    displayName: row.groupId ? "Group" : "DirectoryRole",
    description: `${row.groupId ? "Settings" : "Role settings"} of ${row.roleName}`,
    isOrganizationDefault: false,
    scopeId: row.groupId ?? "/",
    scopeType: row.groupId ? "Group" : "DirectoryRole",
    lastModifiedDateTime: iso(row.updatedAt),
    lastModifiedBy: row.updatedBy ? { id: row.updatedBy, displayName: row.updatedByName } : null,
  };
  if (expandRules) out.rules = rulesOf(await getRoleSettings(c.ctx.db, row.roleId, row.scope));
  return out;
}

const RULE_SELECT = [
  "id",
  "target",
  "isExpirationRequired",
  "maximumDuration",
  "enabledRules",
  "setting",
  "notificationType",
  "recipientType",
  "notificationLevel",
  "isDefaultRecipientsEnabled",
  "notificationRecipients",
  "isEnabled",
  "claimValue",
] as const;
const RULES_EXPAND = { rules: { selectable: RULE_SELECT }, effectiveRules: { selectable: RULE_SELECT } };
const POLICY_EXPAND = { policy: { selectable: POLICY_SELECT, expand: RULES_EXPAND } };

/** The rules of an expanded policy, with a nested `$select` applied (each keeps its @odata.type and id). */
function rulesFor(rules: Record<string, unknown>[], node: ExpandNode | undefined) {
  return rules.map((r) => selectInside(r, node));
}

/** A policy as `$expand` (maybe nested under `policy(...)`) asked for it. */
async function policyFor(c: ApiContext, tenant: string, row: PolicyRow, tree: ExpandTree) {
  const rulesNode = tree.get("rules");
  const effNode = tree.get("effectiveRules");
  const p = await policyOut(c, tenant, row, Boolean(rulesNode || effNode));
  const all = (p.rules as Record<string, unknown>[] | undefined) ?? [];
  if (effNode) p.effectiveRules = rulesFor(all, effNode);
  if (rulesNode) p.rules = rulesFor(all, rulesNode);
  else delete p.rules;
  return p;
}

export async function listPolicies(c: ApiContext, assignments: boolean) {
  const q = parseCollectionQuery(c.url, {
    fields: assignments ? ASSIGNMENT_FIELDS : POLICY_FIELDS,
    selectable: assignments ? ASSIGNMENT_SELECT : POLICY_SELECT,
    expandable: assignments ? ["policy"] : ["rules", "effectiveRules"],
    expandSpecs: assignments ? POLICY_EXPAND : RULES_EXPAND,
    maxTop: 100,
    defaultTop: 50,
  });
  if (q.orderBy) throw unsupportedQuery("$orderby is not supported on policies.");
  if (q.count) throw unsupportedQuery("$count is not supported on policies.");
  const tenant = await tenantId(c);
  const rows = await selectPolicies(c, and(q.where, afterTextKey(roleIdText, scopeExpr, q.after)), q.top + 1);
  const page = rows.slice(0, q.top);
  const last = page[page.length - 1];
  const next =
    rows.length > q.top && last ? nextLink(c.url, encodeSkipToken([last.roleId, last.scope], q.fingerprint)) : null;
  const value = [];
  for (const row of page) {
    if (assignments) {
      const a = assignmentOf(tenant, row);
      const pn = q.expandTree.get("policy");
      if (pn) a.policy = selectInside(await policyFor(c, tenant, row, pn.expand), pn);
      value.push(applySelect(a, q.select, q.expand));
    } else {
      value.push(applySelect(await policyFor(c, tenant, row, q.expandTree), q.select, q.expand));
    }
  }
  const what = assignments ? "policies/roleManagementPolicyAssignments" : "policies/roleManagementPolicies";
  return collection(contextUrl(c.url, `${what}${q.contextSuffix}`), value, { nextLink: next });
}

/** A policy assignment: a role's (roleDefinitionId its id) or a group access's (roleDefinitionId member | owner). */
function assignmentOf(tenant: string, row: PolicyRow): Record<string, unknown> {
  const policyId = policyIdOf(tenant, row);
  const roleDefinitionId = row.groupId ? row.accessId : row.roleId;
  return {
    id: `${policyId}_${roleDefinitionId}`,
    policyId,
    scopeId: row.groupId ?? "/",
    scopeType: row.groupId ? "Group" : "DirectoryRole",
    roleDefinitionId,
  };
}

async function loadPolicy(c: ApiContext, id: string) {
  const tenant = await tenantId(c);
  const { roleId, scope, groupId } = parsePolicyId(tenant, id);
  const rows = await selectPolicies(c, and(eq(rd.id, roleId), eq(scopeExpr, scope)), 1);
  const row = rows[0] ?? (scope === "/" ? (await selectPolicies(c, eq(rd.id, roleId), 1))[0] : undefined);
  // the id's shape must name the definition's kind: Group_{its group}_… or DirectoryRole_…
  if (!row || (row.groupId ?? null) !== groupId) throw notFound(`No roleManagementPolicy with id '${id}' exists.`);
  return { tenant, row: { ...row, scope }, roleId, scope };
}

export async function getPolicy(c: ApiContext, id: string) {
  const q = parseCollectionQuery(c.url, {
    fields: {},
    selectable: POLICY_SELECT,
    expandable: ["rules", "effectiveRules"],
    expandSpecs: RULES_EXPAND,
  });
  if (q.filterText !== null || q.after) throw unsupportedQuery("$filter and $skiptoken apply to collections only.");
  const { tenant, row } = await loadPolicy(c, id);
  const p = await policyFor(c, tenant, row, q.expandTree);
  return {
    "@odata.context": contextUrl(c.url, `policies/roleManagementPolicies${q.contextSuffix}/$entity`),
    ...applySelect(p, q.select, q.expand),
  };
}

export async function getPolicyAssignment(c: ApiContext, id: string) {
  const m = /^(.*)_([0-9a-f-]{36}|member|owner)$/i.exec(id);
  if (!m?.[1]) throw notFound(`No roleManagementPolicyAssignment with id '${id}' exists.`);
  const { tenant, row, roleId } = await loadPolicy(c, m[1]).catch(() => {
    throw notFound(`No roleManagementPolicyAssignment with id '${id}' exists.`);
  });
  if ((row.groupId ? row.accessId : roleId) !== m[2]?.toLowerCase())
    throw notFound(`No roleManagementPolicyAssignment with id '${id}' exists.`);
  const q = parseCollectionQuery(c.url, {
    fields: {},
    selectable: ASSIGNMENT_SELECT,
    expandable: ["policy"],
    expandSpecs: POLICY_EXPAND,
  });
  const a = assignmentOf(tenant, row);
  const pn = q.expandTree.get("policy");
  if (pn) a.policy = selectInside(await policyFor(c, tenant, row, pn.expand), pn);
  return {
    "@odata.context": contextUrl(c.url, `policies/roleManagementPolicyAssignments${q.contextSuffix}/$entity`),
    ...applySelect(a, q.select, q.expand),
  };
}

export async function listRules(c: ApiContext, policyId: string) {
  parseCollectionQuery(c.url, { fields: {}, selectable: [] });
  if (c.url.searchParams.has("$filter")) throw unsupportedQuery("$filter is not supported on rules.");
  const { roleId, scope } = await loadPolicy(c, policyId);
  const rules = rulesOf(await getRoleSettings(c.ctx.db, roleId, scope));
  return collection(contextUrl(c.url, `policies/roleManagementPolicies('${policyId}')/rules`), rules, {});
}

export async function getRule(c: ApiContext, policyId: string, ruleId: string) {
  const { roleId, scope } = await loadPolicy(c, policyId);
  const rule = ruleOf(await getRoleSettings(c.ctx.db, roleId, scope), ruleId);
  return {
    "@odata.context": contextUrl(c.url, `policies/roleManagementPolicies('${policyId}')/rules/$entity`),
    ...rule,
  };
}

export async function patchRule(c: ApiContext, policyId: string, ruleId: string) {
  const body = parseBody(policyRulePatchBody, await readJson(c.req));
  const { roleId, scope } = await loadPolicy(c, policyId);
  const current = await getRoleSettings(c.ctx.db, roleId, scope);
  const patch = patchFromRule(ruleId, body, current);
  // an empty patch still goes through the engine: it authorizes (GA/PRA now) and writes nothing
  await updateRoleSettings(c.ctx, c.caller.actor, { roleDefinitionId: roleId, directoryScopeId: scope, ...patch });
  return noContent();
}

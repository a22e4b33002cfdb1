/**
 * SCIM filters (RFC 7644 §3.4.2.2) parsed by `scim2-parse-filter` (a maintained parser of the full grammar),
 * then resolved against the attributes this service filters on. Attribute names are case-insensitive and
 * may carry their schema URN. Anything else (a syntax error, an unknown attribute, an operator an attribute
 * does not support) is a 400 `invalidFilter`, never a 5xx.
 */
import { parse, type Filter } from "scim2-parse-filter";
import type { GroupAttr, ScimCondition, UserAttr } from "@/lib/pim/queries/scim-directory";
import { invalidFilter, invalidPath } from "./errors";
import { CORE_GROUP, CORE_USER, ENTERPRISE_USER } from "./schemas";

const USER_ATTRS: Record<string, UserAttr> = {
  id: "id",
  username: "userName",
  externalid: "externalId",
  displayname: "displayName",
  "emails.value": "email",
  emails: "email",
  active: "active",
  "name.givenname": "givenName",
  "name.familyname": "familyName",
  title: "title",
  [`${ENTERPRISE_USER.toLowerCase()}:department`]: "department",
};
const GROUP_ATTRS: Record<string, GroupAttr> = {
  id: "id",
  displayname: "displayName",
  externalid: "externalId",
  "members.value": "member",
  members: "member",
};

const MAX_FILTER = 2000;

function resolve<A extends string>(attrs: Record<string, A>, coreUrn: string, path: string): A {
  let p = path.toLowerCase();
  const core = `${coreUrn.toLowerCase()}:`;
  if (p.startsWith(core)) p = p.slice(core.length);
  const a = attrs[p];
  if (!a) throw invalidFilter(`Filtering on '${path}' is not supported.`);
  return a;
}

function convert<A extends string>(f: Filter, attrs: Record<string, A>, coreUrn: string, depth = 0): ScimCondition<A> {
  if (depth > 20) throw invalidFilter("The filter is nested too deeply.");
  switch (f.op) {
    case "and":
    case "or":
      if (!("filters" in f)) break;
      return { op: f.op, of: f.filters.map((x) => convert(x, attrs, coreUrn, depth + 1)) };
    case "not":
      if (!("filter" in f)) break;
      return { op: "not", of: convert(f.filter, attrs, coreUrn, depth + 1) };
    case "[]": {
      if (!("valFilter" in f)) break;
      // emails[type eq "work"] / members[value eq "…"]: the sub-attribute filter on the multi-valued attribute.
      const base = f.attrPath;
      const inner = f.valFilter;
      if (inner.op === "eq" && "attrPath" in inner && inner.attrPath.toLowerCase() === "value")
        return convert({ ...inner, attrPath: `${base}.value` } as Filter, attrs, coreUrn, depth + 1);
      if (
        inner.op === "eq" &&
        "attrPath" in inner &&
        inner.attrPath.toLowerCase() === "type" &&
        base.toLowerCase() === "emails"
      )
        return { op: "pr", attr: resolve(attrs, coreUrn, "emails.value") };
      if (inner.op === "or" && "filters" in inner)
        return {
          op: "or",
          of: inner.filters.map((x) =>
            convert({ op: "[]", attrPath: base, valFilter: x } as Filter, attrs, coreUrn, depth + 1),
          ),
        };
      throw invalidFilter(`The value filter on '${base}' is not supported.`);
    }
    case "pr":
      if (!("attrPath" in f)) break;
      return { op: "pr", attr: resolve(attrs, coreUrn, f.attrPath) };
    case "eq":
    case "ne":
    case "co":
    case "sw":
    case "ew": {
      if (!("compValue" in f)) break;
      const v = f.compValue;
      if (typeof v === "number") throw invalidFilter(`'${f.attrPath}' is not a number.`);
      return { op: f.op, attr: resolve(attrs, coreUrn, f.attrPath), value: v };
    }
    case "gt":
    case "ge":
    case "lt":
    case "le":
      throw invalidFilter(`The operator '${f.op}' is not supported on '${"attrPath" in f ? f.attrPath : "?"}'.`);
  }
  throw invalidFilter("The filter could not be understood.");
}

function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER) throw invalidFilter(`The filter is longer than ${MAX_FILTER} characters.`);
  try {
    return parse(text);
  } catch (err) {
    throw invalidFilter(`The filter is not valid: ${err instanceof Error ? err.message : "syntax error"}.`);
  }
}

export const parseUserFilter = (text: string): ScimCondition<UserAttr> =>
  convert(parseFilter(text), USER_ATTRS, CORE_USER);
export const parseGroupFilter = (text: string): ScimCondition<GroupAttr> =>
  convert(parseFilter(text), GROUP_ATTRS, CORE_GROUP);

/** `members[value eq "a" or value eq "b"]` (a PATCH path's filter) → the ids it names; throws otherwise. */
export function memberIdsOfValueFilter(text: string): string[] {
  const f = parseFilter(text);
  const ids: string[] = [];
  const walk = (x: Filter) => {
    if (x.op === "or" && "filters" in x) return x.filters.forEach(walk);
    if (
      x.op === "eq" &&
      "attrPath" in x &&
      "compValue" in x &&
      x.attrPath.toLowerCase() === "value" &&
      typeof x.compValue === "string"
    )
      return void ids.push(x.compValue);
    throw invalidPath(`The member filter '${text}' is not supported; use value eq "<id>".`);
  };
  walk(f);
  return ids;
}

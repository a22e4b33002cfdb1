/**
 * SCIM Group bodies and PATCH operations → the core's ordered group changes. Member changes arrive in the
 * shapes both big clients send: Entra ID `{"op":"Add"|"Remove","path":"members","value":[{"value":id}]}`;
 * Okta `{"op":"remove","path":"members[value eq \"id\"]"}`, `{"op":"add","path":"members","value":[…]}` and a
 * rename as `{"op":"replace","value":{"id":…,"displayName":…}}`.
 */
import type { GroupChange } from "@/lib/validation/provisioning";
import { invalidPath, invalidSyntax, invalidValue, noTarget } from "./errors";
import { memberIdsOfValueFilter } from "./filter";
import { CORE_GROUP } from "./schemas";
import type { PatchOperation } from "./users";
import { checkSchemas, isObj, keysLower, memberIds, str, type Json, type Obj } from "./values";

export type GroupBody = { displayName: string; externalId: string | null; memberIds: string[] };

export function groupFromBody(body: Obj): GroupBody {
  checkSchemas(body, CORE_GROUP, [CORE_GROUP]);
  const b = keysLower(body);
  for (const k of Object.keys(b)) {
    if (!["schemas", "meta", "id", "displayname", "externalid", "members"].includes(k))
      throw invalidSyntax(`Unknown attribute '${k}'.`);
  }
  const displayName = str(b.displayname, "displayName");
  if (!displayName) throw invalidValue("'displayName' is required.");
  return { displayName, externalId: str(b.externalid, "externalId"), memberIds: memberIds(b.members) };
}

/** PUT: the whole group — name, externalId, and exactly these members. */
export const groupPutChanges = (g: GroupBody): GroupChange[] => [
  { kind: "displayName", value: g.displayName },
  { kind: "externalId", value: g.externalId },
  { kind: "replaceMembers", userIds: g.memberIds },
];

function attrChange(op: PatchOperation["op"], key: string, v: Json | undefined, groupId: string): GroupChange[] {
  const k = key
    .trim()
    .toLowerCase()
    .replace(/^urn:ietf:params:scim:schemas:core:2\.0:group:/, "");
  if (k === "displayname") {
    if (op === "remove") throw invalidValue("'displayName' is required and cannot be removed.");
    const name = str(v, "displayName");
    if (!name) throw invalidValue("'displayName' must not be empty.");
    return [{ kind: "displayName", value: name }];
  }
  if (k === "externalid") return [{ kind: "externalId", value: op === "remove" ? null : str(v, "externalId") }];
  if (k === "members") {
    if (op === "remove")
      return v === undefined || v === null
        ? [{ kind: "replaceMembers", userIds: [] }]
        : [{ kind: "removeMembers", userIds: memberIds(v) }];
    return [{ kind: op === "add" ? "addMembers" : "replaceMembers", userIds: memberIds(v) }];
  }
  const m = /^members\[(.+)\]$/.exec(k);
  if (m) {
    if (op !== "remove") throw invalidPath("A filtered members path is supported for remove only.");
    return [{ kind: "removeMembers", userIds: memberIdsOfValueFilter(key.trim().slice(key.indexOf("[") + 1, -1)) }];
  }
  if (k === "id") {
    if (v === groupId) return [];
    throw invalidValue("'id' cannot be changed.");
  }
  if (k === "schemas" || k === "meta") return [];
  throw invalidPath(`Unknown attribute path '${key}'.`);
}

export function groupPatchChanges(ops: PatchOperation[], groupId: string): GroupChange[] {
  const out: GroupChange[] = [];
  for (const o of ops) {
    if (o.path) {
      out.push(...attrChange(o.op, o.path, o.value, groupId));
      continue;
    }
    if (o.op === "remove") throw noTarget("A remove operation needs a 'path'.");
    if (!isObj(o.value)) throw invalidValue("Without a 'path', 'value' must be an object of attributes.");
    for (const [k, v] of Object.entries(o.value)) out.push(...attrChange(o.op, k, v, groupId));
  }
  return out;
}

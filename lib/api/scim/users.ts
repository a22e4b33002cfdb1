/**
 * SCIM User bodies and PATCH operations → the core's whole-state fields (`ProvisionedUserFields`).
 * Attributes the core User schema defines but this portal does not keep (phone numbers, addresses, locale, …)
 * and `password` (people sign in through their identity provider) are accepted and ignored, as RFC 7643
 * allows; an attribute no schema defines is refused (400), so a typo is never silently lost.
 * Dialects: Entra ID's `"active": "False"`, its path-less replace with URN-qualified keys, manager as a bare
 * id string; Okta's path-less `{"op":"replace","value":{"active":false}}`.
 */
import type { ProvisionedUser, ProvisionedUserFields } from "@/lib/validation/provisioning";
import { invalidPath, invalidValue, mutability, noTarget, invalidSyntax } from "./errors";
import { CORE_USER, ENTERPRISE_USER } from "./schemas";
import { bool, checkSchemas, isObj, keysLower, str, type Json, type Obj } from "./values";

const ENT = ENTERPRISE_USER.toLowerCase();
const CORE = CORE_USER.toLowerCase();

/** Core User attributes we accept and do not store. */
const IGNORED = new Set([
  "nickname",
  "profileurl",
  "usertype",
  "preferredlanguage",
  "locale",
  "timezone",
  "password",
  "phonenumbers",
  "ims",
  "photos",
  "addresses",
  "groups",
  "entitlements",
  "roles",
  "x509certificates",
]);
const IGNORED_NAME = new Set(["formatted", "middlename", "honorificprefix", "honorificsuffix"]);
const IGNORED_ENTERPRISE = new Set(["employeenumber", "costcenter", "organization", "division"]);

/** The email a person signs in with: the primary one, else the work one, else the first. */
function pickEmail(v: Json | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw invalidValue("'emails' must be an array.");
  const list = v.map((e) => {
    if (!isObj(e)) throw invalidValue("Each of 'emails' must be an object with 'value'.");
    return e;
  });
  const chosen =
    list.find((e) => e.primary === true || e.primary === "True" || e.primary === "true") ??
    list.find((e) => typeof e.type === "string" && e.type.toLowerCase() === "work") ??
    list[0];
  return chosen ? str(chosen.value, "emails.value") : null;
}

function managerId(v: Json | undefined): string | null {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v === "string") return v; // Entra ID sends the bare id
  if (isObj(v)) return str(v.value, "manager.value") || null;
  throw invalidValue("'manager' must be an object with 'value' (the manager's id).");
}

function applyName(d: ProvisionedUserFields, v: Json | undefined, replaceAll: boolean) {
  if (v === undefined || v === null) {
    if (replaceAll) d.givenName = d.familyName = null;
    return;
  }
  if (!isObj(v)) throw invalidValue("'name' must be an object.");
  const n = keysLower(v);
  for (const k of Object.keys(n)) {
    if (k !== "givenname" && k !== "familyname" && !IGNORED_NAME.has(k))
      throw invalidSyntax(`Unknown attribute name.${k}.`);
  }
  if (replaceAll || "givenname" in n) d.givenName = str(n.givenname, "name.givenName");
  if (replaceAll || "familyname" in n) d.familyName = str(n.familyname, "name.familyName");
}

function applyEnterprise(d: ProvisionedUserFields, v: Json | undefined, replaceAll: boolean) {
  if (v === undefined || v === null) {
    if (replaceAll) d.department = d.managerId = null;
    return;
  }
  if (!isObj(v)) throw invalidValue(`'${ENTERPRISE_USER}' must be an object.`);
  const e = keysLower(v);
  for (const k of Object.keys(e)) {
    if (k !== "department" && k !== "manager" && !IGNORED_ENTERPRISE.has(k))
      throw invalidSyntax(`Unknown attribute ${ENTERPRISE_USER}:${k}.`);
  }
  if (replaceAll || "department" in e) d.department = str(e.department, "department");
  if (replaceAll || "manager" in e) d.managerId = managerId(e.manager);
}

/** POST and PUT bodies: the whole resource. `current` (PUT) keeps `active` when the body leaves it out. */
export function userFromBody(body: Obj, current: ProvisionedUser | null): ProvisionedUserFields {
  checkSchemas(body, CORE_USER, [CORE_USER, ENTERPRISE_USER]);
  const b = keysLower(body);
  const d: ProvisionedUserFields = {
    userName: "",
    externalId: null,
    displayName: null,
    givenName: null,
    familyName: null,
    email: null,
    title: null,
    department: null,
    managerId: null,
    active: current?.active ?? true,
  };
  for (const [k, v] of Object.entries(b)) {
    if (k === "schemas" || k === "meta" || k === "id" || IGNORED.has(k)) continue;
    switch (k) {
      case "username":
        d.userName = str(v, "userName") ?? "";
        break;
      case "externalid":
        d.externalId = str(v, "externalId");
        break;
      case "displayname":
        d.displayName = str(v, "displayName");
        break;
      case "title":
        d.title = str(v, "title");
        break;
      case "active":
        if (v !== null) d.active = bool(v, "active");
        break;
      case "name":
        applyName(d, v, true);
        break;
      case "emails":
        d.email = pickEmail(v);
        break;
      case ENT:
        applyEnterprise(d, v, true);
        break;
      default:
        throw invalidSyntax(`Unknown attribute '${k}'.`);
    }
  }
  if (!d.userName) throw invalidValue("'userName' is required.");
  if (current && body.id !== undefined && body.id !== null && typeof body.id !== "string")
    throw invalidValue("'id' must be a string.");
  return d;
}

type Op = "add" | "replace" | "remove";

/** One attribute path (`name.givenName`, `emails[type eq "work"].value`, `urn:…:enterprise:2.0:User:manager`). */
function applyPath(d: ProvisionedUserFields, op: Op, rawPath: string, v: Json | undefined): void {
  let p = rawPath.trim().toLowerCase();
  if (p.startsWith(`${CORE}:`)) p = p.slice(CORE.length + 1);
  const remove = op === "remove";
  if (p === ENT) return applyEnterprise(d, remove ? null : v, remove);
  if (p.startsWith(`${ENT}:`)) {
    const sub = p.slice(ENT.length + 1);
    if (sub === "department") d.department = remove ? null : str(v, "department");
    else if (sub === "manager" || sub === "manager.value") d.managerId = remove ? null : managerId(v);
    else if (!IGNORED_ENTERPRISE.has(sub)) throw invalidPath(`Unknown attribute path '${rawPath}'.`);
    return;
  }
  const head = p.split(/[.[]/, 1)[0] ?? "";
  if (IGNORED.has(head)) return;
  if (head === "emails") {
    // emails, emails[type eq "work"].value, emails[primary eq true].value
    if (remove) d.email = null;
    else if (p === "emails") d.email = pickEmail(Array.isArray(v) ? v : [v as Json]);
    else if (/^emails\[[^\]]*\]\.value$/.test(p)) d.email = str(v, "emails.value");
    else throw invalidPath(`Unsupported path '${rawPath}'.`);
    return;
  }
  switch (p) {
    case "username":
      if (remove) throw mutability("'userName' is required and cannot be removed.");
      d.userName = str(v, "userName") ?? "";
      return;
    case "active":
      if (remove) throw mutability("'active' cannot be removed; set it to false.");
      d.active = bool(v, "active");
      return;
    case "externalid":
      d.externalId = remove ? null : str(v, "externalId");
      return;
    case "displayname":
      d.displayName = remove ? null : str(v, "displayName");
      return;
    case "title":
      d.title = remove ? null : str(v, "title");
      return;
    case "name":
      return applyName(d, remove ? null : v, remove || op === "replace");
    case "name.givenname":
      d.givenName = remove ? null : str(v, "name.givenName");
      return;
    case "name.familyname":
      d.familyName = remove ? null : str(v, "name.familyName");
      return;
  }
  if (head === "name" && IGNORED_NAME.has(p.slice(5))) return;
  throw invalidPath(`Unknown attribute path '${rawPath}'.`);
}

export type PatchOperation = { op: Op; path: string | null; value: Json | undefined };

/** Validates a PatchOp body (RFC 7644 §3.5.2) into its operations. `op` is case-insensitive (Entra: "Replace"). */
export function patchOperations(body: Obj, max: number): PatchOperation[] {
  checkSchemas(body, "urn:ietf:params:scim:api:messages:2.0:PatchOp", [
    "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  ]);
  const ops = keysLower(body).operations;
  if (!Array.isArray(ops) || ops.length === 0) throw invalidSyntax("'Operations' must be a non-empty array.");
  if (ops.length > max) throw invalidValue(`At most ${max} operations per request.`);
  return ops.map((o, i) => {
    if (!isObj(o)) throw invalidSyntax(`Operations[${i}] must be an object.`);
    const x = keysLower(o);
    const op = typeof x.op === "string" ? x.op.toLowerCase() : "";
    if (op !== "add" && op !== "replace" && op !== "remove")
      throw invalidSyntax(`Operations[${i}].op must be add, replace or remove.`);
    const path = x.path === undefined || x.path === null ? null : x.path;
    if (path !== null && typeof path !== "string") throw invalidPath(`Operations[${i}].path must be a string.`);
    if (op !== "remove" && x.value === undefined) throw invalidValue(`Operations[${i}] needs a 'value'.`);
    return { op, path, value: x.value };
  });
}

/** Applies PATCH operations to the person's current state (the core runs this inside its transaction). */
export function applyUserPatch(current: ProvisionedUser, ops: PatchOperation[]): ProvisionedUserFields {
  const d: ProvisionedUserFields = { ...current };
  for (const o of ops) {
    if (o.path) {
      applyPath(d, o.op, o.path, o.value);
      continue;
    }
    if (o.op === "remove") throw noTarget("A remove operation needs a 'path'.");
    if (!isObj(o.value)) throw invalidValue("Without a 'path', 'value' must be an object of attributes.");
    for (const [k, v] of Object.entries(o.value)) {
      const kl = k.toLowerCase();
      if (kl === "schemas" || kl === "meta" || kl === "id") continue;
      applyPath(d, o.op, k, v);
    }
  }
  return d;
}

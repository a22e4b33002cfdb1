/**
 * The SCIM 2.0 service provider at /scim/v2 (RFC 7644): a thin adapter. Parse → authenticate the
 * provisioning application's bearer token → the core's use case or read model → SCIM JSON. Every failure
 * is a SCIM error body (errors.ts). Changes are whole or nothing: the core runs each request's change in one
 * transaction, so a refused PATCH (an unknown member in a batch, a bad attribute) writes nothing.
 */
import { readTextCapped } from "@/lib/api/body";
import { apiCtx } from "@/lib/api/handler";
import { publicBase } from "@/lib/api/public-url";
import type { Actor, Ctx } from "@/lib/pim/context";
import {
  listScimGroups,
  listScimUsers,
  type GroupAttr,
  type ScimCondition,
  type UserAttr,
} from "@/lib/pim/queries/scim-directory";
import { deprovisionGroup } from "@/lib/pim/use-cases/deprovision-group";
import { deprovisionUser } from "@/lib/pim/use-cases/deprovision-user";
import { provisionGroup } from "@/lib/pim/use-cases/provision-group";
import { provisionUser } from "@/lib/pim/use-cases/provision-user";
import { updateProvisionedGroup } from "@/lib/pim/use-cases/update-provisioned-group";
import { updateProvisionedUser } from "@/lib/pim/use-cases/update-provisioned-user";
import { authenticateScim } from "./auth";
import { invalidSyntax, invalidValue, ScimError, scimErrorResponse, scimJson, scimNotFound } from "./errors";
import { parseGroupFilter, parseUserFilter } from "./filter";
import { groupFromBody, groupPatchChanges, groupPutChanges } from "./groups";
import {
  LIST_RESPONSE,
  MAX_OPERATIONS,
  MAX_PAGE,
  resourceTypes,
  schemaDocuments,
  scimGroup,
  scimUser,
  serviceProviderConfig,
} from "./schemas";
import { applyUserPatch, patchOperations, userFromBody } from "./users";
import { isObj, type Obj } from "./values";

const MAX_BODY = 1024 * 1024;

type Call = { req: Request; url: URL; ctx: Ctx; actor: Actor; base: string; segs: string[] };

async function readBody(req: Request): Promise<Obj> {
  const text = await readTextCapped(req, MAX_BODY);
  if (text === null) throw new ScimError(413, null, "The request body is larger than 1 MB.");
  if (!text.trim()) throw invalidSyntax("The request body is empty; a JSON object is expected.");
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidSyntax("The request body is not valid JSON.");
  }
  if (!isObj(v)) throw invalidSyntax("The request body must be a JSON object.");
  return v;
}

function paging(url: URL): { startIndex: number; count: number } {
  const int = (name: string, dflt: number) => {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === "") return dflt;
    if (!/^-?\d{1,9}$/.test(raw)) throw invalidValue(`'${name}' must be an integer.`);
    return Number(raw);
  };
  // RFC 7644 §3.4.2.4: startIndex < 1 is 1; a negative count is 0; the maximum is announced in ServiceProviderConfig.
  return { startIndex: Math.max(1, int("startIndex", 1)), count: Math.min(MAX_PAGE, Math.max(0, int("count", 100))) };
}

/** `attributes` / `excludedAttributes` (top-level names; `id`, `schemas` and `meta` are always returned). */
function projection(url: URL) {
  const list = (name: string) =>
    (url.searchParams.get(name) ?? "")
      .split(",")
      .map((s) =>
        s
          .trim()
          .toLowerCase()
          .replace(/^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/, ""),
      )
      .filter(Boolean);
  const only = list("attributes");
  const excluded = list("excludedAttributes");
  const keep = (k: string) => {
    const kl = k.toLowerCase();
    if (kl === "id" || kl === "schemas" || kl === "meta") return true;
    if (only.length) return only.some((a) => a === kl || a.startsWith(`${kl}.`) || a.startsWith(`${kl}:`));
    return !excluded.includes(kl);
  };
  return {
    wants: (k: string) => keep(k),
    apply: <T extends Record<string, unknown>>(r: T) => Object.fromEntries(Object.entries(r).filter(([k]) => keep(k))),
  };
}

const listResponse = (total: number, startIndex: number, resources: unknown[]) => ({
  schemas: [LIST_RESPONSE],
  totalResults: total,
  startIndex,
  itemsPerPage: resources.length,
  Resources: resources,
});

async function getUser(c: Call, id: string) {
  const { rows } = await listScimUsers(c.ctx, c.actor, {
    where: { op: "eq", attr: "id", value: id },
    startIndex: 1,
    count: 1,
  });
  const row = rows[0];
  if (!row) throw scimNotFound(`User ${id} not found.`);
  return scimUser(row, c.base);
}

async function getGroup(c: Call, id: string, withMembers = true) {
  const { rows } = await listScimGroups(c.ctx, c.actor, {
    where: { op: "eq", attr: "id", value: id },
    startIndex: 1,
    count: 1,
    withMembers,
  });
  const row = rows[0];
  if (!row) throw scimNotFound(`Group ${id} not found.`);
  return scimGroup(row, c.base);
}

async function users(c: Call): Promise<Response> {
  const { req, url, segs } = c;
  const id = segs[1];
  const p = projection(url);
  if (segs.length > 2) throw scimNotFound();
  if (!id) {
    if (req.method === "GET") {
      const f = url.searchParams.get("filter");
      const where: ScimCondition<UserAttr> | null = f ? parseUserFilter(f) : null;
      const page = paging(url);
      const r = await listScimUsers(c.ctx, c.actor, { where, ...page });
      return scimJson(
        listResponse(
          r.total,
          page.startIndex,
          r.rows.map((u) => p.apply(scimUser(u, c.base))),
        ),
      );
    }
    if (req.method === "POST") {
      const fields = userFromBody(await readBody(req), null);
      const created = await provisionUser(c.ctx, c.actor, fields);
      const body = await getUser(c, created.id);
      return scimJson(body, 201, { location: body.meta.location });
    }
    throw new ScimError(405, null, `${req.method} is not supported on /Users.`);
  }
  switch (req.method) {
    case "GET":
      return scimJson(p.apply(await getUser(c, id)));
    case "PUT": {
      const body = await readBody(req);
      await updateProvisionedUser(c.ctx, c.actor, id, (current) => userFromBody(body, current));
      return scimJson(await getUser(c, id));
    }
    case "PATCH": {
      const ops = patchOperations(await readBody(req), MAX_OPERATIONS);
      await updateProvisionedUser(c.ctx, c.actor, id, (current) => applyUserPatch(current, ops));
      return scimJson(p.apply(await getUser(c, id)));
    }
    case "DELETE":
      await deprovisionUser(c.ctx, c.actor, id);
      return new Response(null, { status: 204 });
  }
  throw new ScimError(405, null, `${req.method} is not supported on /Users/{id}.`);
}

async function groups(c: Call): Promise<Response> {
  const { req, url, segs } = c;
  const id = segs[1];
  const p = projection(url);
  if (segs.length > 2) throw scimNotFound();
  if (!id) {
    if (req.method === "GET") {
      const f = url.searchParams.get("filter");
      const where: ScimCondition<GroupAttr> | null = f ? parseGroupFilter(f) : null;
      const page = paging(url);
      const r = await listScimGroups(c.ctx, c.actor, { where, ...page, withMembers: p.wants("members") });
      return scimJson(
        listResponse(
          r.total,
          page.startIndex,
          r.rows.map((g) => p.apply(scimGroup(g, c.base))),
        ),
      );
    }
    if (req.method === "POST") {
      const g = groupFromBody(await readBody(req));
      const created = await provisionGroup(c.ctx, c.actor, g);
      const body = await getGroup(c, created.id);
      return scimJson(body, 201, { location: body.meta.location });
    }
    throw new ScimError(405, null, `${req.method} is not supported on /Groups.`);
  }
  switch (req.method) {
    case "GET":
      return scimJson(p.apply(await getGroup(c, id, p.wants("members"))));
    case "PUT": {
      const g = groupFromBody(await readBody(req));
      await updateProvisionedGroup(c.ctx, c.actor, id, groupPutChanges(g));
      return scimJson(await getGroup(c, id));
    }
    case "PATCH": {
      const ops = patchOperations(await readBody(req), MAX_OPERATIONS);
      await updateProvisionedGroup(c.ctx, c.actor, id, groupPatchChanges(ops, id));
      // Entra ID and Okta accept 204 for a group PATCH; no member list is read back for a large group.
      return new Response(null, { status: 204 });
    }
    case "DELETE":
      await deprovisionGroup(c.ctx, c.actor, id);
      return new Response(null, { status: 204 });
  }
  throw new ScimError(405, null, `${req.method} is not supported on /Groups/{id}.`);
}

function discovery(c: Call): Response {
  const [what, id] = c.segs;
  if (c.req.method !== "GET") throw new ScimError(405, null, `${c.req.method} is not supported here.`);
  if (what === "ServiceProviderConfig" && !id)
    return scimJson(serviceProviderConfig(c.base, `${c.base.replace(/\/scim\/v2$/, "")}/api-docs`));
  const docs = what === "ResourceTypes" ? resourceTypes(c.base) : schemaDocuments(c.base);
  if (!id) return scimJson(listResponse(docs.length, 1, docs));
  const one = docs.find((d) => d.id.toLowerCase() === decodeURIComponent(id).toLowerCase());
  if (!one) throw scimNotFound(`${what}/${id} not found.`);
  return scimJson(one);
}

/** Entry point for every method of app/scim/v2/[...path]/route.ts. */
export async function handleScim(req: Request): Promise<Response> {
  try {
    const url = new URL(req.url);
    const rest = url.pathname.replace(/^.*?\/scim\/v2\/?/, "");
    const segs = rest.split("/").filter(Boolean);
    const ctx = await apiCtx();
    const { actor } = await authenticateScim(ctx, req);
    const base = `${publicBase(req)}/scim/v2`;
    const c: Call = { req, url, ctx, actor, base, segs };
    const head = segs[0]?.toLowerCase();
    if (head === "users") return await users(c);
    if (head === "groups") return await groups(c);
    if (head === "serviceproviderconfig" || head === "resourcetypes" || head === "schemas") {
      c.segs = [
        { serviceproviderconfig: "ServiceProviderConfig", resourcetypes: "ResourceTypes", schemas: "Schemas" }[head],
        ...segs.slice(1),
      ];
      return discovery(c);
    }
    if (head === "bulk")
      throw new ScimError(501, null, "Bulk operations are not supported (see ServiceProviderConfig).");
    throw scimNotFound(`No SCIM endpoint at /${rest}.`);
  } catch (err) {
    return scimErrorResponse(err);
  }
}

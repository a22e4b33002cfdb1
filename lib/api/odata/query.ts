/**
 * The OData query options of one collection request: `$filter`, `$top`, `$skiptoken` (an opaque keyset
 * cursor), `$select`, `$expand` (nested `$select`/`$expand` inside), `$orderby` (one documented property),
 * `$search` (where the resource has it; needs `ConsistencyLevel: eventual` as in Graph), `$count`.
 * Option names are matched case-insensitively and trimmed (`$filter = …` in Microsoft's own examples).
 * Unknown or unsupported `$` options are a 400 naming the option, like Graph.
 */
import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { badRequest, unsupportedQuery } from "../errors";
import { compileFilter, type FieldMap } from "./compile";
import { contextSuffix, parseExpand, type ExpandSpec, type ExpandTree } from "./expand";
import { parseFilter } from "./filter";
import { parseOrderBy, type OrderBy, type OrderMap } from "./order";
import { parseSearch, type SearchMap } from "./search";
import { firstUnstorable } from "@/lib/validation/text";

export type CollectionSpec = {
  /** Filterable properties. */
  fields: FieldMap;
  /** Properties `$select` may name (the serializer's keys). */
  selectable: readonly string[];
  /** Relationships `$expand` may name. */
  expandable?: readonly string[];
  /** What each relationship allows inside (nested `$select` / `$expand`); a name without an entry allows none. */
  expandSpecs?: Record<string, ExpandSpec>;
  /** Properties `$orderby` may name. */
  orderable?: OrderMap;
  /** Properties `$search` looks in (users and groups). */
  searchable?: SearchMap;
  defaultTop?: number;
  maxTop?: number;
};

export type CollectionQuery = {
  where: SQL | undefined;
  filterText: string | null;
  top: number;
  /** The keyset position after which this page starts (decoded `$skiptoken`). */
  after: (string | number)[] | null;
  select: string[] | null;
  expand: Set<string>;
  expandTree: ExpandTree;
  orderBy: OrderBy | null;
  search: SQL | undefined;
  count: boolean;
  fingerprint: string;
  /** `(a,b,rel())` for `@odata.context`, from `$select` and `$expand`. */
  contextSuffix: string;
};

const KNOWN = new Set(["$filter", "$top", "$skiptoken", "$select", "$expand", "$count", "$orderby", "$search"]);
const REFUSED = new Set([
  "$skip",
  "$format",
  "$apply",
  "$compute",
  "$levels",
  "$deltatoken",
  "$index",
  "$schemaversion",
]);

const splitList = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export function parseCollectionQuery(url: URL, spec: CollectionSpec, headers?: Pick<Headers, "get">): CollectionQuery {
  const unstorable = firstUnstorable(url.searchParams);
  if (unstorable) throw badRequest(`Invalid value for '${unstorable.key}': ${unstorable.reason}`);
  const options = new Map<string, string>();
  for (const [raw, value] of url.searchParams) {
    const key = raw.trim().toLowerCase();
    if (!key.startsWith("$")) continue;
    if (REFUSED.has(key)) throw unsupportedQuery(`The query option '${raw.trim()}' is not supported.`);
    if (!KNOWN.has(key)) throw badRequest(`Unknown query option '${raw.trim()}'.`);
    if (options.has(key)) throw badRequest(`Query option '${raw.trim()}' is given more than once.`);
    options.set(key, value.trim());
  }
  const q = (k: string) => options.get(k) ?? null;

  const filterText = q("$filter");
  const where = filterText !== null ? compileFilter(parseFilter(filterText), spec.fields) : undefined;

  const maxTop = spec.maxTop ?? 999;
  let top = spec.defaultTop ?? 100;
  const topText = q("$top");
  if (topText !== null) {
    if (!/^\d{1,6}$/.test(topText) || Number(topText) < 1)
      throw badRequest(`Invalid value '${topText}' for $top: use a whole number from 1 to ${maxTop}.`);
    top = Math.min(Number(topText), maxTop);
  }

  let select: string[] | null = null;
  const selectText = q("$select");
  if (selectText !== null) {
    select = splitList(selectText);
    if (select.length === 0) throw badRequest("$select names no property.");
    const unknown = select.filter((s) => !spec.selectable.includes(s));
    if (unknown.length)
      throw badRequest(
        `Could not find a property named '${unknown[0]}' to $select. Properties: ${spec.selectable.join(", ")}.`,
      );
  }

  const expandText = q("$expand");
  const specs: Record<string, ExpandSpec> = {};
  for (const name of spec.expandable ?? []) specs[name] = spec.expandSpecs?.[name] ?? {};
  const expandTree: ExpandTree = expandText !== null ? parseExpand(expandText, specs) : new Map();
  const expand = new Set(expandTree.keys());

  const orderText = q("$orderby");
  const orderBy = orderText !== null ? parseOrderBy(orderText, spec.orderable ?? {}) : null;

  const searchText = q("$search");
  let search: SQL | undefined;
  if (searchText !== null) {
    if (!spec.searchable)
      throw unsupportedQuery("$search is not supported on this resource (only on users and groups).");
    if ((headers?.get("consistencylevel") ?? "").toLowerCase() !== "eventual")
      throw badRequest(
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    search = parseSearch(searchText, spec.searchable);
  }

  const countText = q("$count");
  if (countText !== null && countText !== "true" && countText !== "false") throw badRequest("$count is true or false.");

  const fingerprint = createHash("sha256")
    .update(`${url.pathname}\n${filterText ?? ""}\n${orderText ?? ""}\n${searchText ?? ""}`)
    .digest("base64url")
    .slice(0, 10);
  const skip = q("$skiptoken");
  const after = skip !== null ? decodeSkipToken(skip, fingerprint) : null;

  return {
    where: search ? (where ? sql`(${where}) and ${search}` : search) : where,
    filterText,
    top,
    after,
    select,
    expand,
    expandTree,
    orderBy,
    search,
    count: countText === "true",
    fingerprint,
    contextSuffix: contextSuffix(select, expandTree),
  };
}

/** An opaque cursor: the keyset values of the last row, bound to the collection and the filter it was made for. */
export function encodeSkipToken(values: (string | number)[], fingerprint: string): string {
  return Buffer.from(JSON.stringify({ k: values, f: fingerprint })).toString("base64url");
}

export function decodeSkipToken(token: string, fingerprint: string): (string | number)[] {
  const invalid = () => badRequest("The $skiptoken is not valid for this request. Follow @odata.nextLink as returned.");
  if (token.length > 500 || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  const p = parsed as { k?: unknown; f?: unknown };
  if (
    !p ||
    p.f !== fingerprint ||
    !Array.isArray(p.k) ||
    p.k.length === 0 ||
    p.k.some((v) => typeof v !== "string" && typeof v !== "number")
  )
    throw invalid();
  return p.k as (string | number)[];
}

/** The request URL with `$skiptoken` set to the next page's cursor (on the public URL the handler was given). */
export function nextLink(url: URL, token: string): string {
  const next = new URL(url.toString());
  next.searchParams.set("$skiptoken", token);
  return next.toString();
}

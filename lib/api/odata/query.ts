/**
 * The OData query options of one collection request: `$filter`, `$top`, `$skiptoken` (an opaque keyset
 * cursor), `$select`, `$expand`, `$count`. Unknown or unsupported `$` options are a 400, like Graph.
 */
import { createHash } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { badRequest, unsupportedQuery } from "../errors";
import { compileFilter, type FieldMap } from "./compile";
import { parseFilter } from "./filter";
import { firstUnstorable } from "@/lib/validation/text";

export type CollectionSpec = {
  /** Filterable properties. */
  fields: FieldMap;
  /** Properties `$select` may name (the serializer's keys). */
  selectable: readonly string[];
  /** Relationships `$expand` may name. */
  expandable?: readonly string[];
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
  count: boolean;
  fingerprint: string;
};

const KNOWN = new Set(["$filter", "$top", "$skiptoken", "$select", "$expand", "$count"]);
const REFUSED = new Set(["$orderby", "$skip", "$search", "$format", "$apply", "$compute", "$levels", "$deltatoken"]);

const splitList = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export function parseCollectionQuery(url: URL, spec: CollectionSpec): CollectionQuery {
  const unstorable = firstUnstorable(url.searchParams);
  if (unstorable) throw badRequest(`Invalid value for '${unstorable.key}': ${unstorable.reason}`);
  for (const key of new Set(url.searchParams.keys())) {
    if (!key.startsWith("$")) continue;
    if (REFUSED.has(key.toLowerCase())) throw unsupportedQuery(`The query option '${key}' is not supported.`);
    if (!KNOWN.has(key)) throw badRequest(`Unknown query option '${key}'.`);
    if (url.searchParams.getAll(key).length > 1) throw badRequest(`Query option '${key}' is given more than once.`);
  }
  const q = (k: string) => url.searchParams.get(k);

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

  const expand = new Set<string>();
  const expandText = q("$expand");
  if (expandText !== null) {
    for (const e of splitList(expandText)) {
      if (/[($]/.test(e)) throw unsupportedQuery(`Nested query options in $expand ('${e}') are not supported.`);
      if (!spec.expandable?.includes(e))
        throw badRequest(
          `Could not find a relationship named '${e}' to $expand.${spec.expandable?.length ? ` Relationships: ${spec.expandable.join(", ")}.` : ""}`,
        );
      expand.add(e);
    }
  }

  const countText = q("$count");
  if (countText !== null && countText !== "true" && countText !== "false") throw badRequest("$count is true or false.");

  const fingerprint = createHash("sha256")
    .update(`${url.pathname}\n${filterText ?? ""}`)
    .digest("base64url")
    .slice(0, 10);
  const skip = q("$skiptoken");
  const after = skip !== null ? decodeSkipToken(skip, fingerprint) : null;

  return { where, filterText, top, after, select, expand, count: countText === "true", fingerprint };
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

/** The request URL with `$skiptoken` set to the next page's cursor. */
export function nextLink(url: URL, token: string): string {
  const next = new URL(url.toString());
  next.searchParams.set("$skiptoken", token);
  return next.toString();
}

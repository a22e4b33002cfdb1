/**
 * `$expand` as scripts write it: a comma list of relationships, each optionally with nested `$select` and
 * `$expand` in parentheses (`policy($expand=rules)`, `principal($select=id,displayName)`), options inside
 * separated by `;`. Other nested options (`$filter`, `$top`, …) are a 400 naming them.
 */
import { badRequest, unsupportedQuery } from "../errors";

/** What a relationship holds: the properties `$select` may name inside it, and its own relationships. */
export type ExpandSpec = {
  selectable?: readonly string[] | "any";
  expand?: Record<string, ExpandSpec>;
};

export type ExpandNode = { select: string[] | null; expand: ExpandTree };
export type ExpandTree = Map<string, ExpandNode>;

/** Splits at `sep` outside parentheses. */
export function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    if (depth < 0) throw badRequest(`Syntax error in '${text.slice(0, 200)}': unbalanced ')'.`);
    if (ch === sep && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (depth !== 0) throw badRequest(`Syntax error in '${text.slice(0, 200)}': unbalanced '('.`);
  out.push(cur.trim());
  return out.filter(Boolean);
}

function parseSelect(text: string, allowed: ExpandSpec["selectable"], where: string): string[] {
  const names = splitTop(text, ",");
  if (names.length === 0) throw badRequest(`$select names no property${where}.`);
  if (allowed !== "any") {
    const bad = names.find((n) => !(allowed ?? []).includes(n));
    if (bad)
      throw badRequest(
        `Could not find a property named '${bad}' to $select${where}. Properties: ${(allowed ?? []).join(", ")}.`,
      );
  }
  return names;
}

export function parseExpand(text: string, specs: Record<string, ExpandSpec>, depth = 0, where = ""): ExpandTree {
  if (depth > 3) throw unsupportedQuery("$expand is nested more than three levels deep.");
  if (text.length > 1000) throw badRequest("$expand is longer than 1000 characters.");
  const tree: ExpandTree = new Map();
  for (const item of splitTop(text, ",")) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([\s\S]*)\))?$/.exec(item);
    if (!m?.[1]) throw badRequest(`Syntax error in $expand at '${item.slice(0, 100)}'.`);
    const name = m[1];
    const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
    if (!spec) {
      const names = Object.keys(specs);
      throw badRequest(
        `Could not find a relationship named '${name}' to $expand${where}.${names.length ? ` Relationships: ${names.join(", ")}.` : ""}`,
      );
    }
    const node: ExpandNode = { select: null, expand: new Map() };
    const inner = m[2]?.trim();
    if (inner) {
      for (const opt of splitTop(inner, ";")) {
        const eq = opt.indexOf("=");
        const key = (eq < 0 ? opt : opt.slice(0, eq)).trim().toLowerCase();
        const value = eq < 0 ? "" : opt.slice(eq + 1).trim();
        const here = ` inside '${name}'`;
        if (key === "$select") node.select = parseSelect(value, spec.selectable, here);
        else if (key === "$expand") node.expand = parseExpand(value, spec.expand ?? {}, depth + 1, here);
        else
          throw unsupportedQuery(
            `The query option '${opt.slice(0, 40)}' is not supported inside $expand (only $select and $expand are).`,
          );
      }
    }
    tree.set(name, node);
  }
  return tree;
}

/** Keeps `@odata.type`, `id` and the selected properties of an expanded object (Graph keeps the key). */
export function selectInside<T extends Record<string, unknown>>(
  obj: T,
  node: ExpandNode | undefined,
): Record<string, unknown> {
  if (!node?.select) return obj;
  const out: Record<string, unknown> = {};
  for (const k of ["@odata.type", "id", ...node.select]) if (k in obj) out[k] = obj[k];
  for (const k of node.expand.keys()) if (k in obj) out[k] = obj[k];
  return out;
}

/** `(a,b)` / `(policy(rules()))` for `@odata.context`, as Graph writes the select and expand of a response. */
export function contextSuffix(select: string[] | null, expand: ExpandTree): string {
  const parts: string[] = [...(select ?? [])];
  for (const [name, node] of expand) parts.push(`${name}(${contextSuffix(node.select, node.expand).slice(1, -1)})`);
  return parts.length ? `(${parts.join(",")})` : "";
}

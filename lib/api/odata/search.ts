/**
 * `$search` as Graph has it on users and groups: `"displayName:ann"` (one property) or `"ann"` (any of the
 * searchable properties), terms joined by AND / OR; each term matches where a word of the property starts
 * with it, case-insensitively. Graph requires `ConsistencyLevel: eventual` (checked by the caller).
 */
import { or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { badRequest } from "../errors";

export type SearchMap = Record<string, AnyColumn>;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function term(text: string, fields: SearchMap): SQL {
  const m = /^([A-Za-z]+):(.*)$/s.exec(text);
  const names = Object.keys(fields);
  const cols = m?.[1] ? [m[1]] : names;
  const needle = (m ? (m[2] ?? "") : text).trim();
  if (!needle) throw badRequest('$search needs a word to look for, e.g. "displayName:ann".');
  if (needle.length > 200) throw badRequest("A $search term is longer than 200 characters.");
  const conds = cols.map((name) => {
    const col = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
    if (!col) throw badRequest(`$search cannot look in '${name}'. Searchable properties: ${names.join(", ")}.`);
    const start = `${likeEscape(needle.toLowerCase())}%`;
    const word = `%${likeEscape(` ${needle.toLowerCase()}`)}%`;
    return sql`(lower(${col}) like ${start} or lower(${col}) like ${word})`;
  });
  return conds.length === 1 ? (conds[0] as SQL) : (or(...conds) as SQL);
}

export function parseSearch(text: string, fields: SearchMap): SQL {
  if (text.length > 1000) throw badRequest("$search is longer than 1000 characters.");
  // terms are quoted: "a:b" AND "c" ; the quotes are required by Graph
  const parts = text.match(/"((?:[^"\\]|\\.)*)"|\bAND\b|\bOR\b|\S+/g) ?? [];
  if (parts.length === 0) throw badRequest('$search is empty; write "displayName:ann".');
  let out: SQL | null = null;
  let op: "and" | "or" = "and";
  for (const p of parts) {
    if (p === "AND" || p === "OR") {
      op = p === "AND" ? "and" : "or";
      continue;
    }
    if (!p.startsWith('"') || !p.endsWith('"') || p.length < 2)
      throw badRequest(
        `Syntax error in $search at '${p.slice(0, 50)}': put each term in double quotes, e.g. "displayName:ann".`,
      );
    const t = term(p.slice(1, -1).replace(/\\"/g, '"'), fields);
    out = out ? (op === "and" ? sql`(${out} and ${t})` : sql`(${out} or ${t})`) : t;
    op = "and";
  }
  if (!out) throw badRequest("$search has no term.");
  return out;
}

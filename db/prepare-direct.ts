/**
 * A Drizzle select prepared once and run straight on postgres.js (`prepareDirect`), for the hottest statements:
 * the decision server's and the portal's access check. Drizzle builds the SQL, its parameters and its column
 * decoders; this runs them without Drizzle's per-call wrappers.
 */
import { Column, fillPlaceholders, is, Placeholder, SQL } from "drizzle-orm";
import type { Db } from "./types";

/** A prepared statement run with the values of its placeholders. */
export type Direct<R> = { execute: (values: Record<string, unknown>) => Promise<R[]> };

/**
 * One bind parameter per named placeholder. Drizzle numbers every use of a placeholder anew, so the access
 * statement bound the principal's id five times and the instant four; postgres.js serialises each and
 * PostgreSQL parses each. Renumbers the statement's `$n` so that every use of a placeholder names its first;
 * other parameters (the statement's constants) keep one each.
 */
export function onePerPlaceholder(text: string, params: readonly unknown[]): { text: string; params: unknown[] } {
  const kept: unknown[] = [];
  const firstOf = new Map<string, number>();
  const renumber = params.map((p) => {
    const name = is(p, Placeholder) ? (p as Placeholder).name : null;
    const seen = name === null ? undefined : firstOf.get(name);
    if (seen !== undefined) return seen;
    kept.push(p);
    if (name !== null) firstOf.set(name, kept.length);
    return kept.length;
  });
  const out = text.replace(/\$(\d+)\b/g, (_, d: string) => {
    const n = renumber[Number(d) - 1];
    if (n === undefined) throw new Error(`parameter $${d} of a prepared statement has no value`);
    return `$${n}`;
  });
  return { text: out, params: kept };
}

/**
 * A Drizzle select prepared once and run straight on postgres.js when the database is PostgreSQL: the same
 * SQL text (one parameter per placeholder: `onePerPlaceholder`) and column decoders Drizzle prepared,
 * without Drizzle's per-call wrappers (its tracing spans and generic row mapper took ~38 µs of CPU per call, a
 * sixth of the decision server's work per answer at L). On any other driver (PGlite, in tests) Drizzle runs it.
 * `pdp/decision-server.test.ts` holds the rows equal both ways.
 */
export function prepareDirect<R>(db: Db, query: { prepare: (name: string) => unknown }, name: string): Direct<R> {
  const prepared = query.prepare(name);
  const client = (db as unknown as { $client?: { unsafe?: unknown } }).$client;
  // Drizzle's prepared query for postgres.js keeps these (not in its types): the SQL text, the parameters with
  // their placeholders, and the selected fields in column order.
  const inner = prepared as {
    queryString?: string;
    params?: unknown[];
    fields?: { path: string[]; field: unknown }[];
    logger?: { logQuery: (query: string, params: unknown[]) => void };
  };
  if (
    !client ||
    typeof client.unsafe !== "function" ||
    typeof inner.queryString !== "string" ||
    !Array.isArray(inner.params) ||
    !Array.isArray(inner.fields)
  )
    return prepared as Direct<R>;
  const unsafe = client.unsafe as (
    q: string,
    p: unknown[],
    o: { prepare: boolean },
  ) => { values: () => Promise<unknown[][]> };
  const { text, params } = onePerPlaceholder(inner.queryString, inner.params);
  const logger = inner.logger;
  const columns = inner.fields.map(({ path, field }) => {
    const decoder: { mapFromDriverValue: (v: unknown) => unknown } | null = is(field, Column)
      ? field
      : is(field, SQL)
        ? ((field as unknown as { decoder?: { mapFromDriverValue: (v: unknown) => unknown } }).decoder ?? null)
        : null;
    return {
      key: path[path.length - 1] as string,
      decode: (v: unknown) => (decoder ? decoder.mapFromDriverValue(v) : v),
    };
  });
  return {
    execute: async (values) => {
      const bound = fillPlaceholders(params, values);
      logger?.logQuery(text, bound);
      const rows = await unsafe.call(client, text, bound, { prepare: true }).values();
      return rows.map((r) => {
        const row: Record<string, unknown> = {};
        columns.forEach((c, i) => {
          const v = r[i];
          row[c.key] = v === null || v === undefined ? null : c.decode(v);
        });
        return row as R;
      });
    },
  };
}

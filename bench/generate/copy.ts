/** Bulk loading with COPY … FROM STDIN (text format) through postgres.js, streamed with back-pressure. */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";

/** One value in COPY's text format. */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  let s: string;
  if (v instanceof Date) s = v.toISOString();
  else if (typeof v === "boolean") s = v ? "t" : "f";
  else if (typeof v === "object") s = JSON.stringify(v);
  else s = String(v);
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : s;
}

/**
 * Streams rows (objects keyed by the Drizzle property names of `table`) into it with COPY. The column list is taken
 * from the keys of `fields`, mapped to the schema's column names, so a renamed column fails loudly.
 */
export async function copyRows<T extends Record<string, unknown>>(
  sql: Sql,
  table: PgTable,
  fields: (keyof T & string)[],
  rows: Iterable<T>,
): Promise<number> {
  const cols = getTableColumns(table) as Record<string, { name: string }>;
  const names = fields.map((f) => {
    const c = cols[f];
    if (!c) throw new Error(`${getTableName(table)} has no column for '${f}'`);
    return `"${c.name}"`;
  });
  let n = 0;
  function* chunks() {
    let buf: string[] = [];
    let size = 0;
    for (const row of rows) {
      const line = fields.map((f) => copyValue(row[f])).join("\t") + "\n";
      buf.push(line);
      size += line.length;
      n++;
      if (size > 1 << 20) {
        yield buf.join("");
        buf = [];
        size = 0;
      }
    }
    if (buf.length) yield buf.join("");
  }
  const writable = await sql.unsafe(`copy "${getTableName(table)}" (${names.join(", ")}) from stdin`).writable();
  await pipeline(Readable.from(chunks()), writable);
  return n;
}

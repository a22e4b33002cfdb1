import { PgDialect } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import type { Db } from "@/db/types";
/** `db.execute` answers `{ rows }` on PGlite and an array on postgres.js: read both. */
export const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];

/** Timestamps from raw SQL arrive as Date (postgres.js) or string (PGlite in some paths). */
export const toDate = (v: Date | string | null | undefined): Date | null =>
  v === null || v === undefined ? null : v instanceof Date ? v : new Date(v);

type PostgresJsClient = {
  unsafe: (query: string, params: unknown[]) => { raw: () => Promise<(Uint8Array | null)[][]> };
};
const dialect = new PgDialect();

/**
 * The rows of a statement as the database's bytes (postgres.js `.raw()`: each value a Buffer of its text, no
 * string made), or null on another driver (PGlite). For large text passed straight through to a client: a
 * million-row export read as strings had the young generation promote ~150 MB of them (issue 10).
 */
export function rawRows(db: Db, query: SQL): Promise<(Uint8Array | null)[][]> | null {
  const client = (db as unknown as { $client?: Partial<PostgresJsClient> }).$client;
  if (typeof client?.unsafe !== "function") return null;
  const { sql, params } = dialect.sqlToQuery(query);
  return (client as PostgresJsClient).unsafe(sql, params).raw();
}

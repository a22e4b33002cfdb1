/** `db.execute` answers `{ rows }` on PGlite and an array on postgres.js: read both. */
export const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];

/** Timestamps from raw SQL arrive as Date (postgres.js) or string (PGlite in some paths). */
export const toDate = (v: Date | string | null | undefined): Date | null =>
  v === null || v === undefined ? null : v instanceof Date ? v : new Date(v);

/**
 * Row counts of every table in the database (found in the catalogue, so a table added later is counted
 * too): a refused request must leave every count as it was.
 *
 * One exception, by design: `rate_limit_windows` counts requests, refused ones included (a wrong client
 * secret must count against the token endpoint's limit, or the limit would not slow a guesser down). It holds
 * no state of the directory or of PIM; `lib/api/rate-limit.test.ts` checks what it counts.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/types";
import { rowsOf } from "@/lib/pim/sql-rows";

const REQUEST_COUNTERS = new Set(["rate_limit_windows"]);

export async function allRowCounts(db: Db): Promise<Record<string, number>> {
  const tables = rowsOf<{ name: string }>(
    await db.execute(
      sql`select tablename as name from pg_tables where schemaname = current_schema() and tablename not like '\\_\\_%' order by 1`,
    ),
  )
    .map((t) => t.name)
    .filter((t) => !REQUEST_COUNTERS.has(t));
  if (tables.length === 0) throw new Error("no tables found");
  const union = sql.join(
    tables.map((t) => sql`select ${t}::text as name, count(*)::int as n from ${sql.identifier(t)}`),
    sql` union all `,
  );
  const rows = rowsOf<{ name: string; n: number | string }>(await db.execute(union));
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

/** The tables whose counts differ between two snapshots (empty when nothing was written). */
export function changedTables(before: Record<string, number>, after: Record<string, number>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}

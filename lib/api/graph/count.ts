import { sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/db/types";

/**
 * `$count=true`: the number of rows the (filtered) collection has, across all pages. `join` adds one inner join
 * when the filter names columns of another table (PIM for Groups filters on the access definition's group).
 */
export async function countWhere(
  db: Db,
  table: PgTable,
  where: SQL | undefined,
  join?: { table: PgTable; on: SQL },
): Promise<number> {
  const base = db.select({ n: sql<number>`count(*)::int` }).from(table);
  const [row] = await (join ? base.innerJoin(join.table, join.on) : base).where(where);
  return Number(row?.n ?? 0);
}

import { sql, type SQL } from "drizzle-orm";

/**
 * `csvCell` (./csv.ts) for a text value, computed by the database: null → empty; a cell a spreadsheet would
 * evaluate as a formula (= + - @ tab CR first) gets a leading apostrophe; a cell with a quote, comma or line
 * break is quoted with its quotes doubled. Character tests by `left`/`strpos` (no regular expression per cell:
 * a million-row export evaluates it ten million times).
 */
export function csvCellSql(x: SQL): SQL {
  const defused = sql`(case when left(${x}, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || ${x} else ${x} end)`;
  return sql`(case when ${x} is null then ''
    when strpos(${x}, '"') > 0 or strpos(${x}, ',') > 0 or strpos(${x}, chr(10)) > 0 or strpos(${x}, chr(13)) > 0
      then '"' || replace(${defused}, '"', '""') || '"'
    else ${defused} end)`;
}

/** `csvLine` (./csv.ts) in SQL: the cells joined by commas, CRLF at the end. */
export function csvLineSql(cells: SQL[]): SQL {
  return sql`(${sql.join(cells.map(csvCellSql), sql` || ',' || `)} || chr(13) || chr(10))`;
}

/**
 * CSV for exports (RFC 4180): fields quoted when needed, CRLF line ends, a UTF-8 BOM so spreadsheet
 * programs read names with accents correctly. Cells that a spreadsheet would evaluate as a formula
 * (starting with = + - @ or a tab/CR) get a leading apostrophe: exported audit text is attacker-controlled.
 */
export type CsvValue = string | number | boolean | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return "";
  let s = v instanceof Date ? v.toISOString() : String(v);
  if (typeof v === "string" && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (values: CsvValue[]) => `${values.map(csvCell).join(",")}\r\n`;

export const CSV_BOM = "\uFEFF";

/**
 * A streamed CSV body: the header, then every row the async source yields, encoded as it comes
 * (so a large export never sits in memory). The source is pulled only as fast as the client reads.
 */
export function csvStream(header: string[], rows: AsyncIterable<CsvValue[]>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const it = rows[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(enc.encode(CSV_BOM + csvLine(header)));
        return;
      }
      try {
        const next = await it.next();
        if (next.done) controller.close();
        else controller.enqueue(enc.encode(csvLine(next.value)));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await it.return?.();
    },
  });
}

/** Response headers for a CSV download named `name` (date-stamped by the caller). */
export function csvHeaders(name: string): HeadersInit {
  return {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  };
}

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

/** Bytes (about) per chunk written to the response: one write per ~64 KB instead of one per row. */
export const CSV_CHUNK_CHARS = 64 * 1024;

/**
 * A streamed CSV body: the header, then every row the async source yields, encoded as it comes (so a
 * large export never sits in memory: at most one chunk plus the source's current batch). Rows are joined
 * into chunks of about `CSV_CHUNK_CHARS` before they are encoded and written, so a million rows are a few
 * thousand writes, not a million. The source is pulled only as fast as the client reads.
 */
export function csvStream(
  header: string[],
  rows: AsyncIterable<CsvValue[]>,
  chunkChars = CSV_CHUNK_CHARS,
): ReadableStream<Uint8Array> {
  async function* single(): AsyncGenerator<CsvValue[][]> {
    for await (const row of rows) yield [row];
  }
  return csvStreamOfBatches(header, single(), chunkChars);
}

/** `csvStream` over a source that yields batches of rows (one awaited step per batch, not per row). */
export function csvStreamOfBatches(
  header: string[],
  batches: AsyncIterable<CsvValue[][]>,
  chunkChars = CSV_CHUNK_CHARS,
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const it = batches[Symbol.asyncIterator]();
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      let chunk = "";
      if (!started) {
        started = true;
        chunk = CSV_BOM + csvLine(header);
      }
      try {
        while (chunk.length < chunkChars) {
          const next = await it.next();
          if (next.done) {
            done = true;
            break;
          }
          for (const row of next.value) chunk += csvLine(row);
        }
        if (chunk) controller.enqueue(enc.encode(chunk));
        if (done) controller.close();
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await it.return?.();
    },
  });
}

/**
 * A streamed CSV body from text the source has already written as CSV lines (`csvLineSql`: the database writes
 * them; strings are encoded, bytes passed as they are), pulled one source step at a time as the client reads (a pull stream: nothing is read ahead of the
 * client but the step in hand, and nothing is kept once written). Header and BOM first, as `csvStream`.
 */
export function csvTextStream(
  header: string[],
  source: AsyncIterator<(string | Uint8Array)[]>,
  first?: IteratorResult<(string | Uint8Array)[]>,
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  // `first`: a step the caller already took (to answer a refusal before the first byte); handed on once, then dropped.
  let pending: IteratorResult<(string | Uint8Array)[]> | undefined = first;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          controller.enqueue(enc.encode(CSV_BOM + csvLine(header)));
        }
        const next = pending ?? (await source.next());
        pending = undefined;
        if (next.done) return controller.close();
        for (const piece of next.value) controller.enqueue(typeof piece === "string" ? enc.encode(piece) : piece);
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      pending = undefined;
      await source.return?.();
    },
  });
}

/** Response headers for a CSV download named `name` (date-stamped by the caller). */
export function csvHeaders(name: string): HeadersInit {
  return {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    // no-transform: the server's gzip (Next's compression) is skipped for exports. Compressing a million-row CSV
    // in the portal's one Node process took most of the export's time and buffered it (1 M audit rows at M:
    // 54 s and +333 MB RSS through the server against 11 s and +70 MB for the same stream in-process, issue 10).
    "cache-control": "no-store, no-transform",
    "x-content-type-options": "nosniff",
  };
}

import { describe, expect, it } from "vitest";
import { csvCell, csvHeaders, csvLine, csvStream, csvStreamOfBatches } from "./csv";

describe("csv", () => {
  it("quotes separators, quotes and line breaks", () => {
    expect(csvCell('He said "hi", then left')).toBe('"He said ""hi"", then left"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(new Date("2026-01-02T03:04:05Z"))).toBe("2026-01-02T03:04:05.000Z");
  });

  it("defuses spreadsheet formulas in text cells", () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell(-1)).toBe("-1");
  });

  it("streams header and rows with CRLF and a BOM", async () => {
    async function* rows() {
      yield ["a", 1];
      yield ["b,c", 2];
    }
    const bytes = await new Response(csvStream(["name", "n"], rows())).arrayBuffer();
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text).toBe('\uFEFFname,n\r\na,1\r\n"b,c",2\r\n');
    expect(csvLine(["x"])).toBe("x\r\n");
  });

  it("writes rows in chunks of about the chunk size, pulls the source only as the reader reads, loses nothing", async () => {
    let pulled = 0;
    async function* rows() {
      for (let i = 0; i < 10_000; i++) {
        pulled++;
        yield [`row ${i}`, i, "ünïcödé, with a comma"];
      }
    }
    const reader = csvStream(["name", "n", "text"], rows(), 4096).getReader();
    const first = await reader.read();
    expect(first.value!.byteLength).toBeGreaterThanOrEqual(4096);
    expect(pulled).toBeLessThan(200); // one chunk's rows, not the whole source
    const chunks = [first.value!];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect(chunks.length).toBeGreaterThan(50);
    expect(chunks.length).toBeLessThan(200); // ~4 KB each, not one per row
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(Buffer.concat(chunks));
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("\uFEFFname,n,text");
    expect(lines).toHaveLength(10_002); // header, 10,000 rows, the empty string after the last CRLF
    expect(lines[10_000]).toBe('row 9999,9999,"ünïcödé, with a comma"');
  });

  it("an empty source gives the header alone", async () => {
    async function* rows(): AsyncGenerator<string[]> {}
    const bytes = await new Response(csvStream(["a"], rows())).arrayBuffer();
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text).toBe("\uFEFFa\r\n");
  });

  it("asks the server not to compress the download (no-transform) and never to cache it", () => {
    const h = new Headers(csvHeaders("a b.csv"));
    expect(h.get("cache-control")).toBe("no-store, no-transform");
    expect(h.get("content-disposition")).toBe('attachment; filename="a_b.csv"');
  });

  it("streams batches of rows as the same bytes as row by row", async () => {
    const rows = Array.from({ length: 250 }, (_, i) => [`row ${i}`, i % 3 ? "=x" : 'a "b"', i]);
    const read = async (s: ReadableStream<Uint8Array>) => new Response(s).text();
    async function* one() {
      for (const r of rows) yield r;
    }
    async function* batched() {
      for (let i = 0; i < rows.length; i += 40) yield rows.slice(i, i + 40);
    }
    const a = await read(csvStream(["a", "b", "n"], one(), 100));
    const b = await read(csvStreamOfBatches(["a", "b", "n"], batched(), 100));
    expect(b).toBe(a);
    expect(a.split("\r\n")).toHaveLength(252); // header, 250 rows, the empty end
  });
});

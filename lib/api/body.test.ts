import { describe, expect, it } from "vitest";
import { readTextCapped } from "./body";

const streamed = (parts: string[]) =>
  new Request("http://x.test/", {
    method: "POST",
    body: new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of parts) c.enqueue(new TextEncoder().encode(p));
        c.close();
      },
    }),
    duplex: "half",
  } as RequestInit);

describe("readTextCapped", () => {
  it("reads a body within the limit, whole and UTF-8 decoded across chunks", async () => {
    const euro = new TextEncoder().encode("€"); // 3 bytes split over two chunks
    const req = new Request("http://x.test/", {
      method: "POST",
      body: new Blob([new Uint8Array([0x61]), euro.slice(0, 1), euro.slice(1)]),
    });
    expect(await readTextCapped(req, 10)).toBe("a€");
    expect(await readTextCapped(new Request("http://x.test/", { method: "POST" }), 10)).toBe("");
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const req = new Request("http://x.test/", {
      method: "POST",
      body: "short",
      headers: { "content-length": "999999" },
    });
    expect(await readTextCapped(req, 100)).toBeNull();
  });

  it("cuts a streamed body off at the limit (no Content-Length)", async () => {
    expect(await readTextCapped(streamed(["a".repeat(60), "b".repeat(60)]), 100)).toBeNull();
    expect(await readTextCapped(streamed(["a".repeat(50), "b".repeat(50)]), 100)).toBe("a".repeat(50) + "b".repeat(50));
  });
});

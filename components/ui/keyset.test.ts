import { describe, expect, it } from "vitest";
import { z } from "zod";
import { keysetPager, queryString } from "./keyset";

const cursor = z.object({ createdDateTime: z.iso.datetime(), id: z.uuid() });
const c1 = { createdDateTime: "2026-11-25T10:00:00.000Z", id: "10000000-0000-4000-8000-000000000001" };
const c2 = { createdDateTime: "2026-11-24T10:00:00.000Z", id: "10000000-0000-4000-8000-000000000002" };

describe("keyset pager", () => {
  it("walks forward and back through a trail of cursors", () => {
    const first = keysetPager(null, cursor, 50);
    expect(first).toMatchObject({ cursor: null, from: 1, prevParam: undefined });
    const p2 = first.nextParam(c1);
    expect(p2).toBeTypeOf("string");
    const second = keysetPager(p2, cursor, 50);
    expect(second).toMatchObject({ cursor: c1, from: 51, prevParam: null });
    const third = keysetPager(second.nextParam(c2), cursor, 50);
    expect(third).toMatchObject({ cursor: c2, from: 101 });
    expect(keysetPager(third.prevParam, cursor, 50)).toMatchObject({ cursor: c1, from: 51 });
    expect(third.nextParam(null)).toBeUndefined();
  });

  it("falls back to the first page for a forged or broken trail", () => {
    const forged = Buffer.from(JSON.stringify([{ createdDateTime: "x'; drop table users; --", id: "1" }])).toString(
      "base64url",
    );
    expect(keysetPager(forged, cursor, 50)).toMatchObject({ cursor: null, from: 1 });
    expect(keysetPager("%%%not-base64", cursor, 50)).toMatchObject({ cursor: null, from: 1 });
  });

  it("builds query strings from the non-empty values", () => {
    expect(queryString({ tab: "active", q: "", page: undefined, n: 2 })).toBe("?tab=active&n=2");
    expect(queryString({})).toBe("");
  });
});

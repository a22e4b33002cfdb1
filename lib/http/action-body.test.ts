import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { ACTION_BODY_LIMIT, refuseActionBody } from "./action-body";

const ID = "7f3c1a9e0b2d4c6e8f0a1b2c3d4e5f6a7b8c9d0e1f";
const post = (body: BodyInit | null, headers: Record<string, string>) =>
  new Request("http://pim.test/my-roles", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("server-action bodies Next.js would answer 500 get a 4xx first (issue 12 finding 7)", () => {
  it("passes what React sends: JSON as text/plain, multipart forms, urlencoded forms", async () => {
    expect(
      await refuseActionBody(
        post('["abc",{"a":1}]', { "next-action": ID, "content-type": "text/plain;charset=UTF-8" }),
      ),
    ).toBeNull();
    const form = new FormData();
    form.set("1_justification", "שלום e\u0301");
    const multipart = new Request("http://pim.test/", { method: "POST", body: form });
    const withId = post(await multipart.arrayBuffer(), {
      "next-action": ID,
      "content-type": multipart.headers.get("content-type")!,
    });
    expect(await refuseActionBody(withId)).toBeNull();
    expect(await refuseActionBody(post("a=1&b=2", { "content-type": "application/x-www-form-urlencoded" }))).toBeNull();
    // Not an action at all: left to Next.
    expect(await refuseActionBody(new Request("http://pim.test/", { method: "GET" }))).toBeNull();
    expect(await refuseActionBody(post("{}", { "content-type": "application/json" }))).toBeNull();
  });

  it("passes the multipart body Chromium sent for the sign-in form (captured from a browser run)", async () => {
    const b = "----WebKitFormBoundarymdWgBSUqxsmKwEcu";
    const fields: [string, string][] = [
      ["_1_$ACTION_REF_1", ""],
      ["_1_$ACTION_1:0", '{"id":"604ce0825c0006cd6b57734d58b145805e746666e7","bound":"$@1"}'],
      ["_1_$ACTION_1:1", '["$undefined"]'],
      ["_1_$ACTION_KEY", "k5fcfbc8b428d822aaf3813f40bffbf90"],
      ["_1_returnTo", ""],
      ["_1_identifier", "grace.miller@PerparimSolutions.onmicrosoft.com"],
      ["_1_password", "PimDemo!2026"],
      ["0", '["$undefined","$K1"]'],
    ];
    const body =
      fields.map(([n, v]) => `--${b}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`).join("") +
      `--${b}--\r\n`;
    const headers = { "next-action": ID, "content-type": `multipart/form-data; boundary=${b}` };
    expect(await refuseActionBody(post(body, headers))).toBe(null);
    // The same without its closing boundary, or with a part lacking its name, is refused.
    expect(await refuseActionBody(post(body.replace(`--${b}--\r\n`, ""), headers))).toMatchObject({ status: 400 });
    expect(await refuseActionBody(post(body.replace('form-data; name="0"', "form-data"), headers))).toMatchObject({
      status: 400,
    });
  });

  it("1 MiB or more: 413, by Content-Length or by counting a streamed body", async () => {
    const big = "x".repeat(ACTION_BODY_LIMIT);
    expect(
      await refuseActionBody(
        post(big, { "next-action": ID, "content-type": "text/plain", "content-length": String(big.length) }),
      ),
    ).toMatchObject({ status: 413 });
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 17; i++) c.enqueue(new Uint8Array(64 * 1024).fill(32));
        c.close();
      },
    });
    expect(await refuseActionBody(post(stream, { "next-action": ID, "content-type": "text/plain" }))).toMatchObject({
      status: 413,
    });
    expect(
      await refuseActionBody(post("[" + "1,".repeat(1000) + "1]", { "next-action": ID, "content-type": "text/plain" })),
    ).toBeNull();
  });

  it("malformed: bad action id, unknown content type, text that is not JSON, multipart that does not parse → 4xx", async () => {
    expect(
      await refuseActionBody(post("[]", { "next-action": "../../etc", "content-type": "text/plain" })),
    ).toMatchObject({ status: 400 });
    expect(await refuseActionBody(post("[]", { "next-action": ID, "content-type": "application/xml" }))).toMatchObject({
      status: 415,
    });
    expect(await refuseActionBody(post('["abc', { "next-action": ID, "content-type": "text/plain" }))).toMatchObject({
      status: 400,
    });
    expect(
      await refuseActionBody(
        post(new Uint8Array([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]), { "next-action": ID, "content-type": "text/plain" }),
      ),
    ).toMatchObject({ status: 400 });
    expect(
      await refuseActionBody(
        post('--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated', {
          "next-action": ID,
          "content-type": "multipart/form-data; boundary=zz",
        }),
      ),
    ).toMatchObject({ status: 400 });
    expect(
      await refuseActionBody(post("no boundary", { "next-action": ID, "content-type": "multipart/form-data" })),
    ).toMatchObject({
      status: 400,
    });
  });

  it("proxy.ts answers the refusal itself, with the security headers", async () => {
    const r = await proxy(
      new NextRequest("http://pim.test/my-roles", {
        method: "POST",
        body: "{",
        headers: { "next-action": ID, "content-type": "text/plain" },
      }),
    );
    expect(r.status).toBe(400);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    // API routes read their own bodies (Graph answers its own 400/413).
    const api = await proxy(
      new NextRequest("http://pim.test/graph/v1.0/me", {
        method: "POST",
        body: "{",
        headers: { "next-action": ID, "content-type": "text/plain" },
      }),
    );
    expect(api.status).toBe(200);
  });
});

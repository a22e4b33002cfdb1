/**
 * `POST /graph/v1.0/$batch`: Graph's JSON batching. Up to 20 requests, each run through the same router (so
 * each is authenticated with the batch's bearer token, rate-limited and authorized like a lone call). They run
 * one after another in the order given, which honours every `dependsOn`; a request whose dependency failed
 * answers 424 (Failed Dependency) without running. A malformed batch is a 400 and runs nothing.
 */
import { z } from "zod";
import { badRequest, GraphError } from "../errors";
import { json, parseBody, readJson, requestIdOf } from "../handler";
import { graphErrorResponse } from "../errors";

export const MAX_BATCH = 20;

const batchItem = z.strictObject({
  id: z.string().min(1).max(100),
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(["GET", "POST", "PATCH", "PUT", "DELETE"])),
  url: z.string().min(1).max(4000),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  dependsOn: z.array(z.string().min(1).max(100)).max(MAX_BATCH).optional(),
});
const batchBody = z.strictObject({
  requests: z
    .array(batchItem)
    .min(1)
    .max(MAX_BATCH, { message: `A batch holds at most ${MAX_BATCH} requests.` }),
});

/** Only these headers of an inner request are passed on (the token always comes from the batch itself). */
const PASSED = new Set(["content-type", "consistencylevel", "prefer", "client-request-id", "if-match"]);

export async function handleBatch(req: Request, run: (r: Request) => Promise<Response>): Promise<Response> {
  const requestId = requestIdOf(req);
  let parsed: z.output<typeof batchBody>;
  try {
    parsed = parseBody(batchBody, await readJson(req));
    const ids = new Set<string>();
    for (const r of parsed.requests) {
      const key = r.id.toLowerCase();
      if (ids.has(key)) throw badRequest(`The batch has two requests with id '${r.id}'.`);
      for (const d of r.dependsOn ?? [])
        if (!ids.has(d.toLowerCase()))
          throw badRequest(`Request '${r.id}' depends on '${d}', which is not an earlier request of the batch.`);
      ids.add(key);
      if (/^[a-z][a-z0-9+.-]*:/i.test(r.url) || r.url.startsWith("//"))
        throw badRequest(`Request '${r.id}': the url must be relative to the service root (e.g. /users).`);
      if (/^\/?\$batch(\?|$)/i.test(r.url)) throw badRequest(`Request '${r.id}': a batch cannot contain a batch.`);
      if (r.body !== undefined && !Object.keys(r.headers ?? {}).some((h) => h.toLowerCase() === "content-type"))
        throw badRequest(`Request '${r.id}' has a body but no Content-Type header.`);
    }
  } catch (err) {
    return graphErrorResponse(err, requestId, new Date());
  }

  const root = new URL(req.url);
  root.pathname = root.pathname.replace(/\/\$batch\/?$/i, "");
  root.search = "";
  const failed = new Set<string>();
  const responses: { id: string; status: number; headers: Record<string, string>; body?: unknown }[] = [];
  for (const item of parsed.requests) {
    const dep = item.dependsOn?.find((d) => failed.has(d.toLowerCase()));
    if (dep) {
      failed.add(item.id.toLowerCase());
      const e = new GraphError(424, "FailedDependency", `Request '${dep}', which this request depends on, failed.`);
      responses.push(await asItem(item.id, graphErrorResponse(e, requestId, new Date())));
      continue;
    }
    const rel = item.url.startsWith("/") ? item.url : `/${item.url}`;
    const target = new URL(`${root.toString().replace(/\/$/, "")}${rel}`);
    const headers = new Headers();
    for (const [k, v] of Object.entries(item.headers ?? {})) if (PASSED.has(k.toLowerCase())) headers.set(k, v);
    for (const k of [
      "authorization",
      "host",
      "x-forwarded-host",
      "x-forwarded-proto",
      "x-forwarded-for",
      "user-agent",
    ]) {
      const v = req.headers.get(k);
      if (v) headers.set(k, v);
    }
    const body =
      item.body === undefined || item.method === "GET"
        ? undefined
        : typeof item.body === "string"
          ? item.body
          : JSON.stringify(item.body);
    const res = await run(new Request(target, { method: item.method, headers, body }));
    if (res.status >= 400) failed.add(item.id.toLowerCase());
    responses.push(await asItem(item.id, res));
  }
  return json({ responses }, 200, requestId);
}

async function asItem(id: string, res: Response) {
  const text = await res.text();
  const headers: Record<string, string> = {};
  const type = res.headers.get("content-type");
  if (type) headers["Content-Type"] = type;
  let body: unknown;
  if (text) {
    try {
      body = type?.includes("json") ? JSON.parse(text) : text;
    } catch {
      body = text;
    }
  }
  return { id, status: res.status, headers, ...(body !== undefined ? { body } : {}) };
}

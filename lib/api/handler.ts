/**
 * The adapter every API route goes through: request id → ctx (from a provider tests can replace) →
 * token authentication → per-token rate limit → permission check → handler → JSON; any failure becomes a
 * Graph-style error response. Framework-light: plain `Request`/`Response`, no next imports.
 */
import { readTextCapped } from "./body";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Ctx } from "@/lib/pim/context";
import { authenticate, requireScope, type ApiCaller } from "./auth";
import { badRequest, GraphError, graphErrorResponse } from "./errors";
import { publicUrlOf } from "./public-url";
import { checkRateLimit } from "./rate-limit";
import type { Need } from "./scopes";

export type ApiCtxProvider = () => Promise<Ctx> | Ctx;
let provider: ApiCtxProvider | null = null;
let rateLimitOverride: number | null = null;

/** Tests (and the contract server) inject their own database and clock. `null` restores the app's. */
export function setApiCtxProvider(p: ApiCtxProvider | null): void {
  provider = p;
}
/** Tests: requests per minute per token (`null` = from the environment). */
export function setApiRateLimit(perMinute: number | null): void {
  rateLimitOverride = perMinute;
}

export async function apiCtx(): Promise<Ctx> {
  if (provider) return provider();
  const { getCtx } = await import("@/lib/server-db");
  return getCtx();
}

/** Requests per minute per API token: the tests' override, else API_RATE_LIMIT_PER_MINUTE. */
export async function rateLimitPerMinute(): Promise<number> {
  if (rateLimitOverride !== null) return rateLimitOverride;
  const { env } = await import("@/lib/env");
  return env().API_RATE_LIMIT_PER_MINUTE;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requestIdOf(req: { headers: Pick<Headers, "get"> }): string {
  const given = req.headers.get("client-request-id");
  return given && GUID.test(given) ? given.toLowerCase() : randomUUID();
}

/** `url` is the request as the client addressed it (see public-url.ts): every absolute link is built from it. */
export type ApiContext = { req: Request; url: URL; ctx: Ctx; caller: ApiCaller; requestId: string };

/** Authenticates, rate-limits and checks the permission; the handler's value becomes the JSON body (200). */
export async function runApi(
  req: Request,
  need: Need | null,
  handler: (c: ApiContext) => Promise<Response | unknown>,
): Promise<Response> {
  const requestId = requestIdOf(req);
  let now = new Date();
  try {
    const ctx = await apiCtx();
    now = ctx.now();
    const caller = await authenticate(ctx, req);
    await checkRateLimit(ctx.db, caller.tokenId, await rateLimitPerMinute(), now.getTime());
    if (need) requireScope(caller, need);
    const out = await handler({ req, url: publicUrlOf(req), ctx, caller, requestId });
    if (out instanceof Response) {
      out.headers.set("request-id", requestId);
      return out;
    }
    return json(out, 200, requestId);
  } catch (err) {
    return graphErrorResponse(err, requestId, now);
  }
}

export function json(body: unknown, status = 200, requestId?: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json; odata.metadata=minimal",
      ...(requestId ? { "request-id": requestId } : {}),
      ...headers,
    },
  });
}

export const noContent = () => new Response(null, { status: 204 });

const MAX_BODY = 64 * 1024;

/** The JSON object body, or a 400 (not JSON, not an object, too large). */
export async function readJson(req: Request): Promise<Record<string, unknown>> {
  const text = await readTextCapped(req, MAX_BODY);
  if (text === null) throw new GraphError(413, "RequestEntityTooLarge", "The request body is larger than 64 KB.");
  if (!text.trim()) throw badRequest("The request body is empty; a JSON object is expected.");
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw badRequest("The request body is not valid JSON.");
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw badRequest("The request body must be a JSON object.");
  return v as Record<string, unknown>;
}

/** Validates a body with a zod schema; failures are a Graph 400 naming the property. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const where = first?.path.length ? first.path.map(String).join(".") : "body";
  throw new GraphError(400, "BadRequest", `Invalid value for '${where}': ${first?.message ?? "invalid"}`, {
    details: r.error.issues
      .slice(0, 10)
      .map((i) => ({ code: "InvalidValue", message: i.message, target: i.path.map(String).join(".") || "body" })),
  });
}

/**
 * The decision server (PDP): the access check on plain node:http, beside the portal on the same PostgreSQL
 * database, as Cerbos or OPA run beside an app. Same path, auth, rate limit (shared with the portal, in the
 * database) and answers as the portal's `GET /api/v1/access/check`: both answer a role or group question with the token
 * lookup in ONE statement (`answerQuestionInOneStatement`) and anything else through `authenticate` and
 * `answerAccessCheck`. No Next and no fetch `Request`/`Response` objects on the hot path.
 * Nothing is cached: every answer is decided at the moment of the check (`start <= now < end`), so an end
 * time or a removal counts from that instant.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { answerAccessCheck, answerQuestionInOneStatement } from "@/lib/api/access-check";
import { authenticate, requireScope, type RequestHeaders } from "@/lib/api/auth";
import { GraphError, graphErrorResponse } from "@/lib/api/errors";
import { checkRateLimit } from "@/lib/api/rate-limit";
import type { Ctx } from "@/lib/pim/context";
import type { Db } from "@/db/types";

export const ACCESS_CHECK_PATH = "/api/v1/access/check";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type DecisionServerOptions = {
  db: Db;
  /** The clock (tests move it); default the wall clock. */
  now?: () => Date;
  /** Requests per minute per token, as API_RATE_LIMIT_PER_MINUTE (0 = no limit). */
  rateLimitPerMinute: number;
};

function headersOf(req: http.IncomingMessage): RequestHeaders {
  return {
    headers: {
      get: (name: string) => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v.join(", ") : (v ?? null);
      },
    },
  };
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string>) {
  res.writeHead(status, {
    "content-type": "application/json; odata.metadata=minimal",
    "content-length": Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

async function sendError(res: http.ServerResponse, err: unknown, requestId: string, now: Date) {
  const r = graphErrorResponse(err, requestId, now);
  const headers: Record<string, string> = { "request-id": requestId };
  r.headers.forEach((v, k) => {
    if (k !== "content-type" && k !== "content-length") headers[k] = v;
  });
  send(res, r.status, await r.text(), headers);
}

/** The general path (group questions, and requests the one-statement path leaves: its errors): as the portal's. */
async function answerInSteps(ctx: Ctx, h: RequestHeaders, params: URLSearchParams, rateLimitPerMinute: number) {
  const caller = await authenticate(ctx, h);
  await checkRateLimit(ctx.db, caller.tokenId, rateLimitPerMinute, ctx.now().getTime());
  requireScope(caller, "accessCheck");
  return answerAccessCheck(ctx, caller, params);
}

/** The request handler (exported for tests that mount it on their own server). */
export function decisionHandler(opts: DecisionServerOptions) {
  const clock = opts.now ?? (() => new Date());
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const h = headersOf(req);
    const given = h.headers.get("client-request-id");
    const requestId = given && GUID.test(given) ? given.toLowerCase() : randomUUID();
    let now = new Date();
    try {
      const q = (req.url ?? "/").indexOf("?");
      const path = q < 0 ? (req.url ?? "/") : (req.url ?? "/").slice(0, q);
      const params = new URLSearchParams(q < 0 ? "" : (req.url ?? "").slice(q + 1));
      if (path === "/api/health") return send(res, 200, JSON.stringify({ status: "ok", database: "postgres" }), {});
      if (path !== ACCESS_CHECK_PATH)
        throw new GraphError(404, "NotFound", "The decision server answers only the access check.");
      if (req.method !== "GET" && req.method !== "HEAD")
        throw new GraphError(405, "MethodNotAllowed", "Use GET for the access check.", { headers: { allow: "GET" } });
      now = clock();
      const ctx = { db: opts.db, now: () => now };
      // a role or group question: the token and the question in one statement; anything else: the general path
      const answer =
        (await answerQuestionInOneStatement(ctx, h, params, opts.rateLimitPerMinute)) ??
        (await answerInSteps(ctx, h, params, opts.rateLimitPerMinute));
      send(res, 200, JSON.stringify(answer), { "request-id": requestId, "cache-control": "no-store" });
    } catch (err) {
      await sendError(res, err, requestId, now);
    }
  };
}

export function createDecisionServer(opts: DecisionServerOptions): http.Server {
  const handle = decisionHandler(opts);
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error("decision server: unexpected failure", err);
      if (!res.headersSent)
        send(res, 500, JSON.stringify({ error: { code: "InternalServerError", message: "Internal error." } }), {});
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

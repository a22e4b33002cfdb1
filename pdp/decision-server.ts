/**
 * The decision server (PDP): the access check on plain node:http, beside the portal on the same PostgreSQL
 * database, as Cerbos or OPA run beside an app. Same path, auth, rate limit (shared with the portal, in the database) and answers as the portal's
 * `GET /api/v1/access/check` (it runs the same `authenticate` and `answerAccessCheck`); no Next, no fetch
 * `Request`/`Response` objects on the hot path, and the core's access query prepared once (`accessChecker`:
 * built with placeholders, so a check costs the query, not the query builder).
 * Nothing is cached: every answer is decided at the moment of the check (`start <= now < end`), so an end
 * time or a removal counts from that instant.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { answerAccessCheck, preparedCheck, roleQuestionOf } from "@/lib/api/access-check";
import {
  authenticate,
  bearerToken,
  callerOfToken,
  requireScope,
  tokenLookupSelect,
  type ApiCaller,
  type RequestHeaders,
} from "@/lib/api/auth";
import { embeddedAccessCheck, type AccessResult } from "@/lib/pim/access/check-access";
import { hashSecret } from "@/lib/pim/use-cases/create-api-token";
import { GraphError, graphErrorResponse } from "@/lib/api/errors";
import { checkRateLimit } from "@/lib/api/rate-limit";
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

type TokenAndCheck = ReturnType<ReturnType<typeof tokenLookupSelect>["prepare"]>;

/**
 * A role question in ONE statement: the token lookup with the access check's answer as one more column
 * (`embeddedAccessCheck`), prepared once per question shape. The same rules follow as on the general path
 * (`callerOfToken`, the rate limit, the permission, the personal-token rule inside `answerAccessCheck`), so
 * the answers and errors are the portal's. Returns null when the request is not a well-formed role question
 * with a bearer token: the general path answers it (and gives its errors).
 */
async function tokenAndRoleQuestion(
  ctx: { db: Db; now: () => Date },
  h: RequestHeaders,
  params: URLSearchParams,
  prepared: Map<string, TokenAndCheck>,
): Promise<{ caller: ApiCaller; result: AccessResult } | null> {
  const token = bearerToken(h);
  const q = token ? roleQuestionOf(params) : null;
  if (!token || !q) return null;
  const check = embeddedAccessCheck(ctx.db, { ...q, at: ctx.now() });
  let stmt = prepared.get(check.key);
  if (!stmt) {
    stmt = tokenLookupSelect(ctx.db, check.column()).prepare(`pdp_token_check_${check.key}`);
    prepared.set(check.key, stmt);
  }
  const [row] = await stmt.execute({ hash: hashSecret(token), ...check.values });
  const caller = await callerOfToken(ctx, row, h);
  return { caller, result: check.result(row!.extra) };
}

/** The request handler (exported for tests that mount it on their own server). */
export function decisionHandler(opts: DecisionServerOptions) {
  const clock = opts.now ?? (() => new Date());
  const ctx = { db: opts.db, now: clock };
  const prepared = new Map<string, TokenAndCheck>();
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
      const fixed = { db: opts.db, now: () => now };
      const one = await tokenAndRoleQuestion(fixed, h, params, prepared);
      if (one) {
        await checkRateLimit(opts.db, one.caller.tokenId, opts.rateLimitPerMinute, now.getTime());
        requireScope(one.caller, "accessCheck");
        const answer = await answerAccessCheck(fixed, one.caller, params, async () => one.result);
        return send(res, 200, JSON.stringify(answer), { "request-id": requestId, "cache-control": "no-store" });
      }
      const caller = await authenticate(ctx, h);
      await checkRateLimit(opts.db, caller.tokenId, opts.rateLimitPerMinute, now.getTime());
      requireScope(caller, "accessCheck");
      const answer = await answerAccessCheck(ctx, caller, params, preparedCheck);
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

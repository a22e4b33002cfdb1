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
import { answerAccessCheck, preparedCheck, roleQuestionOf, type RoleQuestion } from "@/lib/api/access-check";
import {
  authenticate,
  bearerToken,
  callerOfToken,
  requireScope,
  tokenLookupSelect,
  type ApiCaller,
  type RequestHeaders,
  type TokenRow,
} from "@/lib/api/auth";
import { embeddedAccessCheck, type AccessResult } from "@/lib/pim/access/check-access";
import { hashSecret } from "@/lib/pim/use-cases/create-api-token";
import { GraphError, graphErrorResponse } from "@/lib/api/errors";
import { checkRateLimit } from "@/lib/api/rate-limit";
import type { Db } from "@/db/types";
import { Column, fillPlaceholders, is, SQL } from "drizzle-orm";

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

type TokenAndCheck = { execute: (values: Record<string, unknown>) => Promise<(TokenRow & { extra: unknown })[]> };

/**
 * The prepared token-and-question statement, run straight on postgres.js when the database is PostgreSQL: the
 * same SQL text, parameters and column decoders Drizzle prepared, without Drizzle's per-call wrappers (its
 * tracing spans and generic row mapper took ~38 µs of CPU per call, a sixth of the server's work
 * per answer at L). On any other driver (PGlite, in tests) Drizzle runs it. `decision-server.test.ts` holds the
 * answers equal to the portal's on both.
 */
export function prepareTokenAndCheck(db: Db, column: SQL<unknown>, name: string): TokenAndCheck {
  const prepared = tokenLookupSelect(db, column).prepare(name);
  const client = (db as unknown as { $client?: { unsafe?: unknown } }).$client;
  // Drizzle's prepared query for postgres.js keeps these (not in its types): the SQL text, the parameters with
  // their placeholders, and the selected fields in column order.
  const inner = prepared as unknown as {
    queryString?: string;
    params?: unknown[];
    fields?: { path: string[]; field: unknown }[];
    logger?: { logQuery: (query: string, params: unknown[]) => void };
  };
  if (
    !client ||
    typeof client.unsafe !== "function" ||
    typeof inner.queryString !== "string" ||
    !Array.isArray(inner.params) ||
    !Array.isArray(inner.fields)
  )
    return prepared as unknown as TokenAndCheck;
  const unsafe = client.unsafe as (
    q: string,
    p: unknown[],
    o: { prepare: boolean },
  ) => { values: () => Promise<unknown[][]> };
  const text = inner.queryString;
  const params = inner.params;
  const logger = inner.logger;
  const columns = inner.fields.map(({ path, field }) => {
    const decoder: { mapFromDriverValue: (v: unknown) => unknown } | null = is(field, Column)
      ? field
      : is(field, SQL)
        ? ((field as unknown as { decoder?: { mapFromDriverValue: (v: unknown) => unknown } }).decoder ?? null)
        : null;
    return {
      key: path[path.length - 1] as string,
      decode: (v: unknown) => (decoder ? decoder.mapFromDriverValue(v) : v),
    };
  });
  return {
    execute: async (values) => {
      const bound = fillPlaceholders(params, values);
      logger?.logQuery(text, bound);
      const rows = await unsafe.call(client, text, bound, { prepare: true }).values();
      return rows.map((r) => {
        const row: Record<string, unknown> = {};
        columns.forEach((c, i) => {
          const v = r[i];
          row[c.key] = v === null || v === undefined ? null : c.decode(v);
        });
        return row as TokenRow & { extra: unknown };
      });
    },
  };
}

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
): Promise<{ caller: ApiCaller; question: RoleQuestion; result: AccessResult } | null> {
  const token = bearerToken(h);
  const q = token ? roleQuestionOf(params) : null;
  if (!token || !q) return null;
  const check = embeddedAccessCheck(ctx.db, { ...q, at: ctx.now() });
  let stmt = prepared.get(check.key);
  if (!stmt) {
    stmt = prepareTokenAndCheck(ctx.db, check.column(), `pdp_token_check_${check.key}`);
    prepared.set(check.key, stmt);
  }
  const [row] = await stmt.execute({ hash: hashSecret(token), ...check.values });
  const caller = await callerOfToken(ctx, row, h);
  return { caller, question: q, result: check.result(row!.extra) };
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
        const answer = await answerAccessCheck(fixed, one.caller, one.question, async () => one.result);
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

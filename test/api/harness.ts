/**
 * Test harness for the API: a fresh database (PGlite or PostgreSQL via TEST_DATABASE_URL), a directory, a
 * controllable clock, the app's real route handlers with the ctx injected, and tokens minted through the
 * token use cases. `call()` builds a `Request` and hands it to the exported route function.
 */
import { count } from "drizzle-orm";
import {
  approvalDecisions,
  auditEvents,
  roleAssignmentSchedules,
  roleEligibilitySchedules,
  roleSettings,
  scheduleRequests,
} from "@/db/schema";
import type { Db } from "@/db/types";
import type { PgTable } from "drizzle-orm/pg-core";
import * as graphRoute from "@/app/graph/v1.0/[...path]/route";
import * as accessRoute from "@/app/api/v1/access/check/route";
import * as tokenRoute from "@/app/oauth2/v2.0/token/route";
import { setApiCtxProvider, setApiRateLimit } from "@/lib/api/handler";
import { resetRateLimits } from "@/lib/api/rate-limit";
import { GRAPH_SCOPES } from "@/lib/api/scopes";
import type { Ctx } from "@/lib/pim/context";
import { createApiToken } from "@/lib/pim/use-cases/create-api-token";
import { createDirectory, type TestUser } from "@/test/fixtures/directory";
import { createTestDb, testCtx } from "@/test/db";

export const BASE = "https://pim.test";
export const ALL_SCOPES = [...GRAPH_SCOPES];

export async function setupApi() {
  const handle = await createTestDb();
  const ctx = testCtx(handle);
  setApiCtxProvider(() => ctx as Ctx);
  setApiRateLimit(0);
  resetRateLimits();
  const d = await createDirectory(handle.db);
  return { handle, ctx, d, db: handle.db };
}

/** A personal token for `user` (MFA now unless `mfa: false`), with the given Graph permissions. */
export async function tokenFor(
  ctx: Ctx,
  user: TestUser,
  scopes: string[] = ALL_SCOPES,
  opts: { mfa?: boolean } = {},
): Promise<string> {
  const t = await createApiToken(ctx, user.actor({ mfaAt: opts.mfa === false ? null : ctx.now() }), {
    name: `test ${user.displayName}`,
    expiresInDays: 30,
    scopes: scopes as never,
  });
  return t.token;
}

type CallOpts = { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> };

export async function call(method: string, path: string, opts: CallOpts = {}) {
  const url = path.startsWith("http")
    ? path
    : `${BASE}${path.startsWith("/graph") || path.startsWith("/api") || path.startsWith("/oauth2") ? "" : "/graph/v1.0"}${path}`;
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] = "application/json";
  }
  const req = new Request(url, { method, headers, body });
  const u = new URL(url);
  let res: Response;
  if (u.pathname.startsWith("/api/v1/access/check")) res = await accessRoute.GET(req);
  else if (u.pathname.startsWith("/oauth2/")) res = await tokenRoute.POST(req);
  else {
    const fns: Record<string, (r: Request) => Promise<Response>> = {
      GET: graphRoute.GET,
      POST: graphRoute.POST,
      PATCH: graphRoute.PATCH,
      PUT: graphRoute.PUT,
      DELETE: graphRoute.DELETE,
    };
    const fn = fns[method];
    if (!fn) throw new Error(`no ${method} export`);
    res = await fn(req);
  }
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json, headers: res.headers };
}

/** The Graph error body's code (and a check that the body has Graph's error shape). */
export function errorCode(r: { json: Record<string, unknown> }): string {
  const e = r.json.error as
    { code?: string; message?: string; innerError?: { date?: string; "request-id"?: string } } | undefined;
  if (!e?.code || !e.message || !e.innerError?.date || !e.innerError["request-id"])
    throw new Error(`not a Graph error body: ${JSON.stringify(r.json)}`);
  return e.code;
}

/** Row counts of every table a write could touch (to prove a refused call wrote nothing). */
export async function stateCounts(db: Db) {
  const n = async (t: PgTable) => Number((await db.select({ n: count() }).from(t))[0]?.n ?? 0);
  return {
    requests: await n(scheduleRequests),
    assignments: await n(roleAssignmentSchedules),
    eligibilities: await n(roleEligibilitySchedules),
    decisions: await n(approvalDecisions),
    settings: await n(roleSettings),
  };
}

/** Audit rows other than failure records (a refused use case records its refusal, and nothing else). */
export async function successAudits(db: Db): Promise<number> {
  const rows = await db.select({ result: auditEvents.result }).from(auditEvents);
  return rows.filter((r) => r.result === "success").length;
}

export async function teardown(handle: { drop: () => Promise<void> }) {
  setApiCtxProvider(null);
  setApiRateLimit(null);
  await handle.drop();
}

/**
 * SCIM test harness: a fresh database with the built-in roles, an admin who issues a SCIM token through the
 * use case (as on the SCIM page), and `scim()` which sends a request through the real route handlers.
 */
import { count, eq, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import * as route from "@/app/scim/v2/[...path]/route";
import { auditEvents, groupMembers, groups, scimTokens, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { setApiCtxProvider } from "@/lib/api/handler";
import type { Ctx } from "@/lib/pim/context";
import { GLOBAL_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { createScimToken } from "@/lib/pim/use-cases/create-scim-token";
import { createTestDb, days, testCtx } from "@/test/db";
import { createDirectory } from "@/test/fixtures/directory";

export const BASE = "https://pim.test";
export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

export async function setupScim() {
  const handle = await createTestDb();
  const ctx = testCtx(handle);
  setApiCtxProvider(() => ctx as Ctx);
  const d = await createDirectory(handle.db);
  const admin = await d.user("Ada Admin");
  await d.active(admin, GLOBAL_ADMINISTRATOR, { start: new Date(ctx.now().getTime() - days(30)) });
  const issued = await createScimToken(ctx, admin.actor(), { name: "Microsoft Entra ID", expiresInDays: 0 });
  return { handle, ctx, d, db: handle.db, admin, token: issued.token, app: issued };
}

export type ScimResponse = { status: number; json: Record<string, unknown>; headers: Headers; raw: string };

export async function scim(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  opts: { token?: string | null; body?: unknown; rawBody?: string } = {},
): Promise<ScimResponse> {
  const headers: Record<string, string> = { "content-type": "application/scim+json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const res = await route[method](new Request(`${BASE}/scim/v2${path}`, { method, headers, body }));
  const raw = await res.text();
  let json: Record<string, unknown> = {};
  if (raw) json = JSON.parse(raw) as Record<string, unknown>;
  return { status: res.status, json, headers: res.headers, raw };
}

/** Asserts a SCIM error body (RFC 7644 §3.12) and returns its scimType. */
export function scimError(r: ScimResponse, status: number): string | undefined {
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.raw}`);
  const j = r.json as { schemas?: string[]; status?: string; scimType?: string; detail?: string };
  if (JSON.stringify(j.schemas) !== JSON.stringify([ERROR]) || j.status !== String(status) || !j.detail)
    throw new Error(`not a SCIM error body: ${r.raw}`);
  if (!(r.headers.get("content-type") ?? "").startsWith("application/scim+json")) throw new Error("not scim+json");
  return j.scimType;
}

/** Row counts of what SCIM may write, to prove a refused request wrote nothing. */
export async function scimState(db: Db) {
  const n = async (t: PgTable) => Number((await db.select({ n: count() }).from(t))[0]?.n ?? 0);
  const ok = await db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.result, "success"));
  const sig = await db.execute(
    sql`select coalesce(string_agg(id::text || user_principal_name || coalesce(mail,'') || account_enabled::text || coalesce(department,''), ',' order by id), '') as s from users`,
  );
  return {
    users: await n(users),
    groups: await n(groups),
    members: await n(groupMembers),
    tokens: await n(scimTokens),
    audits: Number(ok[0]?.n ?? 0),
    usersSignature: JSON.stringify(sig),
  };
}

/**
 * `GET /api/v1/access/check?principalId=&roleDefinitionId=|permission=&directoryScopeId=` → `{allowed, grantedBy[], until}`.
 * "May P do X at S now?" for other applications. The answer is the engine's access query (decided at this
 * instant, never by the expiry sweep); a role or group question costs one statement with the token lookup
 * (`answerQuestionInOneStatement`). Auth: the token only; an application token with
 * RoleManagement.Read.Directory may ask about anyone; a personal token about its owner, or about anyone while
 * the owner holds a reader/admin role. The decision server (pdp/) answers through the same functions.
 */
import { z } from "zod";
import { checkAccess } from "@/lib/pim/access/check-access";
import {
  checkGroupAccess,
  embeddedGroupAccessCheck,
  type GroupAccessQuery,
  type GroupAccessResult,
  type GroupGrantColumns,
} from "@/lib/pim/access/check-group-access";
import { groupAccessId } from "@/lib/validation/groups";
import { isPimReader } from "@/lib/pim/authz";
import type { Ctx } from "@/lib/pim/context";
import {
  embeddedAccessCheck,
  type AccessQuery,
  type AccessResult,
  type GrantColumns,
} from "@/lib/pim/access/check-access";
import { prepareDirect, type Direct } from "@/db/prepare-direct";
import { hashSecret } from "@/lib/pim/use-cases/create-api-token";
import {
  bearerToken,
  callerOfToken,
  requireScope,
  tokenLookupJoining,
  type ApiCaller,
  type RequestHeaders,
  type TokenRow,
} from "./auth";
import { badRequest, forbidden, graphErrorResponse } from "./errors";
import { apiCtx, json, parseBody, rateLimitPerMinute, requestIdOf, runApi } from "./handler";
import { checkRateLimit } from "./rate-limit";
import { accessCheckQuery } from "./graph/schemas";
import { iso } from "./graph/serialize";

const KNOWN = new Set(["principalId", "roleDefinitionId", "permission", "directoryScopeId", "groupId", "accessId"]);

export type AccessCheckAnswer = {
  allowed: boolean;
  grantedBy: {
    scheduleId: string;
    roleDefinitionId: string;
    directoryScopeId: string;
    memberType: string;
    viaGroupId?: string;
    endDateTime: string | null;
  }[];
  until: string | null;
};

/** The answer to a group question (`groupId` + `accessId`): the grants are memberships/ownerships. */
export type GroupAccessCheckAnswer = {
  allowed: boolean;
  grantedBy: {
    /** null: a standing member of the group (not governed by a schedule). */
    scheduleId: string | null;
    groupId: string;
    accessId: "member" | "owner";
    assignmentType: "Assigned" | "Activated" | null;
    endDateTime: string | null;
  }[];
  until: string | null;
};

/**
 * The answer to one question from an authenticated caller (throws the Graph errors both servers send).
 * `check` answers a role question: `checkAccess`, or the answer the one-statement path already read.
 */
export async function answerAccessCheck(
  ctx: Ctx,
  caller: ApiCaller,
  params: URLSearchParams | RoleQuestion,
  check: (db: Ctx["db"], q: AccessQuery) => Promise<AccessResult> = checkAccess,
): Promise<AccessCheckAnswer | GroupAccessCheckAnswer> {
  let q: RoleQuestion;
  if (params instanceof URLSearchParams) {
    const raw: Record<string, string> = {};
    for (const [k, v] of params) {
      if (!KNOWN.has(k))
        throw badRequest(
          `Unknown query parameter '${k}'. Use principalId, roleDefinitionId or permission, directoryScopeId (or groupId and accessId).`,
        );
      raw[k] = v;
    }
    if (raw.groupId !== undefined || raw.accessId !== undefined)
      return answerGroupAccessCheck(ctx, caller, parseBody(groupAccessCheckQuery, raw));
    q = parseBody(accessCheckQuery, raw);
  } else q = params; // a role question `roleQuestionOf` parsed already (the decision server's one-statement path)
  const now = ctx.now();
  const me = caller.actor.id;
  if (caller.kind === "user" && q.principalId !== me && !(await isPimReader(ctx.db, me, now))) {
    throw forbidden(
      "A personal token may check only its owner's access, unless the owner holds a reader or administrator role now.",
    );
  }
  const r = await check(ctx.db, { ...q, at: now });
  return {
    allowed: r.allowed,
    grantedBy: r.grantedBy.map((g) => ({ ...g, endDateTime: iso(g.endDateTime) })),
    until: iso(r.until),
  };
}

/**
 * The role question a query string asks, when it is a well-formed one (else null: the caller takes the
 * general path, `answerAccessCheck`, which gives the errors). The decision server uses it to ask the token
 * and the question in one statement.
 */
export type RoleQuestion = z.infer<typeof accessCheckQuery>;

export function roleQuestionOf(params: URLSearchParams): RoleQuestion | null {
  const raw: Record<string, string> = {};
  for (const [k, v] of params) {
    if (!KNOWN.has(k) || k === "groupId" || k === "accessId") return null;
    raw[k] = v;
  }
  const r = accessCheckQuery.safeParse(raw);
  return r.success ? r.data : null;
}

/**
 * PIM for Groups: `principalId=…&groupId=…&accessId=member|owner` → is the principal a member (owner) of the
 * group now? Same caller rules as role questions; decided at this instant by `checkGroupAccess` (or by `check`:
 * the answer the one-statement path already read).
 */
async function answerGroupAccessCheck(
  ctx: Ctx,
  caller: ApiCaller,
  q: GroupQuestion,
  check: (db: Ctx["db"], q: GroupAccessQuery) => Promise<GroupAccessResult> = checkGroupAccess,
): Promise<GroupAccessCheckAnswer> {
  const now = ctx.now();
  const me = caller.actor.id;
  if (caller.kind === "user" && q.principalId !== me && !(await isPimReader(ctx.db, me, now))) {
    throw forbidden(
      "A personal token may check only its owner's access, unless the owner holds a reader or administrator role now.",
    );
  }
  const r = await check(ctx.db, { ...q, at: now });
  return {
    allowed: r.allowed,
    grantedBy: r.grantedBy.map((g) => ({ ...g, endDateTime: iso(g.endDateTime) })),
    until: iso(r.until),
  };
}

const groupAccessCheckQuery = z
  .object({
    principalId: z.uuid({ message: "principalId must be a user, group or service principal id." }),
    groupId: z.uuid({ message: "groupId must be a group id." }),
    accessId: groupAccessId,
  })
  .strict();

export type GroupQuestion = z.infer<typeof groupAccessCheckQuery>;

/** The group question a query string asks, when it is a well-formed one (else null, as `roleQuestionOf`). */
export function groupQuestionOf(params: URLSearchParams): GroupQuestion | null {
  const raw: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k !== "principalId" && k !== "groupId" && k !== "accessId") return null;
    raw[k] = v;
  }
  const r = groupAccessCheckQuery.safeParse(raw);
  return r.success ? r.data : null;
}

/** A row of the token + question statement: the token's columns and one grant's (all null when none grants). */
type TokenAndGrant = TokenRow & GrantColumns;
type TokenAndGroupGrant = TokenRow & GroupGrantColumns;
/** The token + question statements per database handle, per question shape (`embedded…Check`'s key). */
const oneStatements = new WeakMap<Ctx["db"], Map<string, Direct<TokenRow>>>();

/** The token lookup with `check`'s statement joined laterally, prepared once per database and question shape. */
function tokenAndQuestion<R extends TokenRow>(
  db: Ctx["db"],
  check: {
    key: string;
    lateral: () => {
      subquery: Parameters<typeof tokenLookupJoining>[1];
      fields: Parameters<typeof tokenLookupJoining>[2];
    };
  },
): Direct<R> {
  let mine = oneStatements.get(db);
  if (!mine) oneStatements.set(db, (mine = new Map()));
  let stmt = mine.get(check.key);
  if (!stmt) {
    const { subquery, fields } = check.lateral();
    stmt = prepareDirect<TokenRow>(db, tokenLookupJoining(db, subquery, fields), `pim_token_check_${check.key}`);
    mine.set(check.key, stmt);
  }
  return stmt as Direct<R>;
}

/**
 * A role or group question with a bearer token in ONE statement: the token lookup with the access statement
 * joined laterally (`tokenLookupJoining`, `embeddedAccessCheck` or `embeddedGroupAccessCheck`), prepared once per
 * question shape and run straight on postgres.js (`prepareDirect`). Then the same rules as the general path, in
 * its order: the caller (`callerOfToken`), the rate limit, the permission, the personal-token rule; the same
 * answers and errors. Decided at the instant `ctx.now()` gives once. Returns null when the request is not a
 * well-formed question with a bearer token: the general path answers it and gives its errors. The portal's
 * endpoint and the decision server both answer this way.
 */
export async function answerQuestionInOneStatement(
  ctx: Ctx,
  req: RequestHeaders,
  params: URLSearchParams,
  rateLimitPerMinute: number,
): Promise<AccessCheckAnswer | GroupAccessCheckAnswer | null> {
  const token = bearerToken(req);
  if (!token) return null;
  const role = roleQuestionOf(params);
  const group = role ? null : groupQuestionOf(params);
  if (!role && !group) return null;
  const now = ctx.now();
  const at = { db: ctx.db, now: () => now };
  const hash = hashSecret(token);
  // the caller's rules, once the token's row is read with the answer
  const admit = async (row: TokenRow | undefined) => {
    const caller = await callerOfToken(at, row, req);
    await checkRateLimit(ctx.db, caller.tokenId, rateLimitPerMinute, now.getTime());
    requireScope(caller, "accessCheck");
    return caller;
  };
  if (role) {
    const check = embeddedAccessCheck(ctx.db, { ...role, at: now });
    const rows = await tokenAndQuestion<TokenAndGrant>(ctx.db, check).execute({ hash, ...check.values });
    const caller = await admit(rows[0]);
    return (await answerAccessCheck(at, caller, role, async () => check.result(rows))) as AccessCheckAnswer;
  }
  const check = embeddedGroupAccessCheck(ctx.db, { ...group!, at: now });
  const rows = await tokenAndQuestion<TokenAndGroupGrant>(ctx.db, check).execute({ hash, ...check.values });
  const caller = await admit(rows[0]);
  return answerGroupAccessCheck(at, caller, group!, async () => check.result(rows));
}

export async function handleAccessCheck(req: Request): Promise<Response> {
  const requestId = requestIdOf(req);
  let now = new Date();
  try {
    const ctx = await apiCtx();
    now = ctx.now();
    const one = await answerQuestionInOneStatement(
      { ...ctx, now: () => now },
      req,
      new URL(req.url).searchParams,
      await rateLimitPerMinute(),
    );
    if (one) return json(one, 200, requestId, { "cache-control": "no-store" });
  } catch (err) {
    return graphErrorResponse(err, requestId, now);
  }
  return runApi(req, "accessCheck", async (c) =>
    json(await answerAccessCheck(c.ctx, c.caller, c.url.searchParams), 200, undefined, {
      "cache-control": "no-store",
    }),
  );
}

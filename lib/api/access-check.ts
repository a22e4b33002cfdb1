/**
 * `GET /api/v1/access/check?principalId=&roleDefinitionId=|permission=&directoryScopeId=` → `{allowed, grantedBy[], until}`.
 * "May P do X at S now?" for other applications. The answer is the engine's `checkAccess` (ONE indexed
 * query, decided at this instant, never by the expiry sweep). Auth: the token only (one indexed lookup);
 * an application token with RoleManagement.Read.Directory may ask about anyone; a personal token about its
 * owner, or about anyone while the owner holds a reader/admin role.
 */
import { checkAccess, isPimReader } from "@/lib/pim";
import { badRequest, forbidden } from "./errors";
import { json, parseBody, runApi } from "./handler";
import { accessCheckQuery } from "./graph/schemas";
import { iso } from "./graph/serialize";

const KNOWN = new Set(["principalId", "roleDefinitionId", "permission", "directoryScopeId"]);

export function handleAccessCheck(req: Request): Promise<Response> {
  return runApi(req, "accessCheck", async (c) => {
    const raw: Record<string, string> = {};
    for (const [k, v] of c.url.searchParams) {
      if (!KNOWN.has(k))
        throw badRequest(
          `Unknown query parameter '${k}'. Use principalId, roleDefinitionId or permission, directoryScopeId.`,
        );
      raw[k] = v;
    }
    const q = parseBody(accessCheckQuery, raw);
    const me = c.caller.actor.id;
    if (c.caller.kind === "user" && q.principalId !== me && !(await isPimReader(c.ctx.db, me, c.ctx.now()))) {
      throw forbidden(
        "A personal token may check only its owner's access, unless the owner holds a reader or administrator role now.",
      );
    }
    const r = await checkAccess(c.ctx.db, { ...q, at: c.ctx.now() });
    return json(
      {
        allowed: r.allowed,
        grantedBy: r.grantedBy.map((g) => ({ ...g, endDateTime: iso(g.endDateTime) })),
        until: iso(r.until),
      },
      200,
      undefined,
      { "cache-control": "no-store" },
    );
  });
}

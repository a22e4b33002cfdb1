import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { httpStatusFor, isPimError } from "@/lib/pim/errors";
import { searchDirectory } from "@/lib/pim/queries/global-search";
import { getCtx } from "@/lib/server-db";
import { globalSearchInput } from "@/lib/validation/search";

export const dynamic = "force-dynamic";

/**
 * The top bar's results as you type: `GET /api/search?q=…` → roles, people and groups (JSON). A GET, not a
 * server action, so the box can abort a stale request while the person keeps typing. Authenticates; the read
 * model authorizes and bounds the cost (prefix index ranges, a few rows each).
 */
export async function GET(req: Request) {
  try {
    const user = await requireActionUser();
    const parsed = globalSearchInput.safeParse({ q: new URL(req.url).searchParams.get("q") ?? "" });
    if (!parsed.success) {
      return Response.json(
        { error: { code: "BadRequest", message: parsed.error.issues[0]?.message ?? "Invalid search." } },
        { status: 400 },
      );
    }
    const ctx = await getCtx();
    const result = await searchDirectory(ctx, actorFromUser(user, req.headers), parsed.data);
    return Response.json(result, { headers: { "cache-control": "private, no-store" } });
  } catch (err) {
    if (isPimError(err))
      return Response.json({ error: { code: err.code, message: err.message } }, { status: httpStatusFor(err) });
    console.error("search failed", err);
    return Response.json({ error: { code: "Internal", message: "The search failed." } }, { status: 500 });
  }
}

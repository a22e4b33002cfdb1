import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { csvHeaders, csvTextStream } from "@/lib/export/csv";
import { httpStatusFor, isPimError } from "@/lib/pim/errors";
import { ACTIVITY_CSV_HEADER, iterateActivityCsv } from "@/lib/pim/queries/activity-log";
import { isBrowserNavigation } from "@/lib/http/navigation";
import { getCtx } from "@/lib/server-db";
import { parseActivityFilters } from "../filters";
import { toActivityQuery } from "../mapping";

export const dynamic = "force-dynamic";

/** Rows per keyset statement: 500 statements for a million rows; the database writes the lines (iterateActivityCsv). */
const EXPORT_BATCH = 2000;

/**
 * CSV of the filtered audit set, streamed in keyset batches of 2,000 rows whose CSV lines the database writes
 * (Node passes ~50 KB strings through, pulled as the client reads), so a large export never sits in memory.
 * A route handler is a public endpoint: it authenticates; the read model authorizes (Resource audit needs a
 * PIM admin or reader role now, else 403 before the first byte; My audit is always the caller's own rows).
 */
export async function GET(req: Request) {
  try {
    const user = await requireActionUser();
    const ctx = await getCtx();
    const actor = actorFromUser(user);
    const sp = Object.fromEntries(new URL(req.url).searchParams);
    const filters = parseActivityFilters({ view: "mine", ...sp });
    const source = iterateActivityCsv(ctx, actor, toActivityQuery(filters), EXPORT_BATCH);
    // Take the first step before answering: a refusal is a 403, not a broken stream.
    const first = await source.next();
    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(csvTextStream(ACTIVITY_CSV_HEADER, source, first), {
      headers: csvHeaders(`pim-audit-${filters.view}-${stamp}.csv`),
    });
  } catch (err) {
    // Someone who opened the export's address: the Activity page says what is needed (and shows My audit).
    if (isPimError(err) && ["Forbidden", "Unauthenticated"].includes(err.code) && isBrowserNavigation(req.headers)) {
      return new Response(null, { status: 303, headers: { location: `/activity${new URL(req.url).search}` } });
    }
    if (isPimError(err))
      return Response.json({ error: { code: err.code, message: err.message } }, { status: httpStatusFor(err) });
    console.error("activity export failed", err);
    return Response.json({ error: { code: "Internal", message: "The export failed." } }, { status: 500 });
  }
}

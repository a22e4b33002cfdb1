import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { csvHeaders, csvStream, type CsvValue } from "@/lib/export/csv";
import { httpStatusFor, isPimError } from "@/lib/pim/errors";
import { iterateSignIns } from "@/lib/pim/queries/sign-in-log";
import { getCtx } from "@/lib/server-db";
import { CSV_HEADER, csvRow, parseSignInFilters, toSignInQuery } from "../filters";

export const dynamic = "force-dynamic";

/** CSV of the filtered sign-in log, streamed page by page; the read model authorizes (whole log: PIM readers). */
export async function GET(req: Request) {
  try {
    const user = await requireActionUser();
    const ctx = await getCtx();
    const actor = actorFromUser(user);
    const filters = parseSignInFilters(Object.fromEntries(new URL(req.url).searchParams));
    const rows = iterateSignIns(ctx, actor, toSignInQuery(filters));
    // Pull the first row now, so a refusal (Forbidden) is an HTTP status and not a broken download.
    const first = await rows.next();
    async function* all(): AsyncGenerator<CsvValue[]> {
      if (first.done) return;
      yield csvRow(first.value);
      for await (const r of rows) yield csvRow(r);
    }
    const stamp = ctx.now().toISOString().slice(0, 10);
    return new Response(csvStream(CSV_HEADER, all()), {
      headers: csvHeaders(`pim-sign-ins-${filters.view}-${stamp}.csv`),
    });
  } catch (err) {
    if (isPimError(err))
      return Response.json({ error: { code: err.code, message: err.message } }, { status: httpStatusFor(err) });
    console.error("sign-in log export failed", err);
    return Response.json({ error: { code: "Internal", message: "The export failed." } }, { status: 500 });
  }
}

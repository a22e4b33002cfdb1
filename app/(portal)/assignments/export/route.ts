import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { csvHeaders, csvStream, type CsvValue } from "@/lib/export/csv";
import { isPimReader } from "@/lib/pim/authz";
import { httpStatusFor, isPimError } from "@/lib/pim/errors";
import { getCtx } from "@/lib/server-db";
import { iterateAssignmentRows } from "../assignment-rows";
import { parseTab, principalTypeWords } from "../types";

export const dynamic = "force-dynamic";

const HEADER = [
  "role",
  "name",
  "principal name",
  "type",
  "scope",
  "membership",
  "assignment type",
  "start time",
  "end time",
  "status",
];

/**
 * CSV of the Assignments tab as filtered on screen (tab + search), streamed page by page.
 * Authenticates and authorizes itself: PIM admins and readers only.
 */
export async function GET(req: Request) {
  try {
    const user = await requireActionUser();
    const ctx = await getCtx();
    const actor = actorFromUser(user);
    if (!(await isPimReader(ctx, actor))) {
      return Response.json(
        { error: { code: "Forbidden", message: "Assignments are visible to PIM administrators and readers." } },
        { status: 403 },
      );
    }
    const url = new URL(req.url);
    const tab = parseTab(url.searchParams.get("tab") ?? undefined);
    const search = (url.searchParams.get("q") ?? "").trim().slice(0, 200);
    async function* rows(): AsyncGenerator<CsvValue[]> {
      for await (const r of iterateAssignmentRows(ctx, actor, { tab, search })) {
        // Groups have no principal name: an empty cell, not the screen's "-" placeholder.
        yield [
          r.roleName,
          r.principalName,
          r.principalDetail === "-" ? null : r.principalDetail,
          principalTypeWords[r.principalType],
          r.scopeLabel,
          r.memberType,
          r.kind === "eligibility" ? "Eligible" : (r.assignmentType ?? "Assigned"),
          r.startDateTime,
          r.endDateTime ?? "Permanent",
          r.status,
        ];
      }
    }
    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(csvStream(HEADER, rows()), { headers: csvHeaders(`pim-${tab}-assignments-${stamp}.csv`) });
  } catch (err) {
    if (isPimError(err))
      return Response.json({ error: { code: err.code, message: err.message } }, { status: httpStatusFor(err) });
    console.error("assignments export failed", err);
    return Response.json({ error: { code: "Internal", message: "The export failed." } }, { status: 500 });
  }
}

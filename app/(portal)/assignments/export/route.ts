import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { csvHeaders, csvStream, type CsvValue } from "@/lib/export/csv";
import { httpStatusFor, isPimError } from "@/lib/pim/errors";
import { isBrowserNavigation } from "@/lib/http/navigation";
import { getCtx } from "@/lib/server-db";
import { iterateAssignmentRows } from "../assignment-rows";
import { parseTab, principalTypeWords, type AssignmentRowView } from "../types";

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
 * Authenticates; the read model authorizes (PIM admins and readers only: 403 before the first byte).
 */
export async function GET(req: Request) {
  try {
    const user = await requireActionUser();
    const ctx = await getCtx();
    const actor = actorFromUser(user);
    const url = new URL(req.url);
    const tab = parseTab(url.searchParams.get("tab") ?? undefined);
    const search = (url.searchParams.get("q") ?? "").trim().slice(0, 200);
    // One role's assignments (Roles → a role → Assignments → Export); anything but a role id is ignored.
    const role = url.searchParams.get("role") ?? "";
    const roleDefinitionId = /^[0-9a-f-]{36}$/i.test(role) ? role : undefined;
    const source = iterateAssignmentRows(ctx, actor, { tab, search, roleDefinitionId });
    // Pull the first row before answering: a refusal is a 403, not a broken stream.
    const first = await source.next();
    async function* all(): AsyncGenerator<AssignmentRowView> {
      if (first.done) return;
      yield first.value;
      yield* source;
    }
    async function* rows(): AsyncGenerator<CsvValue[]> {
      for await (const r of all()) {
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
    // Someone who opened the export's address: the Assignments page says what is needed and how to get it.
    if (isPimError(err) && ["Forbidden", "Unauthenticated"].includes(err.code) && isBrowserNavigation(req.headers)) {
      return new Response(null, { status: 303, headers: { location: `/assignments${new URL(req.url).search}` } });
    }
    if (isPimError(err))
      return Response.json({ error: { code: err.code, message: err.message } }, { status: httpStatusFor(err) });
    console.error("assignments export failed", err);
    return Response.json({ error: { code: "Internal", message: "The export failed." } }, { status: 500 });
  }
}

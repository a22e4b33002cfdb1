import type { Actor, Ctx } from "@/lib/pim/context";
import { iterateBladeAssignments, loadAssignmentsBlade, type BladeRow } from "@/lib/pim/queries/assignments-blade";
import { scopeLabeler } from "@/lib/pim/queries/activity-log";
import type { AssignmentPolicy } from "@/lib/pim/queries/assignment-policies";
import type { ScopeOption } from "@/lib/pim/queries/search-principals";
import type { AssignmentRowView, AssignmentTab } from "./types";

/** The Assignments page's and export's rows: the blade read model, with scope names and ISO times for the browser. */
function toView(r: BladeRow, label: (id: string | null) => string, now: Date): AssignmentRowView {
  return {
    id: r.id,
    kind: r.kind,
    roleId: r.roleDefinitionId,
    roleName: r.roleName,
    principalId: r.principalId,
    principalType: r.principalType,
    principalName: r.principalName,
    principalDetail: r.principalDetail,
    directoryScopeId: r.directoryScopeId,
    scopeLabel: label(r.directoryScopeId),
    memberType: r.memberType,
    assignmentType: r.assignmentType,
    startDateTime: r.startDateTime.toISOString(),
    endDateTime: r.endDateTime?.toISOString() ?? null,
    status: r.status,
    scheduled: r.startDateTime > now,
  };
}

/** The page's data; the read model refuses (Forbidden) anyone without a PIM reader role. */
export async function listAssignmentRows(
  ctx: Ctx,
  actor: Actor,
  input: { tab: AssignmentTab; search: string; cursor: string | null; limit: number; roleDefinitionId?: string },
): Promise<{
  rows: AssignmentRowView[];
  total: { n: number; exact: boolean };
  nextCursor: string | null;
  prevCursor: string | null;
  policies: AssignmentPolicy[];
  scopes: ScopeOption[];
  canManage: boolean;
  role: { id: string; displayName: string } | null;
}> {
  const page = await loadAssignmentsBlade(ctx, actor, input);
  const names = new Map(page.scopes.map((s) => [s.directoryScopeId, s.label]));
  const label = (id: string | null) => (id === null ? "-" : (names.get(id) ?? id));
  return { ...page, rows: page.rows.map((r) => toView(r, label, ctx.now())), canManage: page.viewer.admin };
}

/** The export's rows (tab + search), authorized by the read model before the first row. */
export async function* iterateAssignmentRows(
  ctx: Ctx,
  actor: Actor,
  input: { tab: AssignmentTab; search: string; roleDefinitionId?: string },
): AsyncGenerator<AssignmentRowView> {
  const label = await scopeLabeler(ctx);
  for await (const r of iterateBladeAssignments(ctx, actor, input)) yield toView(r, label, ctx.now());
}

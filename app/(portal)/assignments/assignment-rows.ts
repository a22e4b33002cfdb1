import type { Actor, Ctx } from "@/lib/pim/context";
import { iterateBladeAssignments, listBladeAssignments, type BladeRow } from "@/lib/pim/queries/assignments-blade";
import { scopeLabeler } from "@/lib/pim/queries/activity-log";
import type { AssignmentRowView, AssignmentTab } from "./types";

/** The Assignments page's and export's rows: the blade read model, with scope names and ISO times for the browser. */
function toView(r: BladeRow, label: (id: string | null) => string): AssignmentRowView {
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
  };
}

export async function listAssignmentRows(
  ctx: Ctx,
  _actor: Actor,
  input: { tab: AssignmentTab; search: string; cursor: string | null; limit: number },
): Promise<{ rows: AssignmentRowView[]; total: number; nextCursor: string | null; prevCursor: string | null }> {
  const [page, label] = await Promise.all([listBladeAssignments(ctx, input), scopeLabeler(ctx)]);
  return { ...page, rows: page.rows.map((r) => toView(r, label)) };
}

export async function* iterateAssignmentRows(
  ctx: Ctx,
  _actor: Actor,
  input: { tab: AssignmentTab; search: string },
): AsyncGenerator<AssignmentRowView> {
  const label = await scopeLabeler(ctx);
  for await (const r of iterateBladeAssignments(ctx, input)) yield toView(r, label);
}

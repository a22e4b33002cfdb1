import type { Actor, Ctx } from "@/lib/pim/context";
import { PimError } from "@/lib/pim/errors";
import { iterateBladeAssignments, listBladeAssignments, type BladeRow } from "@/lib/pim/queries/assignments-blade";
import { scopeLabeler } from "@/lib/pim/queries/activity-log";
import type { AddAssignmentsForm, RowActionForm } from "./schemas";
import type { AssignmentRowView, AssignmentTab } from "./types";

/**
 * The one place where the Assignments pages meet the core: reads through the blade read model,
 * changes through the engine's use cases (which authorize on database state and enforce the role's settings).
 */
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

export async function engineList(
  ctx: Ctx,
  _actor: Actor,
  input: { tab: AssignmentTab; search: string; cursor: string | null; limit: number },
): Promise<{ rows: AssignmentRowView[]; total: number; nextCursor: string | null; prevCursor: string | null }> {
  const [page, label] = await Promise.all([listBladeAssignments(ctx, input), scopeLabeler(ctx)]);
  return { ...page, rows: page.rows.map((r) => toView(r, label)) };
}

export async function* engineIterate(ctx: Ctx, _actor: Actor, input: { tab: AssignmentTab; search: string }): AsyncGenerator<AssignmentRowView> {
  const label = await scopeLabeler(ctx);
  for await (const r of iterateBladeAssignments(ctx, input)) yield toView(r, label);
}

export async function engineAdd(ctx: Ctx, actor: Actor, form: AddAssignmentsForm, member: AddAssignmentsForm["members"][number]): Promise<void> {
  void ctx;
  void actor;
  void form;
  void member;
  throw new PimError("Conflict", "Assigning is not wired to the engine yet.");
}

export async function engineRowAction(ctx: Ctx, actor: Actor, form: RowActionForm): Promise<void> {
  void ctx;
  void actor;
  void form;
  throw new PimError("Conflict", "This action is not wired to the engine yet.");
}

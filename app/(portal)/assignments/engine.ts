import type { Actor, Ctx } from "@/lib/pim/context";
import { assignRole, extendAssignment, removeAssignment, renewAssignment, updateAssignment } from "@/lib/pim";
import type {
  AssignRoleInput,
  ExtendAssignmentInput,
  RenewAssignmentInput,
  UpdateAssignmentInput,
} from "@/lib/validation/pim";
import { iterateBladeAssignments, loadAssignmentsBlade, type BladeRow } from "@/lib/pim/queries/assignments-blade";
import { scopeLabeler } from "@/lib/pim/queries/activity-log";
import type { AssignmentPolicy } from "@/lib/pim/queries/assignment-policies";
import type { ScopeOption } from "@/lib/pim/queries/search-principals";
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

/** The page's data; the read model refuses (Forbidden) anyone without a PIM reader role. */
export async function engineList(
  ctx: Ctx,
  actor: Actor,
  input: { tab: AssignmentTab; search: string; cursor: string | null; limit: number },
): Promise<{
  rows: AssignmentRowView[];
  total: { n: number; exact: boolean };
  nextCursor: string | null;
  prevCursor: string | null;
  policies: AssignmentPolicy[];
  scopes: ScopeOption[];
  canManage: boolean;
}> {
  const page = await loadAssignmentsBlade(ctx, actor, input);
  const names = new Map(page.scopes.map((s) => [s.directoryScopeId, s.label]));
  const label = (id: string | null) => (id === null ? "-" : (names.get(id) ?? id));
  return { ...page, rows: page.rows.map((r) => toView(r, label)), canManage: page.viewer.admin };
}

export async function* engineIterate(
  ctx: Ctx,
  actor: Actor,
  input: { tab: AssignmentTab; search: string },
): AsyncGenerator<AssignmentRowView> {
  const label = await scopeLabeler(ctx);
  for await (const r of iterateBladeAssignments(ctx, actor, input)) yield toView(r, label);
}

const window = (form: { permanent: boolean; startDateTime?: string; endDateTime?: string }) =>
  form.permanent
    ? { permanent: true as const }
    : { endDateTime: form.endDateTime ? new Date(form.endDateTime) : undefined };

export async function engineAdd(
  ctx: Ctx,
  actor: Actor,
  form: AddAssignmentsForm,
  member: AddAssignmentsForm["members"][number],
): Promise<void> {
  await assignRole(ctx, actor, {
    assignmentType: form.assignmentType,
    principalId: member.id,
    principalType: member.type,
    roleDefinitionId: form.roleDefinitionId,
    directoryScopeId: form.directoryScopeId,
    startDateTime: form.startDateTime ? new Date(form.startDateTime) : undefined,
    ...window(form),
    justification: form.justification,
  } as AssignRoleInput);
}

export async function engineRowAction(ctx: Ctx, actor: Actor, form: RowActionForm): Promise<void> {
  const ref = { kind: form.kind, scheduleId: form.scheduleId, justification: form.justification };
  const start = form.startDateTime ? { startDateTime: new Date(form.startDateTime) } : {};
  switch (form.action) {
    case "remove":
      await removeAssignment(ctx, actor, ref);
      return;
    case "update":
      await updateAssignment(ctx, actor, { ...ref, ...start, ...window(form) } as UpdateAssignmentInput);
      return;
    case "extend":
      await extendAssignment(ctx, actor, { ...ref, ...window(form) } as ExtendAssignmentInput);
      return;
    case "renew":
      await renewAssignment(ctx, actor, { ...ref, ...start, ...window(form) } as RenewAssignmentInput);
      return;
  }
}

import type {
  AssignRoleInput,
  ExtendAssignmentInput,
  RemoveAssignmentInput,
  RenewAssignmentInput,
  UpdateAssignmentInput,
} from "@/lib/validation/pim";
import type { AddAssignmentsForm, RowActionForm } from "./schemas";

/**
 * The Assignments forms' values (ISO strings, a "permanent" box) turned into the use cases' inputs. The use
 * cases validate them again and enforce the role's settings; these functions only translate.
 */
const endOrPermanent = (form: { permanent: boolean; endDateTime?: string }) =>
  form.permanent
    ? ({ permanent: true } as const)
    : { endDateTime: form.endDateTime ? new Date(form.endDateTime) : undefined };

/** One member of "Add assignments" as an `assignRole` input. */
export function addFormToAssignRoleInput(
  form: AddAssignmentsForm,
  member: AddAssignmentsForm["members"][number],
): AssignRoleInput {
  return {
    assignmentType: form.assignmentType,
    principalId: member.id,
    principalType: member.type,
    roleDefinitionId: form.roleDefinitionId,
    directoryScopeId: form.directoryScopeId,
    startDateTime: form.startDateTime ? new Date(form.startDateTime) : undefined,
    ...endOrPermanent(form),
    justification: form.justification,
  } satisfies AssignRoleInput;
}

/** A row's Update / Extend / Renew / Remove, as the input of the use case it names. */
export type RowChange =
  | { action: "remove"; input: RemoveAssignmentInput }
  | { action: "update"; input: UpdateAssignmentInput }
  | { action: "extend"; input: ExtendAssignmentInput }
  | { action: "renew"; input: RenewAssignmentInput };

export function rowFormToChange(form: RowActionForm): RowChange {
  const ref = { kind: form.kind, scheduleId: form.scheduleId, justification: form.justification };
  const start = form.startDateTime ? { startDateTime: new Date(form.startDateTime) } : {};
  switch (form.action) {
    case "remove":
      return { action: "remove", input: ref satisfies RemoveAssignmentInput };
    case "update":
      return { action: "update", input: { ...ref, ...start, ...endOrPermanent(form) } satisfies UpdateAssignmentInput };
    case "extend":
      return { action: "extend", input: { ...ref, ...endOrPermanent(form) } satisfies ExtendAssignmentInput };
    case "renew":
      return { action: "renew", input: { ...ref, ...start, ...endOrPermanent(form) } satisfies RenewAssignmentInput };
  }
}

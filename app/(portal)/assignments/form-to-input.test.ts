import { describe, expect, it } from "vitest";
import {
  assignRoleInput,
  extendAssignmentInput,
  removeAssignmentInput,
  renewAssignmentInput,
  updateAssignmentInput,
} from "@/lib/validation/pim";
import { addFormToAssignRoleInput, rowFormToChange } from "./form-to-input";
import type { AddAssignmentsForm, RowActionForm } from "./schemas";

const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const end = "2026-12-01T10:00:00.000Z";

describe("Assignments form values → use-case inputs", () => {
  const form: AddAssignmentsForm = {
    roleDefinitionId: id(1),
    members: [{ id: id(2), type: "User", displayName: "Emma" }],
    directoryScopeId: "/",
    assignmentType: "Eligible",
    permanent: false,
    endDateTime: end,
    justification: "Needs it",
  };

  it("a member of Add assignments becomes a valid assignRole input with the end as a Date", () => {
    const input = assignRoleInput.parse(addFormToAssignRoleInput(form, form.members[0]!));
    expect(input).toMatchObject({ principalId: id(2), principalType: "User", roleDefinitionId: id(1) });
    expect(input.endDateTime).toEqual(new Date(end));
    expect(input.permanent).toBeUndefined();
    const permanent = assignRoleInput.parse(addFormToAssignRoleInput({ ...form, permanent: true }, form.members[0]!));
    expect(permanent.permanent).toBe(true);
    expect(permanent.endDateTime).toBeUndefined();
  });

  it("each row action becomes the input of the use case it names, and that schema accepts it", () => {
    const row = (action: RowActionForm["action"]): RowActionForm => ({
      action,
      kind: "eligibility",
      scheduleId: id(3),
      permanent: false,
      startDateTime: "2026-11-01T10:00:00.000Z",
      endDateTime: end,
      justification: "Because",
    });
    const schemas = {
      remove: removeAssignmentInput,
      update: updateAssignmentInput,
      extend: extendAssignmentInput,
      renew: renewAssignmentInput,
    };
    for (const action of ["remove", "update", "extend", "renew"] as const) {
      const change = rowFormToChange(row(action));
      expect(change.action).toBe(action);
      const parsed = schemas[action].parse(change.input) as { scheduleId: string; endDateTime?: Date | null };
      expect(parsed.scheduleId).toBe(id(3));
      expect(parsed.endDateTime ?? null).toEqual(action === "remove" ? null : new Date(end));
    }
    expect("startDateTime" in rowFormToChange(row("extend")).input).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { addAssignmentsForm, rowActionForm } from "./schemas";

const emma = { id: "10000000-0000-4000-8000-000000000002", type: "User" as const, displayName: "Emma Smith" };
const pipeline = {
  id: "30000000-0000-4000-8000-000000000001",
  type: "ServicePrincipal" as const,
  displayName: "Build Pipeline",
};
const add = {
  roleDefinitionId: "5d6b6bb7-de71-4623-b4af-96380a352509",
  members: [emma],
  directoryScopeId: "/administrativeUnits/20000000-0000-4000-8000-000000000001",
  assignmentType: "Eligible" as const,
  permanent: false,
  startDateTime: "2026-11-25T09:00:00.000Z",
  endDateTime: "2026-12-15T10:00:00.000Z",
  justification: "Quarterly access review",
};
const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (r.error?.issues ?? []).map((i) => i.path.join("."));

describe("Add assignments form schema (checked in the panel and again in the action)", () => {
  it("accepts a timebound eligible assignment at an administrative unit", () => {
    expect(addAssignmentsForm.safeParse(add).success).toBe(true);
  });

  it("asks for an end unless the assignment is permanent, and for at least 5 minutes", () => {
    expect(paths(addAssignmentsForm.safeParse({ ...add, endDateTime: undefined }))).toEqual(["endDateTime"]);
    expect(addAssignmentsForm.safeParse({ ...add, endDateTime: undefined, permanent: true }).success).toBe(true);
    expect(paths(addAssignmentsForm.safeParse({ ...add, endDateTime: "2026-11-25T09:04:00.000Z" }))).toEqual([
      "endDateTime",
    ]);
  });

  it("an end before the start says so (not 'at least 5 minutes'); tampered values get sentences, not zod's words", () => {
    const before = addAssignmentsForm.safeParse({ ...add, endDateTime: "2026-11-24T09:00:00.000Z" });
    expect(before.error?.issues.map((i) => i.message)).toEqual([
      "The end date is before the start. Choose an end after the start.",
    ]);
    const tampered = addAssignmentsForm.safeParse({
      ...add,
      assignmentType: "Owner",
      permanent: "yes",
      members: [{ ...emma, id: "x" }],
    });
    const messages = tampered.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        "Choose Eligible or Active.",
        "Say whether the assignment is permanent.",
        "Select members from the list.",
      ]),
    );
    for (const m of messages) expect(m).not.toMatch(/expected|Invalid/);
  });

  it("refuses service principals as eligible members, a role that is not an id, no members and a made-up scope", () => {
    expect(paths(addAssignmentsForm.safeParse({ ...add, members: [pipeline] }))).toEqual(["members"]);
    expect(addAssignmentsForm.safeParse({ ...add, assignmentType: "Active", members: [pipeline] }).success).toBe(true);
    expect(paths(addAssignmentsForm.safeParse({ ...add, roleDefinitionId: "" }))).toEqual(["roleDefinitionId"]);
    expect(paths(addAssignmentsForm.safeParse({ ...add, members: [] }))).toEqual(["members"]);
    expect(paths(addAssignmentsForm.safeParse({ ...add, directoryScopeId: "/groups/x" }))).toEqual([
      "directoryScopeId",
    ]);
  });
});

describe("Row action form schema", () => {
  const ref = {
    kind: "eligibility" as const,
    scheduleId: "50000000-0000-4000-8000-000000000003",
    permanent: false,
    justification: "",
  };

  it("needs a new end for update, extend and renew unless permanent", () => {
    for (const action of ["update", "extend", "renew"] as const) {
      expect(paths(rowActionForm.safeParse({ ...ref, action }))).toEqual(["endDateTime"]);
      expect(rowActionForm.safeParse({ ...ref, action, endDateTime: "2026-12-15T10:00:00.000Z" }).success).toBe(true);
    }
    expect(rowActionForm.safeParse({ ...ref, action: "update", permanent: true }).success).toBe(true);
  });

  it("needs a justification to remove", () => {
    expect(paths(rowActionForm.safeParse({ ...ref, action: "remove" }))).toEqual(["justification"]);
    expect(paths(rowActionForm.safeParse({ ...ref, action: "remove", justification: "   " }))).toEqual([
      "justification",
    ]);
    expect(rowActionForm.safeParse({ ...ref, action: "remove", justification: "Access review finished" }).success).toBe(
      true,
    );
  });
});

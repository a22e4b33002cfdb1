import { describe, expect, it } from "vitest";
import { activationSchemaFor } from "./activation-schema";

const role = "00000000-0000-4000-8000-0000000000aa";
const policy = {
  activationMaxMinutes: 120,
  requireMfa: false,
  requireJustification: true,
  requireTicket: true,
  approvalRequired: false,
};
const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("Activate form schema", () => {
  it("asks for what the role's settings require, per field", () => {
    const s = activationSchemaFor("Helpdesk Administrator", policy);
    const r = s.safeParse({
      roleDefinitionId: role,
      durationMinutes: 180,
      justification: "  ",
      ticketNumber: "",
      ticketSystem: "",
    });
    expect(issues(r)).toEqual({
      durationMinutes: "Helpdesk Administrator can be activated for at most 2 hours.",
      justification: "Enter a justification.",
      ticketNumber: "Enter the ticket number.",
      ticketSystem: "Enter the ticket system.",
    });
  });

  it("accepts a complete request and keeps the server schema's own checks", () => {
    const s = activationSchemaFor("Helpdesk Administrator", policy);
    const ok = s.safeParse({
      roleDefinitionId: role,
      durationMinutes: 120,
      justification: "Reset a password",
      ticketNumber: "INC-1",
      ticketSystem: "ServiceNow",
    });
    expect(ok.success).toBe(true);
    expect(ok.data?.directoryScopeId).toBe("/");
    const bad = s.safeParse({
      roleDefinitionId: "nope",
      durationMinutes: 2,
      justification: "x",
      ticketNumber: "1",
      ticketSystem: "y",
    });
    expect(Object.keys(issues(bad)).sort()).toEqual(["durationMinutes", "roleDefinitionId"]);
    const relaxed = activationSchemaFor("Groups Administrator", {
      ...policy,
      requireJustification: false,
      requireTicket: false,
    });
    expect(relaxed.safeParse({ roleDefinitionId: role }).success).toBe(true);
  });
});

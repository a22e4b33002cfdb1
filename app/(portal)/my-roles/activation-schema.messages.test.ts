import { describe, expect, it } from "vitest";
import { activationSchemaFor } from "./activation-schema";

const policy = {
  activationMaxMinutes: 480,
  requireMfa: false,
  requireJustification: true,
  requireTicket: false,
  approvalRequired: false,
};
const NOW = new Date("2026-12-07T09:00:00Z");
const schema = activationSchemaFor("User Administrator", policy, () => NOW);
const base = { roleDefinitionId: "fe930be7-5e62-47db-91af-98c3a49a38b1", justification: "Onboarding" };
const messages = (v: Record<string, unknown>) =>
  schema.safeParse({ ...base, ...v }).error?.issues.map((i) => i.message);

describe("Activate form messages (tampered and mistaken values get sentences)", () => {
  it("a duration beyond 24 hours or not a number", () => {
    expect(messages({ durationMinutes: 99999 })).toContain("Activate for at most 24 hours.");
    expect(messages({ durationMinutes: Number.NaN })).toEqual(["Choose a duration from the list."]);
    for (const m of [...(messages({ durationMinutes: 99999 }) ?? []), ...(messages({ durationMinutes: 1.5 }) ?? [])])
      expect(m).not.toMatch(/expected|Too big|Invalid/);
  });

  it("a start in the past or more than 30 days ahead", () => {
    expect(messages({ startDateTime: new Date("2026-12-06T09:00:00Z") })).toEqual([
      "The start time is in the past. Choose a time from now on, or untick Custom activation start time to activate now.",
    ]);
    expect(messages({ startDateTime: new Date("2028-01-05T09:00:00Z") })).toEqual([
      "A custom start can be at most 30 days from now.",
    ]);
    expect(messages({ startDateTime: new Date("2026-12-20T09:00:00Z") })).toBeUndefined();
  });

  it("a justification over 500 characters is refused with the limit, not cut", () => {
    expect(messages({ justification: "x".repeat(501) })).toEqual(["At most 500 characters."]);
  });
});

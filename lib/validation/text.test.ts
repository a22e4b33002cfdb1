import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { approvalStepPatchBody, scheduleRequestBody } from "@/lib/api/graph/schemas";
import { createServicePrincipalInput } from "@/lib/validation/service-principals";
import { createApiTokenInput, createServicePrincipalSecretInput } from "./api-tokens";
import { createUserInput } from "./create-user";
import {
  activateRoleInput,
  assignRoleInput,
  decideRequestInput,
  decideRequestsInput,
  deactivateRoleInput,
  extendAssignmentInput,
  removeAssignmentInput,
  renewAssignmentInput,
  requestExtensionInput,
  updateAssignmentInput,
} from "./pim";
import { resetUserMfaInput } from "./reset-mfa";
import { setUserEnabledInput } from "./set-user-enabled";
import { NUL_MESSAGE, SURROGATE_MESSAGE, firstUnstorable, unstorableReason } from "./text";

const ID = "0b6a2f4e-7c1d-4e8a-9f3b-2d5c6e7f8a9b";
const SCHED = { kind: "assignment", scheduleId: ID } as const;
/** Hebrew and Arabic (right to left), an RTL mark, a combining acute accent and an astral-plane emoji (a valid pair). */
const RTL_AND_MARKS = "שלום עולם \u200Fمرحبا e\u0301 \u{1F510} ok";
const NUL = "before\u0000after";
const LONE = "x\uD800y";

type Case = { name: string; schema: z.ZodType; base: Record<string, unknown>; field: string[] };
const set = (o: Record<string, unknown>, path: string[], v: string): Record<string, unknown> => {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) return { ...o, [head]: v };
  return { ...o, [head]: set((o[head] as Record<string, unknown>) ?? {}, rest, v) };
};

const assign = {
  assignmentType: "Eligible",
  principalId: ID,
  principalType: "User",
  roleDefinitionId: ID,
  endDateTime: "2027-01-01T00:00:00Z",
};
const cases: Case[] = [
  ...["justification", "ticketNumber", "ticketSystem"].flatMap((f) => [
    { name: `assignRoleInput.${f}`, schema: assignRoleInput, base: assign, field: [f] },
    { name: `activateRoleInput.${f}`, schema: activateRoleInput, base: { roleDefinitionId: ID }, field: [f] },
    { name: `updateAssignmentInput.${f}`, schema: updateAssignmentInput, base: SCHED, field: [f] },
    { name: `extendAssignmentInput.${f}`, schema: extendAssignmentInput, base: SCHED, field: [f] },
    { name: `renewAssignmentInput.${f}`, schema: renewAssignmentInput, base: SCHED, field: [f] },
    { name: `removeAssignmentInput.${f}`, schema: removeAssignmentInput, base: SCHED, field: [f] },
    { name: `requestExtensionInput.${f}`, schema: requestExtensionInput, base: SCHED, field: [f] },
  ]),
  {
    name: "deactivateRoleInput.justification",
    schema: deactivateRoleInput,
    base: { scheduleId: ID },
    field: ["justification"],
  },
  {
    name: "decideRequestInput.justification",
    schema: decideRequestInput,
    base: { requestId: ID, decision: "Approve" },
    field: ["justification"],
  },
  {
    name: "decideRequestsInput.justification",
    schema: decideRequestsInput,
    base: { requestIds: [ID], decision: "Deny" },
    field: ["justification"],
  },
  {
    name: "createApiTokenInput.name",
    schema: createApiTokenInput,
    base: { expiresInDays: 30, scopes: ["User.Read"] },
    field: ["name"],
  },
  {
    name: "createServicePrincipalSecretInput.displayName",
    schema: createServicePrincipalSecretInput,
    base: { servicePrincipalId: ID, expiresInDays: 30, scopes: ["User.Read"] },
    field: ["displayName"],
  },
  ...["displayName", "description"].map((f) => ({
    name: `createServicePrincipalInput.${f}`,
    schema: createServicePrincipalInput,
    base: { displayName: "App" },
    field: [f],
  })),
  ...["displayName", "jobTitle", "department", "password"].map((f) => ({
    name: `createUserInput.${f}`,
    schema: createUserInput,
    base: { displayName: "Jane", userPrincipalName: "jane@contoso.com", password: "correct horse battery" },
    field: [f],
  })),
  {
    name: "resetUserMfaInput.justification",
    schema: resetUserMfaInput,
    base: { userId: ID },
    field: ["justification"],
  },
  {
    name: "setUserEnabledInput.justification",
    schema: setUserEnabledInput,
    base: { userId: ID, enabled: false },
    field: ["justification"],
  },
  ...[["justification"], ["customData"], ["ticketInfo", "ticketNumber"], ["ticketInfo", "ticketSystem"]].map((f) => ({
    name: `graph scheduleRequestBody.${f.join(".")}`,
    schema: scheduleRequestBody,
    base: { action: "adminAssign", principalId: ID, roleDefinitionId: ID },
    field: f,
  })),
  {
    name: "graph approvalStepPatchBody.justification",
    schema: approvalStepPatchBody,
    base: { reviewResult: "Approve" },
    field: ["justification"],
  },
];

const messagesAt = (r: { success: boolean; error?: z.ZodError }, path: string[]) =>
  (r.error?.issues ?? []).filter((i) => i.path.join(".") === path.join(".")).map((i) => i.message);

describe("the storable-text rule on every free-text field", () => {
  it.each(cases)("$name refuses NUL and lone surrogates with a field message, keeps RTL and combining marks", (c) => {
    const nul = c.schema.safeParse(set(c.base, c.field, NUL));
    expect(nul.success).toBe(false);
    expect(messagesAt(nul, c.field)).toContain(NUL_MESSAGE);

    const lone = c.schema.safeParse(set(c.base, c.field, LONE));
    expect(lone.success).toBe(false);
    expect(messagesAt(lone, c.field)).toContain(SURROGATE_MESSAGE);

    const lowLone = c.schema.safeParse(set(c.base, c.field, "x\uDC00y yyyyyyyyyyyyy"));
    expect(messagesAt(lowLone, c.field)).toContain(SURROGATE_MESSAGE);

    const good = c.schema.safeParse(set(c.base, c.field, RTL_AND_MARKS));
    expect(good.error?.issues ?? []).toEqual([]);
    let v: unknown = good.data;
    for (const k of c.field) v = (v as Record<string, unknown>)[k];
    expect(v).toBe(RTL_AND_MARKS);
  });
});

describe("unstorableReason", () => {
  it("accepts well-formed text, including surrogate pairs, and names what is wrong otherwise", () => {
    expect(unstorableReason(RTL_AND_MARKS)).toBeNull();
    expect(unstorableReason("\u{1F600}")).toBeNull();
    expect(unstorableReason("\u0000")).toBe(NUL_MESSAGE);
    expect(unstorableReason("\uD83D")).toBe(SURROGATE_MESSAGE);
    expect(unstorableReason("\uDE00\uD83D")).toBe(SURROGATE_MESSAGE); // reversed pair
    expect(firstUnstorable(new URLSearchParams("a=1&$filter=x%00y"))).toEqual({ key: "$filter", reason: NUL_MESSAGE });
    expect(firstUnstorable(new URLSearchParams("a=1"))).toBeNull();
  });
});

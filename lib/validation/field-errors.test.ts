import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldErrorsOf, firstErrorPerField } from "./field-errors";

const schema = z
  .object({ name: z.string().min(2, { message: "Too short." }).regex(/^a/, { message: "Starts with a." }) })
  .extend({ stages: z.array(z.object({ n: z.number({ message: "A number." }) })) })
  .refine(() => false, { message: "Whole form." });

describe("fieldErrorsOf / firstErrorPerField: the one zod-to-field-errors mapping", () => {
  it("keys by dotted path, keeps every message, puts object-level issues under form", () => {
    const r = schema.safeParse({ name: "x", stages: [{ n: 1 }, { n: "2" }] });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(fieldErrorsOf(r.error)).toEqual({ name: ["Too short.", "Starts with a."], "stages.1.n": ["A number."] });
    expect(firstErrorPerField(r.error)).toEqual({ name: "Too short.", stages: "A number." });
  });

  it("an object-level refinement lands under form", () => {
    const r = schema.safeParse({ name: "abc", stages: [] });
    expect(!r.success && fieldErrorsOf(r.error)).toEqual({ form: ["Whole form."] });
  });
});

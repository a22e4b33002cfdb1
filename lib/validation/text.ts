/**
 * The one rule for free text: only text that can be stored exactly as written is accepted.
 *
 * PostgreSQL refuses U+0000 in `text` (error 22021, which used to surface as a 500), and a lone UTF-16
 * surrogate cannot be encoded as UTF-8: PostgreSQL stores U+FFFD in its place, so what is stored is no
 * longer what was hashed or shown. Both are refused with a field message before anything is written.
 * Every string input of a server action, a Graph body or query, and the token endpoint goes through it.
 */
import "@/lib/validation/zod-config";
import { z } from "zod";

export const NUL_MESSAGE = "Remove the NUL character (U+0000): it cannot be stored.";
export const SURROGATE_MESSAGE =
  "This text holds a broken character (an unpaired UTF-16 surrogate) that cannot be stored; retype it.";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` cannot be stored as written, or null when it can. */
export function unstorableReason(s: string): string | null {
  if (s.includes("\u0000")) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(s)) return SURROGATE_MESSAGE;
  return null;
}

/** A zod refinement of the rule, for a schema that starts from something other than `storableString()`. */
export function refuseUnstorable(s: string, ctx: z.RefinementCtx): void {
  const reason = unstorableReason(s);
  if (reason) ctx.addIssue({ code: "custom", message: reason });
}

/** `z.string()` with the rule: the base of every string input schema. */
export const storableString = (params?: Parameters<typeof z.string>[0]) =>
  z.string(params).superRefine(refuseUnstorable);

/**
 * Free text that may be left empty: trimmed, at most `max` characters, empty → undefined.
 * `max` counts UTF-16 code units (as `String.length` does), like every other length rule here.
 */
export const optionalText = (max: number) =>
  storableString()
    .trim()
    .max(max, { message: `At most ${max} characters.` })
    .optional()
    .transform((s) => (s ? s : undefined));

/** Required free text: trimmed, between `min` and `max` characters. */
export const requiredText = (opts: { min?: number; max: number; required: string; tooShort?: string }) =>
  storableString({ message: opts.required })
    .trim()
    .min(opts.min ?? 1, { message: opts.tooShort ?? opts.required })
    .max(opts.max, { message: `At most ${opts.max} characters.` });

/** The first value among `values` (e.g. a query string's) that cannot be stored, with the reason. */
export function firstUnstorable(values: Iterable<[string, string]>): { key: string; reason: string } | null {
  for (const [key, value] of values) {
    const reason = unstorableReason(key) ?? unstorableReason(value);
    if (reason) return { key, reason };
  }
  return null;
}

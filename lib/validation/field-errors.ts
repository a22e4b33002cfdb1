import type { z } from "zod";

/** Per-field messages of a failed parse, keyed by the dotted path (`"form"` for the object itself). */
export type FieldErrors = Record<string, string[]>;

/**
 * The one place a zod failure becomes field errors: server actions, use cases (`ValidationFailed`) and the
 * forms that check in the browser all key them the same way.
 */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return fieldErrors;
}

/** The first message of each top-level field, for forms that show one line under each input. */
export function firstErrorPerField(error: z.ZodError): Record<string, string> {
  const first: Record<string, string> = {};
  for (const [key, messages] of Object.entries(fieldErrorsOf(error))) {
    const field = key.split(".")[0] ?? key;
    if (messages[0] !== undefined) first[field] ??= messages[0];
  }
  return first;
}

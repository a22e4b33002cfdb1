/**
 * Drizzle wraps driver errors ("Failed query: ...") and keeps the PostgreSQL error as `cause`.
 * These helpers read the SQLSTATE and message from either shape, on both drivers.
 */
type WithCode = { code?: unknown; message?: unknown; cause?: unknown };

export function pgErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === "object"; i++) {
    const code = (e as WithCode).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as WithCode).cause;
  }
  return undefined;
}

export function pgErrorMessage(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === "object"; i++) {
    const m = (e as WithCode).message;
    if (typeof m === "string") parts.push(m);
    e = (e as WithCode).cause;
  }
  return parts.join(" | ");
}

export const isUniqueViolation = (err: unknown) => pgErrorCode(err) === "23505";
export const isSerializationFailure = (err: unknown) => ["40001", "40P01"].includes(pgErrorCode(err) ?? "");

/**
 * SCIM error bodies (RFC 7644 §3.12): `{"schemas":[…Error],"status":"400","scimType":"invalidFilter","detail":"…"}`.
 * Every failure of /scim/v2 leaves through `scimErrorResponse`: never a stack, never an HTML page, never a 5xx
 * for a client's mistake. Engine errors keep their meaning (ValidationFailed → 400 invalidValue, Conflict →
 * 409 uniqueness, NotFound → 404, Forbidden → 403).
 */
import { isGraphError } from "@/lib/api/errors";
import { httpStatusFor, isPimError } from "@/lib/pim/errors";

export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | null,
    detail: string,
  ) {
    super(detail);
    this.name = "ScimError";
  }
}

export const isScimError = (e: unknown): e is ScimError => e instanceof ScimError;
export const invalidSyntax = (detail: string) => new ScimError(400, "invalidSyntax", detail);
export const invalidValue = (detail: string) => new ScimError(400, "invalidValue", detail);
export const invalidFilter = (detail: string) => new ScimError(400, "invalidFilter", detail);
export const invalidPath = (detail: string) => new ScimError(400, "invalidPath", detail);
export const noTarget = (detail: string) => new ScimError(400, "noTarget", detail);
export const mutability = (detail: string) => new ScimError(400, "mutability", detail);
export const scimNotFound = (detail = "Resource not found.") => new ScimError(404, null, detail);

export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";

export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": SCIM_CONTENT_TYPE, "cache-control": "no-store", ...headers },
  });
}

function toScimError(err: unknown): ScimError {
  if (isScimError(err)) return err;
  if (isPimError(err)) {
    const status = httpStatusFor(err);
    switch (err.code) {
      case "ValidationFailed":
        return new ScimError(400, "invalidValue", err.message);
      case "Conflict":
        return new ScimError(409, /already exists/.test(err.message) ? "uniqueness" : null, err.message);
      case "LockoutProtection":
        return new ScimError(409, null, err.message);
      default:
        return new ScimError(status >= 500 ? 500 : status, null, err.message);
    }
  }
  if (isGraphError(err)) return new ScimError(err.status, null, err.message);
  return new ScimError(500, null, "The service could not complete the request. Try again later.");
}

export function scimErrorResponse(err: unknown): Response {
  const e = toScimError(err);
  if (e.status >= 500) console.error(`[scim] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  const headers: Record<string, string> = {};
  if (e.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="SCIM"';
  return scimJson(
    {
      schemas: [ERROR_SCHEMA],
      status: String(e.status),
      ...(e.scimType ? { scimType: e.scimType } : {}),
      detail: e.message,
    },
    e.status,
    headers,
  );
}

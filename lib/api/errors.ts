/**
 * Graph-style errors: `{"error":{"code","message","innerError":{"date","request-id"}}}`.
 * Every failure of the API leaves through `graphErrorResponse`, so a client never sees a stack or an HTML page.
 * Engine errors (`PimError`) keep their status from the engine's one table (`httpStatusFor`); policy rule
 * failures become Graph's 400 `RoleAssignmentRequestPolicyValidationFailed` naming the rule.
 */
import { httpStatusFor, isPimError, type PimError } from "@/lib/pim/errors";

export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  readonly details?: { code: string; message: string; target?: string }[];

  constructor(
    status: number,
    code: string,
    message: string,
    extra: { headers?: Record<string, string>; details?: GraphError["details"] } = {},
  ) {
    super(message);
    this.name = "GraphError";
    this.status = status;
    this.code = code;
    this.headers = extra.headers ?? {};
    this.details = extra.details;
  }
}

export const isGraphError = (e: unknown): e is GraphError => e instanceof GraphError;

export const badRequest = (message: string, code = "BadRequest") => new GraphError(400, code, message);
export const unsupportedQuery = (message: string) => new GraphError(400, "Request_UnsupportedQuery", message);
export const notFound = (message = "The requested resource doesn't exist.") =>
  new GraphError(404, "Request_ResourceNotFound", message);
export const forbidden = (message = "Insufficient privileges to complete the operation.") =>
  new GraphError(403, "Authorization_RequestDenied", message);
export const unauthenticated = (message = "Access token is empty, expired or not valid.") =>
  new GraphError(401, "InvalidAuthenticationToken", message, {
    headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' },
  });

/** Engine codes → Graph codes (the status comes from the engine's table). */
const graphCodeFor: Record<string, string> = {
  ValidationFailed: "BadRequest",
  LockoutProtection: "RoleAssignmentRequestLockoutProtection",
  Unauthenticated: "InvalidAuthenticationToken",
  Forbidden: "Authorization_RequestDenied",
  NotFound: "Request_ResourceNotFound",
  Conflict: "Conflict",
  RateLimited: "TooManyRequests",
};

/** A PimError as the GraphError a client sees. Rule failures: 400 RoleAssignmentRequestPolicyValidationFailed. */
export function fromPimError(e: PimError): GraphError {
  const status = httpStatusFor(e);
  if (e.rule) {
    return new GraphError(
      400,
      "RoleAssignmentRequestPolicyValidationFailed",
      `The following policy rules failed: ["${e.rule}"]. ${e.message}`,
      {
        details: [{ code: e.rule, message: e.message }],
      },
    );
  }
  // Graph answers a duplicate (already assigned / already active / already requested) with a 400
  if (e.reason === "AssignmentExists") return new GraphError(400, "RoleAssignmentExists", e.message);
  if (e.reason === "PendingRequestExists") return new GraphError(400, "RoleAssignmentRequestExists", e.message);
  const details = e.fieldErrors
    ? Object.entries(e.fieldErrors).flatMap(([target, msgs]) =>
        msgs.map((message) => ({ code: "InvalidValue", message, target })),
      )
    : undefined;
  return new GraphError(status, graphCodeFor[e.code] ?? "BadRequest", e.message, { details });
}

export function toGraphError(err: unknown): GraphError {
  if (isGraphError(err)) return err;
  if (isPimError(err)) return fromPimError(err);
  return new GraphError(500, "generalException", "An unexpected error occurred. Try again later.");
}

export function graphErrorResponse(err: unknown, requestId: string, now: Date): Response {
  const e = toGraphError(err);
  if (e.status >= 500) console.error(`graph api ${requestId} failed`, err);
  const body = {
    error: {
      code: e.code,
      message: e.message,
      ...(e.details?.length ? { details: e.details } : {}),
      innerError: {
        date: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
        "request-id": requestId,
        "client-request-id": requestId,
      },
    },
  };
  return new Response(JSON.stringify(body), {
    status: e.status,
    headers: {
      "content-type": "application/json",
      "request-id": requestId,
      "client-request-id": requestId,
      ...e.headers,
    },
  });
}

/**
 * The OpenAPI 3.1 description of the API, generated from the route table and the same zod schemas that
 * validate the requests (`z.toJSONSchema`), so the document cannot drift from what the server accepts.
 */
import { z } from "zod";
import { GRAPH_PREFIX } from "./graph/router";
import { ROUTES } from "./graph/routes";
import * as S from "./graph/schemas";
import { NEEDS, SCOPE_DESCRIPTIONS } from "./scopes";

type Json = Record<string, unknown>;
const schemaOf = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { io, unrepresentable: "any" }) as Json;

const ODATA_PARAMS: Json[] = [
  {
    name: "$filter",
    in: "query",
    schema: { type: "string" },
    description: "eq, ne, and, or, in (…) on the documented properties; gt/ge/lt/le on date-times. Anything else: 400.",
  },
  { name: "$top", in: "query", schema: { type: "integer", minimum: 1, maximum: 999 } },
  { name: "$skiptoken", in: "query", schema: { type: "string" }, description: "Opaque; follow @odata.nextLink." },
  { name: "$select", in: "query", schema: { type: "string" } },
  { name: "$expand", in: "query", schema: { type: "string" }, description: "principal, roleDefinition (where listed)" },
  { name: "$count", in: "query", schema: { type: "boolean" } },
];

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/error" } } },
});

let cached: Json | null = null;

export function openApiDocument(): Json {
  if (cached) return cached;
  const paths: Record<string, Json> = {};
  for (const r of ROUTES) {
    const path = `${GRAPH_PREFIX}${r.path}`;
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: m[1] === "on" ? { type: "string", enum: ["principal", "createdBy", "approver"] } : { type: "string" },
    }));
    const okSchema = r.response ? schemaOf(r.response, "output") : undefined;
    const ok =
      r.status === 204
        ? { description: "No Content" }
        : {
            description: r.status === 201 ? "Created" : "OK",
            content: {
              "application/json": {
                schema:
                  r.collection && okSchema
                    ? {
                        type: "object",
                        properties: {
                          "@odata.context": { type: "string" },
                          "@odata.count": { type: "integer" },
                          "@odata.nextLink": { type: "string" },
                          value: { type: "array", items: okSchema },
                        },
                        required: ["value"],
                      }
                    : (okSchema ?? {}),
              },
            },
          };
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      security: [{ bearer: NEEDS[r.need] }],
      "x-permissions": NEEDS[r.need],
      parameters: [
        ...params,
        ...(r.collection
          ? ODATA_PARAMS
          : r.method === "GET"
            ? ODATA_PARAMS.filter((p) => p.name === "$select" || p.name === "$expand")
            : []),
      ],
      ...(r.body
        ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(r.body, "input") } } } }
        : {}),
      responses: {
        [String(r.status ?? 200)]: ok,
        "400": errorResponse(
          "Bad request: invalid body or OData, or a policy rule failed (RoleAssignmentRequestPolicyValidationFailed)",
        ),
        "401": errorResponse("Missing, expired or revoked token"),
        "403": errorResponse("The token lacks the permission, or the caller lacks the role"),
        "404": errorResponse("Unknown id, or not visible to the caller"),
        ...(r.method !== "GET"
          ? { "409": errorResponse("Conflict with the current state (e.g. already decided)") }
          : {}),
        "429": errorResponse("Rate limited; see Retry-After"),
      },
    };
  }
  paths["/api/v1/access/check"] = {
    get: {
      summary: "May principal P do X (a role or a permission) at scope S right now? One indexed query.",
      security: [{ bearer: NEEDS.accessCheck }],
      "x-permissions": NEEDS.accessCheck,
      parameters: ["principalId", "roleDefinitionId", "permission", "directoryScopeId"].map((name) => ({
        name,
        in: "query",
        required: name === "principalId",
        schema: { type: "string" },
      })),
      responses: {
        "200": { description: "OK", content: { "application/json": { schema: schemaOf(S.accessCheckOut, "output") } } },
        "400": errorResponse("Bad query"),
        "401": errorResponse("Bad token"),
        "403": errorResponse("Not allowed to ask about this principal"),
        "429": errorResponse("Rate limited"),
      },
    },
  };
  paths["/oauth2/v2.0/token"] = {
    post: {
      summary:
        "OAuth 2.0 client credentials for service principals (client_id = appId, client_secret, scope=<resource>/.default)",
      requestBody: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": {
            schema: {
              type: "object",
              required: ["grant_type", "client_id", "client_secret", "scope"],
              properties: {
                grant_type: { const: "client_credentials" },
                client_id: { type: "string", format: "uuid" },
                client_secret: { type: "string" },
                scope: { type: "string", examples: ["https://graph.microsoft.com/.default"] },
              },
            },
          },
        },
      },
      responses: {
        "200": { description: "Access token (1 hour)" },
        "400": { description: "invalid_request, unsupported_grant_type, invalid_scope" },
        "401": { description: "invalid_client" },
      },
    },
  };
  cached = {
    openapi: "3.1.0",
    info: {
      title: "PIM Portal — Microsoft Graph-compatible API",
      version: "1.0.0",
      description:
        "Privileged Identity Management with Microsoft Graph's shapes (v1.0 paths, OData subset, Graph errors). Point Graph tooling at this base URL and use a personal token (Tokens page) or a client-credentials token.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: `Permissions: ${Object.entries(SCOPE_DESCRIPTIONS)
            .map(([k, v]) => `${k} (${v})`)
            .join("; ")}`,
        },
      },
      schemas: { error: schemaOf(S.errorOut, "output") },
    },
    paths,
  };
  return cached;
}

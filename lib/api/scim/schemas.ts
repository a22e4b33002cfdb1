/**
 * The SCIM schema URNs, resources as this service writes them (RFC 7643 §4), and the discovery documents
 * (`/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`, RFC 7643 §5–7) describing exactly what is supported.
 */
import type { ScimGroupRow, ScimUserRow } from "@/lib/pim/queries/scim-directory";

export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const SPC = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

export const MAX_PAGE = 200;
export const MAX_OPERATIONS = 1000;

const iso = (d: Date) => d.toISOString();

export function scimUser(u: ScimUserRow, base: string) {
  const location = `${base}/Users/${u.id}`;
  const enterprise = {
    ...(u.department ? { department: u.department } : {}),
    ...(u.managerId
      ? {
          manager: {
            value: u.managerId,
            $ref: `${base}/Users/${u.managerId}`,
            displayName: u.managerName ?? undefined,
          },
        }
      : {}),
  };
  return {
    schemas: [CORE_USER, ENTERPRISE_USER],
    id: u.id,
    ...(u.externalId ? { externalId: u.externalId } : {}),
    userName: u.userPrincipalName,
    name: {
      ...(u.givenName ? { givenName: u.givenName } : {}),
      ...(u.familyName ? { familyName: u.familyName } : {}),
      formatted: u.displayName,
    },
    displayName: u.displayName,
    ...(u.jobTitle ? { title: u.jobTitle } : {}),
    active: u.accountEnabled,
    emails: u.mail ? [{ value: u.mail, type: "work", primary: true }] : [],
    [ENTERPRISE_USER]: enterprise,
    meta: { resourceType: "User", created: iso(u.createdAt), lastModified: iso(u.updatedAt), location },
  };
}

export function scimGroup(g: ScimGroupRow, base: string) {
  return {
    schemas: [CORE_GROUP],
    id: g.id,
    ...(g.externalId ? { externalId: g.externalId } : {}),
    displayName: g.displayName,
    ...(g.members
      ? {
          members: g.members.map((m) => ({
            value: m.id,
            display: m.displayName,
            type: "User",
            $ref: `${base}/Users/${m.id}`,
          })),
        }
      : {}),
    meta: {
      resourceType: "Group",
      created: iso(g.createdAt),
      lastModified: iso(g.createdAt),
      location: `${base}/Groups/${g.id}`,
    },
  };
}

export const serviceProviderConfig = (base: string, docs: string) => ({
  schemas: [SPC],
  documentationUri: docs,
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: MAX_PAGE },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: false },
  authenticationSchemes: [
    {
      type: "oauthbearertoken",
      name: "Bearer token",
      description: "A SCIM token issued on the portal's SCIM page (Authorization: Bearer <token>).",
      primary: true,
    },
  ],
  meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
});

export const resourceTypes = (base: string) => [
  {
    schemas: [RESOURCE_TYPE],
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "A person in the directory",
    schema: CORE_USER,
    schemaExtensions: [{ schema: ENTERPRISE_USER, required: false }],
    meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/User` },
  },
  {
    schemas: [RESOURCE_TYPE],
    id: "Group",
    name: "Group",
    endpoint: "/Groups",
    description: "A group (role-assignable)",
    schema: CORE_GROUP,
    meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/Group` },
  },
];

type Attr = {
  name: string;
  type: "string" | "boolean" | "complex" | "reference" | "dateTime";
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  returned?: "always" | "default" | "never";
  uniqueness?: "none" | "server";
  subAttributes?: Attr[];
  referenceTypes?: string[];
  description?: string;
};
const a = (name: string, extra: Partial<Attr> = {}): Attr => ({
  name,
  type: "string",
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
  ...extra,
});

const userAttributes: Attr[] = [
  a("userName", { required: true, uniqueness: "server", description: "Sign-in name (user principal name)." }),
  a("name", {
    type: "complex",
    subAttributes: [a("givenName"), a("familyName"), a("formatted", { mutability: "readOnly" })],
  }),
  a("displayName"),
  a("title"),
  a("active", { type: "boolean" }),
  a("emails", {
    type: "complex",
    multiValued: true,
    description: "The primary (or work) email: OIDC sign-in links the person by it.",
    subAttributes: [a("value"), a("type"), a("primary", { type: "boolean" })],
  }),
];
const enterpriseAttributes: Attr[] = [
  a("department"),
  a("manager", {
    type: "complex",
    subAttributes: [
      a("value", { caseExact: true }),
      a("$ref", { type: "reference", referenceTypes: ["User"] }),
      a("displayName", { mutability: "readOnly" }),
    ],
  }),
];
const groupAttributes: Attr[] = [
  a("displayName", { required: true }),
  a("members", {
    type: "complex",
    multiValued: true,
    subAttributes: [
      a("value", { caseExact: true, mutability: "immutable" }),
      a("$ref", { type: "reference", referenceTypes: ["User"], mutability: "immutable" }),
      a("display", { mutability: "readOnly" }),
      a("type", { mutability: "immutable" }),
    ],
  }),
];

export const schemaDocuments = (base: string) =>
  [
    { id: CORE_USER, name: "User", description: "User Account", attributes: userAttributes },
    { id: ENTERPRISE_USER, name: "EnterpriseUser", description: "Enterprise User", attributes: enterpriseAttributes },
    { id: CORE_GROUP, name: "Group", description: "Group", attributes: groupAttributes },
  ].map((s) => ({ schemas: [SCHEMA], ...s, meta: { resourceType: "Schema", location: `${base}/Schemas/${s.id}` } }));

/**
 * Inputs of the API token use cases (personal tokens, service principal client secrets), shared by the
 * Tokens page and the use cases. Scopes are Graph permission names; lib/api/scopes.ts re-exports this list as GRAPH_SCOPES.
 */
import { z } from "zod";
import { requiredText } from "./text";

export const API_TOKEN_SCOPES = [
  "RoleAssignmentSchedule.Read.Directory",
  "RoleAssignmentSchedule.ReadWrite.Directory",
  "RoleEligibilitySchedule.Read.Directory",
  "RoleEligibilitySchedule.ReadWrite.Directory",
  "RoleManagement.Read.Directory",
  "RoleManagement.ReadWrite.Directory",
  "RoleManagementPolicy.Read.Directory",
  "RoleManagementPolicy.ReadWrite.Directory",
  "AuditLog.Read.All",
  "User.Read",
  "User.Read.All",
  "Group.Read.All",
  "AccessReview.Read.All",
  "AccessReview.ReadWrite.All",
] as const;

const scopes = z
  .array(z.enum(API_TOKEN_SCOPES, { message: "Unknown permission." }))
  .min(1, { message: "Choose at least one permission." })
  .max(API_TOKEN_SCOPES.length)
  .transform((s) => [...new Set(s)].sort());

export const createApiTokenInput = z.object({
  name: requiredText({ max: 100, required: "Give the token a name." }),
  /** Days until the token expires (1–365). */
  expiresInDays: z.coerce
    .number()
    .int()
    .min(1, { message: "At least 1 day." })
    .max(365, { message: "At most 365 days." }),
  scopes,
});
export type CreateApiTokenInput = z.input<typeof createApiTokenInput>;

export const revokeApiTokenInput = z.object({ tokenId: z.uuid() });
export type RevokeApiTokenInput = z.input<typeof revokeApiTokenInput>;

export const createServicePrincipalSecretInput = z.object({
  servicePrincipalId: z.uuid(),
  displayName: requiredText({ max: 100, required: "Describe the secret." }),
  /** Days until the secret expires (1–730, Entra's longest recommended). */
  expiresInDays: z.coerce.number().int().min(1).max(730),
  scopes,
});
export type CreateServicePrincipalSecretInput = z.input<typeof createServicePrincipalSecretInput>;

/**
 * Inputs of the service principal use cases (Service principals page). Client secret creation reuses
 * `createServicePrincipalSecretInput` from lib/validation/api-tokens (the Graph permission list lives there).
 */
import { z } from "zod";

export const createServicePrincipalInput = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, { message: "Give the service principal a name." })
    .max(120, { message: "At most 120 characters." }),
  description: z
    .string()
    .trim()
    .max(500, { message: "At most 500 characters." })
    .optional()
    .transform((d) => (d ? d : null)),
});
export type CreateServicePrincipalInput = z.input<typeof createServicePrincipalInput>;

export const revokeServicePrincipalSecretInput = z.object({ secretId: z.uuid() });
export type RevokeServicePrincipalSecretInput = z.input<typeof revokeServicePrincipalSecretInput>;

/**
 * Inputs of the service principal use cases (Service principals page). Client secret creation reuses
 * `createServicePrincipalSecretInput` from lib/validation/api-tokens (the Graph permission list lives there).
 */
import { z } from "zod";
import { requiredText, storableString } from "@/lib/validation/text";

export const createServicePrincipalInput = z.object({
  displayName: requiredText({ max: 120, required: "Give the service principal a name." }),
  description: storableString()
    .trim()
    .max(500, { message: "At most 500 characters." })
    .optional()
    .transform((d) => (d ? d : null)),
});
export type CreateServicePrincipalInput = z.input<typeof createServicePrincipalInput>;

export const revokeServicePrincipalSecretInput = z.object({ secretId: z.uuid() });
export type RevokeServicePrincipalSecretInput = z.input<typeof revokeServicePrincipalSecretInput>;

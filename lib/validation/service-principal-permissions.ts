/** Input of `setServicePrincipalPermissions`: the application permissions a service principal should hold. */
import "@/lib/validation/zod-config";
import { z } from "zod";
import { API_TOKEN_SCOPES } from "./api-tokens";

/** Graph's application permissions this API honours (User.Read is delegated only: an app has no /me). */
export const APP_PERMISSIONS = API_TOKEN_SCOPES.filter((s) => s !== "User.Read");
export type AppPermission = (typeof APP_PERMISSIONS)[number];

export const setServicePrincipalPermissionsInput = z.object({
  servicePrincipalId: z.uuid(),
  permissions: z
    .array(
      z.enum(APP_PERMISSIONS as [AppPermission, ...AppPermission[]], { message: "Unknown application permission." }),
    )
    .max(APP_PERMISSIONS.length)
    .transform((s) => [...new Set(s)].sort()),
});
export type SetServicePrincipalPermissionsInput = z.input<typeof setServicePrincipalPermissionsInput>;

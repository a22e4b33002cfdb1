import { z } from "zod";

/** "Reset MFA" on the Users page: the same schema checks the dialog in the browser and the use case on the server. */
export const resetUserMfaInput = z.object({
  userId: z.uuid({ message: "Choose a user." }),
  justification: z.string().trim().min(5, { message: "Say why the MFA is reset (at least 5 characters)." }).max(500),
});
export type ResetUserMfaInput = z.infer<typeof resetUserMfaInput>;

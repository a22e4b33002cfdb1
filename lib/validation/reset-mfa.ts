import { z } from "zod";
import { requiredText } from "./text";

/** "Reset MFA" on the Users page: the same schema checks the dialog in the browser and the use case on the server. */
export const resetUserMfaInput = z.object({
  userId: z.uuid({ message: "Choose a user." }),
  justification: requiredText({
    min: 5,
    max: 500,
    required: "Say why the MFA is reset (at least 5 characters).",
  }),
});
export type ResetUserMfaInput = z.infer<typeof resetUserMfaInput>;

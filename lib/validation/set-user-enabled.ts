import { z } from "zod";
import { requiredText } from "./text";

/** "Disable user" / "Enable user" on the Users page: the same schema checks the dialog and the use case. */
export const setUserEnabledInput = z.object({
  userId: z.uuid({ message: "Choose a user." }),
  enabled: z.boolean({ message: "Say whether the account is enabled." }),
  justification: requiredText({
    min: 5,
    max: 500,
    required: "A justification is required.",
    tooShort: "Say why (at least 5 characters).",
  }),
});
export type SetUserEnabledInput = z.infer<typeof setUserEnabledInput>;

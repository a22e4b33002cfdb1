import { z } from "zod";

/** "Disable user" / "Enable user" on the Users page: the same schema checks the dialog and the use case. */
export const setUserEnabledInput = z.object({
  userId: z.uuid({ message: "Choose a user." }),
  enabled: z.boolean({ message: "Say whether the account is enabled." }),
  justification: z
    .string({ message: "A justification is required." })
    .trim()
    .min(5, { message: "Say why (at least 5 characters)." })
    .max(500, { message: "At most 500 characters." }),
});
export type SetUserEnabledInput = z.infer<typeof setUserEnabledInput>;

import { z } from "zod";
import { requiredText, storableString } from "./text";

/** "+ New user": the same schema checks the form in the browser and the action on the server. */
export const createUserInput = z.object({
  displayName: requiredText({ max: 256, required: "Enter a display name." }),
  userPrincipalName: storableString()
    .trim()
    .min(3, { message: "Enter a user principal name." })
    .max(113, { message: "At most 113 characters." })
    .regex(/^[A-Za-z0-9._'+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, {
      message: "Use the form name@domain, e.g. jane.doe@contoso.com.",
    }),
  mail: z
    .union([z.literal(""), z.email({ message: "Enter a valid email address." })])
    .optional()
    .transform((v) => (v ? v : undefined)),
  jobTitle: storableString().trim().max(128, { message: "At most 128 characters." }).optional(),
  department: storableString().trim().max(64, { message: "At most 64 characters." }).optional(),
  password: storableString()
    .min(12, { message: "The password needs at least 12 characters." })
    .max(256, { message: "At most 256 characters." }),
  accountEnabled: z.boolean().default(true),
});

export type CreateUserInput = z.input<typeof createUserInput>;
export type CreateUserData = z.output<typeof createUserInput>;

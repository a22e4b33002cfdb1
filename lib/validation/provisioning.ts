import { z } from "zod";
import { storableString } from "./text";

const text = (max: number) =>
  storableString()
    .trim()
    .max(max, { message: `At most ${max} characters.` })
    .nullable()
    .transform((s) => (s ? s : null));

/**
 * A provisioned person as the SCIM adapter hands it to the core (after mapping the SCIM attributes):
 * the whole state, for a create and for the result of a PUT or PATCH alike.
 */
export const provisionedUserFields = z.object({
  userName: storableString({ message: "userName is required." })
    .trim()
    .min(1, { message: "userName is required." })
    .max(256, { message: "userName: at most 256 characters." })
    .regex(/^\S+$/, { message: "userName must not contain spaces." }),
  externalId: text(256),
  displayName: text(256),
  givenName: text(64),
  familyName: text(64),
  email: z
    .union([z.null(), z.email({ message: "emails: not a valid email address." }).max(256)])
    .transform((v) => (v ? v : null)),
  title: text(128),
  department: text(64),
  managerId: z.uuid({ message: "manager: not a known user id." }).nullable(),
  active: z.boolean({ message: "active must be true or false." }),
});
export type ProvisionedUserFields = z.input<typeof provisionedUserFields>;
export type ProvisionedUser = z.output<typeof provisionedUserFields>;

export const provisionedGroupFields = z.object({
  displayName: storableString({ message: "displayName is required." })
    .trim()
    .min(1, { message: "displayName is required." })
    .max(256, { message: "displayName: at most 256 characters." }),
  externalId: text(256),
});

/** One step of a group change, applied in order (a PATCH's operations, or a PUT as set-all). */
export type GroupChange =
  | { kind: "displayName"; value: string }
  | { kind: "externalId"; value: string | null }
  | { kind: "addMembers"; userIds: string[] }
  | { kind: "removeMembers"; userIds: string[] }
  | { kind: "replaceMembers"; userIds: string[] };

export const createScimTokenInput = z.object({
  name: storableString({ message: "Name the connection." })
    .trim()
    .min(1, { message: "Name the connection, e.g. Microsoft Entra ID." })
    .max(100, { message: "At most 100 characters." }),
  expiresInDays: z.coerce
    .number({ message: "Choose how long the token lasts." })
    .int()
    .refine((n) => [0, 90, 180, 365, 730].includes(n), { message: "Choose how long the token lasts." }),
});
export type CreateScimTokenInput = z.input<typeof createScimTokenInput>;

export const revokeScimTokenInput = z.object({ tokenId: z.uuid({ message: "Choose a token." }) });
export type RevokeScimTokenInput = z.input<typeof revokeScimTokenInput>;

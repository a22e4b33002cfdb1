import { z } from "zod";

/** The keyset cursor of the request lists (`RequestCursor` of lib/pim/queries/requests) as it comes back from a URL. */
export const requestCursor = z.object({ createdDateTime: z.iso.datetime(), id: z.uuid() });
export type RequestCursorInput = z.infer<typeof requestCursor>;

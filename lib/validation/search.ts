import { z } from "zod";
import { storableString } from "./text";

/** The top bar's search box: what was typed, trimmed; cut (not refused) past 100 characters, as it is typed live. */
export const globalSearchInput = z.object({
  q: storableString()
    .trim()
    .transform((s) => s.slice(0, 100)),
});
export type GlobalSearchInput = z.infer<typeof globalSearchInput>;

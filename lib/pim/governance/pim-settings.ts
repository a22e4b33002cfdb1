import { eq } from "drizzle-orm";
import { directorySettings } from "@/db/schema";
import type { Db } from "@/db/types";
import {
  DEFAULT_PIM_MANAGERS,
  DEFAULT_PIM_SETTINGS,
  pimManagerChoices,
  pimSettingsInput,
  type PimManagers,
  type PimSettings,
} from "@/lib/validation/governance";

/** The PIM-wide settings merged over the defaults (a stored value that no longer validates falls back to them). */
export async function loadPimSettings(db: Db): Promise<PimSettings> {
  const [row] = await db
    .select({ s: directorySettings.pimSettings })
    .from(directorySettings)
    .where(eq(directorySettings.id, 1));
  return parsePimSettings(row?.s ?? null);
}

/** Stored PIM settings merged over the defaults; a stored value that no longer validates falls back to them. */
export function parsePimSettings(stored: Record<string, unknown> | null): PimSettings {
  const parsed = pimSettingsInput.safeParse({ ...DEFAULT_PIM_SETTINGS, ...(stored ?? {}) });
  return parsed.success ? parsed.data : DEFAULT_PIM_SETTINGS;
}

/** `"Name" <address>` from MAIL_FROM (which may carry its own display name) and the configured sender name. */
export function senderWithName(mailFrom: string, name: string): string {
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  const clean = name.replace(/["\r\n<>]/g, "").trim();
  return clean ? `"${clean}" <${address}>` : mailFrom;
}

/** The stored "who manages PIM" choice (the default, Entra's rule, when unset or unknown). */
export const pimManagersOf = (stored: Record<string, unknown> | null | undefined): PimManagers => {
  const v = stored?.pimManagers;
  return pimManagerChoices.find((c) => c === v) ?? DEFAULT_PIM_MANAGERS;
};

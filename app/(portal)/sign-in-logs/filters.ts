import { z } from "zod";
import type { CsvValue } from "@/lib/export/csv";
import type { SignInCursor, SignInLogQuery, SignInRow } from "@/lib/pim/queries/sign-in-log";
import { storableString } from "@/lib/validation/text";

/** The Sign-in logs page's filters, from the URL (untrusted: anything invalid is dropped, never an error page). */
const day = z.iso.date().optional().catch(undefined);
export const signInFilters = z.object({
  view: z.enum(["all", "mine"]).catch("all"),
  since: day,
  until: day,
  person: storableString().trim().max(200).optional().catch(undefined),
  kind: z.enum(["password", "oidc", "mfa"]).optional().catch(undefined),
  result: z.enum(["success", "failure", "locked"]).optional().catch(undefined),
  ip: storableString()
    .trim()
    .max(64)
    .regex(/^[0-9a-fA-F:.]+$/)
    .optional()
    .catch(undefined),
  page: storableString().max(20_000).optional().catch(undefined),
});
export type SignInFilters = z.infer<typeof signInFilters>;
export const signInCursor: z.ZodType<SignInCursor> = z.object({ at: z.iso.datetime(), id: z.number().int().min(1) });

export function parseSignInFilters(raw: Record<string, string | string[] | undefined>): SignInFilters {
  const flat = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined]));
  return signInFilters.parse(flat);
}

const DAY = 86_400_000;
export function toSignInQuery(f: SignInFilters): SignInLogQuery {
  return {
    mine: f.view === "mine",
    since: f.since ? new Date(`${f.since}T00:00:00Z`) : undefined,
    // "until" is inclusive of the whole day
    until: f.until ? new Date(new Date(`${f.until}T00:00:00Z`).getTime() + DAY) : undefined,
    person: f.person || undefined,
    kind: f.kind,
    result: f.result,
    clientIp: f.ip || undefined,
  };
}

export const KIND_LABEL = { password: "Password", oidc: "Single sign-on", mfa: "MFA" } as const;
export const RESULT_LABEL = { success: "Success", failure: "Failure", locked: "Locked" } as const;
export const personOf = (r: SignInRow) => r.displayName ?? r.identifier ?? "Unknown";

export const CSV_HEADER = [
  "Time (UTC)",
  "Person",
  "Principal name",
  "Name typed",
  "Method",
  "Result",
  "Reason",
  "IP address",
  "User agent",
];
export const csvRow = (r: SignInRow): CsvValue[] => [
  r.at,
  r.displayName,
  r.userPrincipalName,
  r.identifier,
  KIND_LABEL[r.kind],
  RESULT_LABEL[r.result],
  r.reason,
  r.clientIp,
  r.userAgent,
];

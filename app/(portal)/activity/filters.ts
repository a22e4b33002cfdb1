import { z } from "zod";
import { storableString } from "@/lib/validation/text";

/** Activity filters as they travel in the URL (GET form), shared by the page and the CSV export. */
export const activityFilters = z.object({
  view: z.enum(["resource", "mine"]).catch("mine"),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  actor: storableString().trim().max(200).optional().catch(undefined),
  target: storableString().trim().max(200).optional().catch(undefined),
  role: z.uuid().optional().catch(undefined),
  action: storableString().trim().max(100).optional().catch(undefined),
  result: z.enum(["success", "failure"]).optional().catch(undefined),
  /** Keyset trail of the pages before this one (components/ui/keyset): Previous drops its last cursor. */
  page: storableString().max(20_000).optional().catch(undefined),
  /** Rows per page (default 50). */
  size: z.coerce.number().int().min(5).max(100).optional().catch(undefined),
});
export type ActivityFilters = z.infer<typeof activityFilters>;

export const DEFAULT_PAGE_SIZE = 50;
export const PAGE_SIZES = [10, 25, 50, 100];

/** The filters that select rows (not the view, the page or its size): shared by page links and the export. */
export const FILTER_KEYS = ["from", "to", "actor", "target", "role", "action", "result"] as const;

export function filterParams(f: ActivityFilters): Record<(typeof FILTER_KEYS)[number], string | undefined> {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, f[k]])) as Record<
    (typeof FILTER_KEYS)[number],
    string | undefined
  >;
}

export function parseActivityFilters(sp: Record<string, string | string[] | undefined>): ActivityFilters {
  const flat: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(sp)) {
    const s = Array.isArray(v) ? v[0] : v;
    flat[k] = s === "" ? undefined : s;
  }
  return activityFilters.parse(flat);
}

/** The date range in the viewer's sense: `from` at 00:00 UTC, `to` through the end of that day. */
export function dateRange(f: ActivityFilters): { since?: Date; until?: Date } {
  return {
    since: f.from ? new Date(`${f.from}T00:00:00.000Z`) : undefined,
    until: f.to ? new Date(new Date(`${f.to}T00:00:00.000Z`).getTime() + 86_400_000) : undefined,
  };
}

export type AuditRowView = {
  id: number;
  createdAt: string;
  actorName: string | null;
  activity: string;
  operation: string;
  targetName: string | null;
  roleName: string | null;
  scopeLabel: string;
  justification: string | null;
  ticket: string | null;
  result: "success" | "failure";
  resultReason: string | null;
  requestId: string | null;
};

export const CSV_HEADER = [
  "time",
  "actor",
  "activity",
  "target",
  "role",
  "scope",
  "justification",
  "ticket",
  "result",
  "reason",
  "request id",
];

/** A row as the export's cells, in Node: the reference the database's lines are tested against (export/csv.test.ts). */
export function csvRow(r: AuditRowView): (string | null)[] {
  return [
    r.createdAt,
    r.actorName,
    r.activity,
    r.targetName,
    r.roleName,
    r.scopeLabel,
    r.justification,
    r.ticket,
    r.result,
    r.resultReason,
    r.requestId,
  ];
}

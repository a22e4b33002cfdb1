import { createHash } from "node:crypto";
import type { auditEvents } from "@/db/schema";

/** The hash of "no previous row": the first row of a chain points at it. */
export const GENESIS_HASH = "0".repeat(64);

/** An audit row as stored (what a SELECT returns); `hash` is what the canonical form is checked against. */
export type StoredAuditRow = typeof auditEvents.$inferSelect;
type HashedFields = Omit<StoredAuditRow, "hash">;

/** A row about to be written: what the insert type allows, with the hashed keys a writer must decide. */
export type AuditRowDraft = Omit<
  typeof auditEvents.$inferInsert,
  "hash" | "id" | "eventId" | "createdAt" | "prevHash"
> & {
  id: number;
  eventId: string;
  createdAt: Date;
  prevHash: string;
};

/**
 * Every column of audit_events except `hash` itself, in the order the canonical form lists them.
 * A test compares this list with the table's columns, so a column added later cannot go unhashed.
 */
export const HASHED_COLUMNS = [
  "id",
  "eventId",
  "createdAt",
  "category",
  "activity",
  "operation",
  "result",
  "resultReason",
  "actorId",
  "actorType",
  "actorName",
  "targetId",
  "targetType",
  "targetName",
  "roleDefinitionId",
  "roleName",
  "directoryScopeId",
  "requestId",
  "justification",
  "ticketNumber",
  "ticketSystem",
  "clientIp",
  "userAgent",
  "details",
  "prevHash",
] as const satisfies readonly (keyof HashedFields)[];

/**
 * Text as PostgreSQL stores it. Both drivers encode strings as UTF-8 with the WHATWG encoder, which
 * turns a lone surrogate into U+FFFD; PostgreSQL text cannot hold NUL at all (22021). Writing the
 * stored form ourselves means the hashed text and the stored text are the same string, whatever arrives.
 */
export function storedText(s: string): string {
  return s.toWellFormed().replace(/\u0000/g, "\uFFFD");
}

const nullableText = (s: string | null | undefined) => (s == null ? null : storedText(s));

/**
 * A value as jsonb stores it and a driver reads it back: JSON semantics (undefined dropped, Dates as
 * ISO strings, NaN/Infinity as null), every key and string in stored text form. jsonb reorders keys
 * (and keeps the last of duplicate keys): the canonical form sorts keys, so order never matters.
 */
export function storedJson(value: unknown): unknown {
  const plain: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return storedText(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[storedText(k)] = walk(x);
      return out;
    }
    return v;
  };
  return walk(plain);
}

/** uuid columns read back lower-case. */
const uuidText = (s: string | null | undefined) => (s == null ? null : s.toLowerCase());

/**
 * Brings a row to exactly the values PostgreSQL will store and return, so hashing the row before the
 * insert and hashing it after a SELECT give the same bytes. created_at is timestamptz(3): milliseconds,
 * the precision of a JS Date, so no digit of a stored timestamp is outside the hash.
 */
export function toStoredForm(row: AuditRowDraft): HashedFields {
  return {
    id: row.id,
    eventId: row.eventId.toLowerCase(),
    createdAt: row.createdAt,
    category: storedText(row.category ?? "RoleManagement"),
    activity: storedText(row.activity),
    operation: storedText(row.operation),
    result: row.result ?? "success",
    resultReason: nullableText(row.resultReason),
    actorId: uuidText(row.actorId),
    actorType: row.actorType ?? null,
    actorName: nullableText(row.actorName),
    targetId: uuidText(row.targetId),
    targetType: row.targetType ?? null,
    targetName: nullableText(row.targetName),
    roleDefinitionId: uuidText(row.roleDefinitionId),
    roleName: nullableText(row.roleName),
    directoryScopeId: nullableText(row.directoryScopeId),
    requestId: uuidText(row.requestId),
    justification: nullableText(row.justification),
    ticketNumber: nullableText(row.ticketNumber),
    ticketSystem: nullableText(row.ticketSystem),
    clientIp: nullableText(row.clientIp),
    userAgent: nullableText(row.userAgent),
    details: storedJson(row.details ?? {}) as HashedFields["details"],
    prevHash: row.prevHash,
  };
}

/** JSON with object keys sorted (jsonb's key order cannot change a hash). */
export function stableJson(value: unknown): string {
  if (value === null || value === undefined || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`).join(",")}}`;
}

/** The canonical encoding (format 2): a JSON array of every hashed column, in HASHED_COLUMNS order. */
export function canonicalAuditRow(row: HashedFields): string {
  return stableJson([
    "pim-audit/2",
    ...HASHED_COLUMNS.map((c) => {
      const v = row[c];
      if (c === "createdAt") return v instanceof Date ? v.toISOString() : v;
      return v ?? null;
    }),
  ]);
}

/**
 * THE audit hash (the one entry point every writer uses: single, batch, bench generator).
 * sha256 over the canonical encoding of every column, `prevHash` included, of the row *in stored
 * form*: pass a row read from the database, or one that went through `toStoredForm`.
 */
export function hashAuditRow(row: HashedFields): string {
  return createHash("sha256").update(canonicalAuditRow(row), "utf8").digest("hex");
}

/**
 * Chains rows that already carry their ids (ascending): stored form, prevHash and hash filled in.
 * Returns the rows to insert and the new head hash.
 */
export function chainAuditRows(prevHash: string, rows: AuditRowDraft[]): { rows: StoredAuditRow[]; head: string } {
  let prev = prevHash;
  const out = rows.map((r) => {
    const stored = toStoredForm({ ...r, prevHash: prev });
    const hash = hashAuditRow(stored);
    prev = hash;
    return { ...stored, hash };
  });
  return { rows: out, head: prev };
}

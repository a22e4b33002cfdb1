import { createHash } from "node:crypto";
import { asc, desc, gt, sql } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Actor } from "./context";

const AUDIT_CHAIN_LOCK = 727_002;
export const GENESIS_HASH = "0".repeat(64);

export type AuditInput = {
  activity: string;
  operation: string;
  result?: "success" | "failure";
  resultReason?: string | null;
  category?: string;
  actor?: Actor | null;
  target?: { id: string; type: "User" | "Group" | "ServicePrincipal"; name: string } | null;
  role?: { id: string; name: string } | null;
  directoryScopeId?: string | null;
  requestId?: string | null;
  justification?: string | null;
  ticketNumber?: string | null;
  ticketSystem?: string | null;
  details?: Record<string, unknown>;
};

type AuditRow = typeof auditEvents.$inferInsert;

/** JSON with object keys sorted, so jsonb's own key order cannot change a hash. */
function stable(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stable(obj[k])}`).join(",")}}`;
}

/** The fields covered by the hash, in a fixed order. */
function canonical(row: AuditRow): string {
  return stable([
    row.eventId,
    row.createdAt instanceof Date ? row.createdAt.toISOString() : row.createdAt,
    row.category,
    row.activity,
    row.operation,
    row.result,
    row.resultReason ?? null,
    row.actorId ?? null,
    row.actorName ?? null,
    row.targetId ?? null,
    row.targetName ?? null,
    row.roleDefinitionId ?? null,
    row.roleName ?? null,
    row.directoryScopeId ?? null,
    row.requestId ?? null,
    row.justification ?? null,
    row.ticketNumber ?? null,
    row.ticketSystem ?? null,
    row.clientIp ?? null,
    row.details ?? {},
  ]);
}

export const hashAuditRow = (prevHash: string, row: AuditRow) =>
  createHash("sha256").update(prevHash).update("\n").update(canonical(row)).digest("hex");

function toRow(now: Date, input: AuditInput, prevHash: string): AuditRow {
  const row: AuditRow = {
    eventId: crypto.randomUUID(),
    createdAt: now,
    category: input.category ?? "RoleManagement",
    activity: input.activity,
    operation: input.operation,
    result: input.result ?? "success",
    resultReason: input.resultReason ?? null,
    actorId: input.actor?.id ?? null,
    actorType: input.actor?.type ?? null,
    actorName: input.actor?.displayName ?? null,
    targetId: input.target?.id ?? null,
    targetType: input.target?.type ?? null,
    targetName: input.target?.name ?? null,
    roleDefinitionId: input.role?.id ?? null,
    roleName: input.role?.name ?? null,
    directoryScopeId: input.directoryScopeId ?? null,
    requestId: input.requestId ?? null,
    justification: input.justification ?? null,
    ticketNumber: input.ticketNumber ?? null,
    ticketSystem: input.ticketSystem ?? null,
    clientIp: input.actor?.clientIp ?? null,
    userAgent: input.actor?.userAgent ?? null,
    details: input.details ?? {},
    prevHash,
    hash: "",
  };
  row.hash = hashAuditRow(prevHash, row);
  return row;
}

/**
 * Appends audit rows inside the caller's transaction. Rows form a hash chain: each row hashes the
 * previous one, so a changed or deleted row breaks verification. The chain lock is held to commit,
 * which orders concurrent writers (PIM write rates are low; reads never take it). Several rows (the
 * expiry sweep's batch) are chained in memory and written with one multi-row insert, whose serial ids
 * follow the VALUES order, so id order stays chain order.
 */
export async function writeAuditRows(tx: Db, now: Date, inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  let prev = last?.hash ?? GENESIS_HASH;
  const rows = inputs.map((input) => {
    const row = toRow(now, input, prev);
    prev = row.hash;
    return row;
  });
  // Bounded statements (bind parameters stay far below PostgreSQL's 65,535).
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(auditEvents).values(rows.slice(i, i + 1000));
}

/** Appends one audit row inside the caller's transaction (see writeAuditRows). */
export async function writeAudit(tx: Db, now: Date, input: AuditInput): Promise<void> {
  await writeAuditRows(tx, now, [input]);
}

/** Walks the chain in id order; returns the first broken row id, or null when intact. */
export async function verifyAuditChain(
  db: Db,
  batch = 5000,
): Promise<{ ok: boolean; checked: number; brokenAt: number | null }> {
  let prev = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.id, lastId))
      .orderBy(asc(auditEvents.id))
      .limit(batch);
    if (rows.length === 0) return { ok: true, checked, brokenAt: null };
    for (const r of rows) {
      if (r.prevHash !== prev || hashAuditRow(prev, r) !== r.hash) return { ok: false, checked, brokenAt: r.id };
      prev = r.hash;
      lastId = r.id;
      checked++;
    }
  }
}

import { desc, getTableColumns, sql } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import type { Db } from "@/db/types";
import { chainAuditRows, GENESIS_HASH, type StoredAuditRow } from "./audit-chain/canonical";
import type { Actor } from "./context";
import { rowsOf } from "./sql-rows";

export { GENESIS_HASH, hashAuditRow, chainAuditRows, toStoredForm } from "./audit-chain/canonical";
export { verifyAuditChain } from "./audit-chain/verify";

/** Held to commit by every audit writer: one chain head, one writer at a time. */
export const AUDIT_CHAIN_LOCK = 727_002;

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

type Unchained = Omit<StoredAuditRow, "hash">;

function toRow(id: number, now: Date, input: AuditInput): Unchained {
  return {
    id,
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
    prevHash: GENESIS_HASH,
  };
}

/** The newest row's hash (the chain head), read under the chain lock by writers. */
export async function chainHead(tx: Db): Promise<string> {
  const [last] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  return last?.hash ?? GENESIS_HASH;
}

/**
 * Appends audit rows inside the caller's transaction. Rows form a hash chain over every column as
 * stored (see audit-chain/canonical.ts): each row hashes the previous one, so a changed or deleted row
 * breaks verification. The chain lock is held to commit, which orders concurrent writers (PIM write
 * rates are low; reads never take it). Ids are drawn from the sequence under that lock, so id order
 * is chain order and the id is part of the hash. Several rows (the expiry sweep's batch) are chained
 * in memory and written with bounded multi-row inserts.
 */
export async function writeAuditRows(tx: Db, now: Date, inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const prev = await chainHead(tx);
  const ids = await reserveAuditIds(tx, inputs.length);
  const { rows } = chainAuditRows(
    prev,
    inputs.map((input, i) => toRow(ids[i] as number, now, input)),
  );
  // Up to 1,000 rows a statement as ONE JSON parameter spread by the database: the query builder's per-cell work
  // on 26 columns × 500 rows was most of the expiry sweep's CPU (issue 10). Every column is given (the hash
  // covers them all); JSON keeps each value as stored (timestamps to the millisecond, details as jsonb).
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000) as Record<string, unknown>[];
    const json = JSON.stringify(
      batch.map((r) => Object.fromEntries(AUDIT_COLUMNS.map(([key, name]) => [name, r[key]]))),
    );
    await tx.execute(
      sql`insert into audit_events (${AUDIT_COLUMN_LIST}) select ${AUDIT_COLUMN_LIST}
            from jsonb_populate_recordset(null::audit_events, ${json}::jsonb)`,
    );
  }
}

const AUDIT_COLUMNS = Object.entries(getTableColumns(auditEvents)).map(([key, column]) => [key, column.name] as const);
const AUDIT_COLUMN_LIST = sql.raw(AUDIT_COLUMNS.map(([, name]) => `"${name}"`).join(", "));

/** `n` fresh ids from audit_events' sequence, ascending (call under the chain lock). */
export async function reserveAuditIds(tx: Db, n: number): Promise<number[]> {
  const res = await tx.execute(
    sql`select nextval(pg_get_serial_sequence('audit_events', 'id'))::text as id from generate_series(1, ${n})`,
  );
  return rowsOf<{ id: string }>(res)
    .map((r) => Number(r.id))
    .sort((a, b) => a - b);
}

/** Appends one audit row inside the caller's transaction (see writeAuditRows). */
export async function writeAudit(tx: Db, now: Date, input: AuditInput): Promise<void> {
  await writeAuditRows(tx, now, [input]);
}

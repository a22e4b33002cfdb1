import { createHash } from "node:crypto";
import type { StoredAuditRow } from "./canonical";
import { stableJson } from "./canonical";

/** The operation of the audit row that re-anchors a legacy segment (see reanchor.ts). */
export const REANCHOR_OPERATION = "audit.reanchor";

/** What a re-anchor row records (its `details`); the verifier checks the segment against it. */
export type ReanchorDetails = {
  fromId: number;
  toId: number;
  rows: number;
  /** sha256 chain over the format-2 canonical encoding of every legacy row as stored at re-anchoring. */
  digest: string;
  legacyHead: string;
  brokenCount: number;
  brokenRows: { id: number; reason: string }[];
  reason: string;
};

/**
 * Format 1 (before migration 0005): sha256 over the previous hash and JSON.stringify of a subset of
 * columns (no id, actor_type, target_type, user_agent), taken over the text *before* PostgreSQL stored
 * it (a lone surrogate hashed as "\ud800", stored as U+FFFD). Kept only to say which legacy rows were
 * already broken when they are re-anchored.
 */
export function legacyHashV1(prevHash: string, row: Omit<StoredAuditRow, "hash" | "id" | "prevHash">): string {
  const canonical = stableJson([
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
  return createHash("sha256").update(prevHash).update("\n").update(canonical).digest("hex");
}

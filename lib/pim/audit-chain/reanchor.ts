import { createHash } from "node:crypto";
import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import { auditEvents, auditLegacySegments } from "@/db/schema";
import type { Db } from "@/db/types";
import { AUDIT_CHAIN_LOCK, writeAudit } from "../audit";
import { systemActor } from "../context";
import { canonicalAuditRow, GENESIS_HASH } from "./canonical";
import { legacyHashV1, REANCHOR_OPERATION, type ReanchorDetails } from "./legacy";

const KEEP_BROKEN = 1000;

/**
 * Re-anchors the audit rows written under hash format 1 (recorded by migration 0005), once, from the
 * migrator. Nothing is rewritten: one new audit row (operation "audit.reanchor") records the segment
 * (first and last id, row count), a digest of every legacy row as stored now (format-2 encoding, every
 * column), which rows were already broken under format 1 and why. The verifier then checks the segment
 * against that digest, so any later change to a legacy row is still found.
 */
export async function reanchorLegacyAudit(
  db: Db,
  now: Date,
  batch = 5000,
): Promise<{ segments: number; rows: number; broken: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    const pending = await tx.select().from(auditLegacySegments).orderBy(asc(auditLegacySegments.lastId));
    const [lastAnchor] = await tx
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.operation, REANCHOR_OPERATION))
      .orderBy(sql`${auditEvents.id} desc`)
      .limit(1);
    let after = (lastAnchor?.details as ReanchorDetails | undefined)?.toId ?? 0;
    const total = { segments: 0, rows: 0, broken: 0 };
    for (const p of pending) {
      let fromId = 0;
      let rows = 0;
      let digest = GENESIS_HASH;
      let prev = GENESIS_HASH;
      let cursor = after;
      const broken: ReanchorDetails["brokenRows"] = [];
      let brokenCount = 0;
      for (;;) {
        const page = await tx
          .select()
          .from(auditEvents)
          .where(and(gt(auditEvents.id, cursor), lte(auditEvents.id, p.lastId)))
          .orderBy(asc(auditEvents.id))
          .limit(batch);
        for (const r of page) {
          if (rows === 0) fromId = r.id;
          const reasons: string[] = [];
          if (r.prevHash !== prev) reasons.push("prev_hash is not the previous row's hash");
          if (legacyHashV1(r.prevHash, r) !== r.hash) {
            reasons.push(
              "its format-1 hash does not match the stored text (format 1 hashed text before PostgreSQL stored it, e.g. a lone surrogate stored as U+FFFD, or the row was edited)",
            );
          }
          if (reasons.length > 0) {
            brokenCount++;
            if (broken.length < KEEP_BROKEN) broken.push({ id: r.id, reason: reasons.join("; ") });
          }
          digest = createHash("sha256").update(digest).update("\n").update(canonicalAuditRow(r)).digest("hex");
          prev = r.hash;
          cursor = r.id;
          rows++;
        }
        if (page.length < batch) break;
      }
      if (rows > 0) {
        const details: ReanchorDetails = {
          fromId,
          toId: cursor,
          rows,
          digest,
          legacyHead: prev,
          brokenCount,
          brokenRows: broken,
          reason:
            "Hash format 2 covers every column as stored. Rows written before it were hashed over fewer columns " +
            "(format 1) and are not rewritten: this row records them as they are now, so any later change to them is found.",
        };
        await writeAudit(tx, now, {
          category: "Audit",
          activity: "Audit chain re-anchored (hash format 2)",
          operation: REANCHOR_OPERATION,
          actor: systemActor,
          resultReason: brokenCount > 0 ? `${brokenCount} legacy rows were already broken under format 1` : null,
          details,
        });
        total.segments++;
        total.rows += rows;
        total.broken += brokenCount;
        after = cursor;
      }
      await tx.delete(auditLegacySegments).where(eq(auditLegacySegments.lastId, p.lastId));
    }
    return total;
  });
}

import { createHash } from "node:crypto";
import { asc, eq, gt } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import type { Db } from "@/db/types";
import { canonicalAuditRow, GENESIS_HASH, hashAuditRow, type StoredAuditRow } from "./canonical";
import { checkpointSignatureValid, type Checkpoint, type CheckpointLine } from "./checkpoint";
import { REANCHOR_OPERATION, type ReanchorDetails } from "./legacy";

export type AuditBreakKind =
  /** A row's stored values no longer hash to its stored hash: some column (or the hash) was edited. */
  | "row-edited"
  /** A row's prev_hash is not the previous row's hash: rows deleted, inserted or reordered before it. */
  | "chain-link"
  /** A re-anchored legacy segment no longer matches the digest recorded when it was re-anchored. */
  | "legacy-segment"
  /** A checkpoint line that is unreadable or whose signature does not check out (forged or wrong key). */
  | "checkpoint-invalid"
  /** The row a checkpoint names has another hash now: the chain was rewritten (re-hashed) since. */
  | "checkpoint-mismatch"
  /** The row a checkpoint names is gone, or rows up to it were added or removed since. */
  | "checkpoint-rows"
  /** A checkpoint names a row newer than the newest row: rows were deleted from the end. */
  | "tail-truncated";

export type AuditBreak = { kind: AuditBreakKind; rowId: number | null; message: string };

export type VerifyOptions = {
  batch?: number;
  /** Lines read from the checkpoint file; checked only with `checkpointKey`. */
  checkpoints?: CheckpointLine[];
  checkpointKey?: string | null;
  /** Called for every break as it is found (the CLI prints them all). */
  onBreak?: (b: AuditBreak) => void;
  /** How many breaks the result keeps (all are counted and passed to onBreak). */
  keepBreaks?: number;
};

export type VerifyResult = {
  ok: boolean;
  checked: number;
  /** The first broken row's id (null when no row is broken). */
  brokenAt: number | null;
  breaks: AuditBreak[];
  breakCount: number;
  head: { id: number; hash: string } | null;
  checkpointsChecked: number;
  legacyRows: number;
};

type Segment = ReanchorDetails & { anchorId: number };

const digestStep = (digest: string, row: StoredAuditRow) =>
  createHash("sha256").update(digest).update("\n").update(canonicalAuditRow(row)).digest("hex");

/** The re-anchored legacy segments (their anchor rows are ordinary rows of the chain, checked like any other). */
async function loadSegments(db: Db): Promise<Segment[]> {
  const rows = await db
    .select({ id: auditEvents.id, details: auditEvents.details })
    .from(auditEvents)
    .where(eq(auditEvents.operation, REANCHOR_OPERATION))
    .orderBy(asc(auditEvents.id));
  return rows.map((r) => ({ ...(r.details as unknown as ReanchorDetails), anchorId: r.id }));
}

/**
 * Walks the whole chain in id order in keyset batches (memory bounded by `batch`), and reports every
 * break, not only the first: each row is checked on its own (its hash against its stored columns, its
 * prev_hash against the row before), so one break never hides a later one. With checkpoints and their
 * key it also detects what a per-row check cannot: the tail deleted, or every row re-hashed after an edit.
 */
export async function verifyAuditChain(db: Db, options: VerifyOptions | number = {}): Promise<VerifyResult> {
  const opts: VerifyOptions = typeof options === "number" ? { batch: options } : options;
  const batch = opts.batch ?? 5000;
  const keep = opts.keepBreaks ?? 1000;
  const breaks: AuditBreak[] = [];
  let breakCount = 0;
  let brokenAt: number | null = null;
  const report = (b: AuditBreak) => {
    breakCount++;
    if (b.rowId !== null && brokenAt === null && (b.kind === "row-edited" || b.kind === "chain-link")) {
      brokenAt = b.rowId;
    }
    if (breaks.length < keep) breaks.push(b);
    opts.onBreak?.(b);
  };

  const checkpoints: Checkpoint[] = [];
  if (opts.checkpointKey) {
    for (const l of opts.checkpoints ?? []) {
      if ("error" in l)
        report({ kind: "checkpoint-invalid", rowId: null, message: `checkpoint line ${l.line}: ${l.error}` });
      else if (!checkpointSignatureValid(opts.checkpointKey, l.checkpoint)) {
        report({
          kind: "checkpoint-invalid",
          rowId: null,
          message: `checkpoint line ${l.line} (${l.checkpoint.at}): signature does not verify with this key (forged, altered, or another key)`,
        });
      } else checkpoints.push(l.checkpoint);
    }
  }
  checkpoints.sort((a, b) => a.headId - b.headId);
  let cpAt = 0;

  const segments = await loadSegments(db);
  let seg = 0;
  let segDigest = GENESIS_HASH;
  let segRows = 0;
  let legacyRows = 0;
  const closeSegment = () => {
    const s = segments[seg];
    if (!s) return;
    if (segDigest !== s.digest || segRows !== s.rows) {
      report({
        kind: "legacy-segment",
        rowId: s.toId,
        message: `rows ${s.fromId}–${s.toId} (re-anchored by row ${s.anchorId}) changed since: ${segRows} rows now, ${s.rows} recorded, digest ${segDigest === s.digest ? "matches" : "differs"}`,
      });
    }
    seg++;
    segDigest = GENESIS_HASH;
    segRows = 0;
  };

  let prev = GENESIS_HASH;
  let prevId: number | null = null;
  let lastId = 0;
  let checked = 0;
  let head: VerifyResult["head"] = null;

  const checkpointsUpTo = (id: number, row: StoredAuditRow | null) => {
    for (; cpAt < checkpoints.length; cpAt++) {
      const cp = checkpoints[cpAt] as Checkpoint;
      if (cp.headId > id) return;
      if (row && cp.headId === id) {
        if (row.hash !== cp.headHash) {
          report({
            kind: "checkpoint-mismatch",
            rowId: id,
            message: `checkpoint of ${cp.at} signed row ${id} with hash ${cp.headHash.slice(0, 12)}…; it is ${row.hash.slice(0, 12)}… now (the chain was rewritten)`,
          });
        }
        if (checked !== cp.rows) {
          report({
            kind: "checkpoint-rows",
            rowId: id,
            message: `checkpoint of ${cp.at} counted ${cp.rows} rows up to row ${id}; there are ${checked} now`,
          });
        }
      } else if (cp.headId > 0 || cp.rows !== 0) {
        report({
          kind: "checkpoint-rows",
          rowId: cp.headId,
          message: `checkpoint of ${cp.at} names row ${cp.headId}, which is gone (deleted)`,
        });
      }
    }
  };
  checkpointsUpTo(0, null);

  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.id, lastId))
      .orderBy(asc(auditEvents.id))
      .limit(batch);
    if (rows.length === 0) break;
    for (const r of rows) {
      while (segments[seg] && r.id > (segments[seg] as Segment).toId) closeSegment();
      const s = segments[seg];
      const inLegacy = s !== undefined && r.id >= s.fromId && r.id <= s.toId;
      // Inside a re-anchored segment the digest covers prev_hash; its first row after it links as usual.
      if (!inLegacy && r.prevHash !== prev) {
        report({
          kind: "chain-link",
          rowId: r.id,
          message:
            prevId === null
              ? `row ${r.id}: the first row does not start the chain (rows before it deleted?)`
              : `row ${r.id}: prev_hash is not row ${prevId}'s hash (rows deleted, inserted or reordered between them)`,
        });
      }
      if (inLegacy) {
        segDigest = digestStep(segDigest, r);
        segRows++;
        legacyRows++;
      } else if (hashAuditRow(r) !== r.hash) {
        report({
          kind: "row-edited",
          rowId: r.id,
          message: `row ${r.id}: its stored columns do not match its hash (edited after it was written)`,
        });
      }
      checked++;
      checkpointsUpTo(r.id, r);
      prev = r.hash;
      prevId = r.id;
      lastId = r.id;
      head = { id: r.id, hash: r.hash };
    }
    if (rows.length < batch) break;
  }
  while (seg < segments.length) closeSegment();
  for (; cpAt < checkpoints.length; cpAt++) {
    const cp = checkpoints[cpAt] as Checkpoint;
    report({
      kind: "tail-truncated",
      rowId: cp.headId,
      message: `checkpoint of ${cp.at} names row ${cp.headId}; the newest row is ${lastId || "none"} (rows deleted from the end)`,
    });
  }
  return {
    ok: breakCount === 0,
    checked,
    brokenAt,
    breaks,
    breakCount,
    head,
    checkpointsChecked: checkpoints.length,
    legacyRows,
  };
}

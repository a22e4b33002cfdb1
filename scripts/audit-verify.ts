/**
 * `npm run audit:verify [-- --checkpoint] [--batch N]`: checks every audit row and every signed checkpoint
 * (AUDIT_CHECKPOINT_DIR, with AUDIT_CHECKPOINT_KEY), prints every break, records the run in
 * audit_verifications, exits 1 on any break (2 on a setup error). Streams in keyset batches: memory stays
 * flat at any size. --checkpoint appends a new signed checkpoint after a clean run (for an OS cron job).
 * With the embedded PGlite, stop the server first: one process per data folder.
 */
import { openDb } from "@/db/client";
import { env } from "@/lib/env";
import { readCheckpoints, appendCheckpoint, takeCheckpoint } from "@/lib/pim/audit-chain/checkpoint";
import { recordVerification } from "@/lib/pim/audit-chain/duties";
import { verifyAuditChain } from "@/lib/pim/audit-chain/verify";

async function main() {
  const args = process.argv.slice(2);
  const batchArg = args.indexOf("--batch");
  const batch = batchArg >= 0 ? Number(args[batchArg + 1]) : 5000;
  if (!Number.isInteger(batch) || batch < 1) throw new Error("--batch must be a positive integer");
  const e = env();
  const key = e.AUDIT_CHECKPOINT_KEY ?? null;
  const dir = e.AUDIT_CHECKPOINT_DIR ?? null;
  const handle = await openDb({ url: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR, max: 2 });
  try {
    const checkpoints = dir ? await readCheckpoints(dir) : [];
    if (!key) {
      console.log(
        "No AUDIT_CHECKPOINT_KEY: rows are checked one by one, but a deleted tail or a fully re-hashed chain cannot be detected.",
      );
    } else console.log(`Checkpoints: ${checkpoints.length} lines in ${dir}.`);
    const startedAt = new Date();
    const t0 = process.hrtime.bigint();
    let listed = 0;
    const result = await verifyAuditChain(handle.db, {
      batch,
      checkpoints,
      checkpointKey: key,
      onBreak: (b) => {
        listed++;
        console.log(`BREAK ${b.kind}${b.rowId === null ? "" : ` row ${b.rowId}`}: ${b.message}`);
      },
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await recordVerification(handle.db, { startedAt, finishedAt: new Date(), trigger: "cli", result });
    const rate = seconds > 0 ? Math.round(result.checked / seconds) : result.checked;
    console.log(
      `${result.ok ? "OK" : "BROKEN"}: ${result.checked} rows (${result.legacyRows} re-anchored legacy), ` +
        `${result.checkpointsChecked} checkpoints, ${result.breakCount} breaks (${listed} listed) in ${seconds.toFixed(2)} s ` +
        `(${rate} rows/s); head ${result.head ? `row ${result.head.id} ${result.head.hash}` : "none"}.`,
    );
    if (result.ok && args.includes("--checkpoint")) {
      if (!key || !dir) throw new Error("--checkpoint needs AUDIT_CHECKPOINT_KEY and AUDIT_CHECKPOINT_DIR");
      const cp = await takeCheckpoint(handle.db, new Date(), key);
      console.log(`Checkpoint appended to ${await appendCheckpoint(dir, cp)} (row ${cp.headId}).`);
    }
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});

import { emitNotification } from "../notifications/emit";
import { desc, isNull, lte, or } from "drizzle-orm";
import { auditVerifications, jobState, notifications } from "@/db/schema";
import type { Db } from "@/db/types";
import { pimAdmins } from "../notifications/recipients";
import { escapeHtml } from "../notifications/templates";
import { appendCheckpoint, readCheckpoints, takeCheckpoint, type Checkpoint } from "./checkpoint";
import { verifyAuditChain, type VerifyResult } from "./verify";

export type AuditChainConfig = {
  checkpointKey: string | null;
  checkpointDir: string | null;
  checkpointEveryMinutes: number;
  /** 0 = no scheduled verification. */
  verifyEveryHours: number;
  emailConfigured: boolean;
};

/** Records one verifier run (the Activity page's status panel reads the newest). */
export async function recordVerification(
  db: Db,
  run: { startedAt: Date; finishedAt: Date; trigger: "schedule" | "cli"; result: VerifyResult },
): Promise<number> {
  const r = run.result;
  const [row] = await db
    .insert(auditVerifications)
    .values({
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      trigger: run.trigger,
      ok: r.ok,
      rowsChecked: r.checked,
      checkpointsChecked: r.checkpointsChecked,
      breakCount: r.breakCount,
      breaks: r.breaks.slice(0, 50),
      headId: r.head?.id ?? null,
      headHash: r.head?.hash ?? null,
    })
    .returning({ id: auditVerifications.id });
  return row?.id ?? 0;
}

/** A bell notice for every PIM admin (and an email where they have an address): the chain is broken. */
export async function alertAdminsOfBreak(db: Db, now: Date, verificationId: number, r: VerifyResult): Promise<number> {
  const admins = await pimAdmins(db, now);
  const first = r.breaks.slice(0, 10).map((b) => b.message);
  const subject = `PIM: audit chain verification found ${r.breakCount} break${r.breakCount === 1 ? "" : "s"}`;
  const text =
    `The audit trail no longer matches its hashes or its signed checkpoints: someone may have changed or deleted ` +
    `audit rows. ${r.checked} rows checked.\n\n${first.join("\n")}${r.breakCount > first.length ? "\n…" : ""}\n\n` +
    `Run npm run audit:verify for the full list.`;
  const html = `<p>${escapeHtml(text.split("\n\n")[0] ?? "")}</p><ul>${first.map((m) => `<li>${escapeHtml(m)}</li>`).join("")}</ul><p>Run <code>npm run audit:verify</code> for the full list.</p>`;
  // Systems learn of it too: an "alert.raised" webhook event (no second notice to people).
  await emitNotification(db, now, {
    type: "alertRaised",
    alertKey: "auditChainBroken",
    severity: "High",
    description: subject.replace(/^PIM: /, ""),
    affectedCount: r.breakCount,
    raisedAt: now.toISOString(),
    details: { verificationId, breakCount: r.breakCount, rowsChecked: r.checked },
  });
  if (admins.length === 0) return 0;
  await db
    .insert(notifications)
    .values(
      admins.map((a) => ({
        createdAt: now,
        eventType: "auditChainBroken",
        recipientUserId: a.userId,
        recipientEmail: a.email,
        subject,
        bodyText: text,
        bodyHtml: html,
        link: "/activity",
        status: a.email ? ("pending" as const) : ("skipped" as const),
        nextAttemptAt: now,
        dedupeKey: `auditChainBroken:${verificationId}:${a.userId}`,
      })),
    )
    .onConflictDoNothing({ target: notifications.dedupeKey });
  return admins.length;
}

/** Claims a periodic duty for this run when its interval has passed (several instances: one wins). */
async function claim(db: Db, name: string, now: Date, everyMs: number): Promise<boolean> {
  const due = new Date(now.getTime() - everyMs);
  const rows = await db
    .insert(jobState)
    .values({ name, lastRunAt: now })
    .onConflictDoUpdate({
      target: jobState.name,
      set: { lastRunAt: now },
      // Typed comparison: a raw `sql` Date parameter is not serialised by postgres.js (PGlite accepts it).
      where: or(isNull(jobState.lastRunAt), lte(jobState.lastRunAt, due)),
    })
    .returning({ name: jobState.name });
  return rows.length > 0;
}

/** Emails the signed checkpoint to the admins (a copy outside the database and outside this host). */
async function mailCheckpoint(db: Db, now: Date, cp: Checkpoint): Promise<void> {
  const admins = (await pimAdmins(db, now)).filter((a) => a.email);
  if (admins.length === 0) return;
  const line = JSON.stringify(cp);
  const text = `Signed audit checkpoint: the chain's newest row was ${cp.headId} (${cp.rows} rows). Keep this email: npm run audit:verify can check the chain against this line.\n\n${line}`;
  await db
    .insert(notifications)
    .values(
      admins.map((a) => ({
        createdAt: now,
        eventType: "auditCheckpoint",
        recipientUserId: null,
        recipientEmail: a.email,
        subject: `PIM: audit checkpoint at row ${cp.headId}`,
        bodyText: text,
        bodyHtml: `<p>${escapeHtml(text.split("\n\n")[0] ?? "")}</p><pre>${escapeHtml(line)}</pre>`,
        link: "/activity",
        status: "pending" as const,
        nextAttemptAt: now,
        dedupeKey: `auditCheckpoint:${cp.headId}:${cp.at}:${a.userId}`,
      })),
    )
    .onConflictDoNothing({ target: notifications.dedupeKey });
}

export type AuditDutiesResult = {
  checkpoint: { headId: number; rows: number } | null;
  verification: { ok: boolean; checked: number; breakCount: number; alerted: number } | null;
};

/**
 * The audit trail's scheduled duties (called from the background jobs): a signed checkpoint of the head
 * every `checkpointEveryMinutes` when the head moved, and a full verification every `verifyEveryHours`
 * that is recorded and, on any break, alerts the admins.
 */
export async function runAuditDuties(db: Db, now: Date, cfg: AuditChainConfig): Promise<AuditDutiesResult> {
  const out: AuditDutiesResult = { checkpoint: null, verification: null };
  if (
    cfg.checkpointKey &&
    cfg.checkpointDir &&
    (await claim(db, "audit.checkpoint", now, cfg.checkpointEveryMinutes * 60_000))
  ) {
    const cp = await takeCheckpoint(db, now, cfg.checkpointKey);
    const [last] = (await readCheckpoints(cfg.checkpointDir)).slice(-1);
    const moved = !last || !("checkpoint" in last) || last.checkpoint.headHash !== cp.headHash;
    if (moved) {
      await appendCheckpoint(cfg.checkpointDir, cp);
      if (cfg.emailConfigured) await mailCheckpoint(db, now, cp);
      out.checkpoint = { headId: cp.headId, rows: cp.rows };
    }
  }
  if (cfg.verifyEveryHours > 0 && (await claim(db, "audit.verify", now, cfg.verifyEveryHours * 3_600_000))) {
    const startedAt = new Date();
    const result = await verifyAuditChain(db, {
      checkpoints: cfg.checkpointDir && cfg.checkpointKey ? await readCheckpoints(cfg.checkpointDir) : [],
      checkpointKey: cfg.checkpointKey,
    });
    const id = await recordVerification(db, { startedAt, finishedAt: new Date(), trigger: "schedule", result });
    const alerted = result.ok ? 0 : await alertAdminsOfBreak(db, now, id, result);
    out.verification = { ok: result.ok, checked: result.checked, breakCount: result.breakCount, alerted };
  }
  return out;
}

/** The newest verification record. */
export async function lastVerification(db: Db) {
  const [v] = await db.select().from(auditVerifications).orderBy(desc(auditVerifications.id)).limit(1);
  return v ?? null;
}

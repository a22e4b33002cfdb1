import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq, sql } from "drizzle-orm";
import { auditEvents, auditVerifications, notifications } from "@/db/schema";
import { hours, minutes } from "@/test/db";
import { tamper } from "@/test/audit-tamper";
import { pimWorld, type PimWorld } from "@/test/fixtures/pim";
import { writeAudit } from "@/lib/pim/audit";
import { readCheckpoints } from "./checkpoint";
import { runAuditDuties, type AuditChainConfig } from "./duties";
import { getAuditStatus } from "@/lib/pim/queries/audit-status";
import { rejects } from "@/test/fixtures/pim";

describe("scheduled checkpoints and verification; admins alerted on a break", () => {
  let w: PimWorld;
  let cfg: AuditChainConfig;
  beforeAll(async () => {
    w = await pimWorld();
    cfg = {
      checkpointKey: "duties-test-key-duties-test-key-0123456789",
      checkpointDir: await mkdtemp(path.join(tmpdir(), "pim-duties-")),
      checkpointEveryMinutes: 60,
      verifyEveryHours: 24,
      emailConfigured: true,
    };
    await w.h.db.transaction((tx) => writeAudit(tx, w.clock.now(), { activity: "Something", operation: "test" }));
  });
  afterAll(async () => w.h.drop());

  it("signs a checkpoint and verifies on the first run, then waits for the intervals", async () => {
    const first = await runAuditDuties(w.h.db, w.clock.now(), cfg);
    expect(first.checkpoint).not.toBeNull();
    expect(first.verification).toMatchObject({ ok: true, breakCount: 0, alerted: 0 });
    w.clock.advance(minutes(10));
    expect(await runAuditDuties(w.h.db, w.clock.now(), cfg)).toEqual({ checkpoint: null, verification: null });
    expect(await readCheckpoints(cfg.checkpointDir!)).toHaveLength(1);
    // The checkpoint went to the admins by email too.
    const mails = await w.h.db.select().from(notifications).where(eq(notifications.eventType, "auditCheckpoint"));
    expect(mails.length).toBeGreaterThan(0);
  });

  it("records a broken chain and alerts every PIM admin", async () => {
    const [last] = await w.h.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
    await tamper(w.h.db, sql`delete from audit_events where id = ${last!.id}`);
    w.clock.advance(hours(25));
    const r = await runAuditDuties(w.h.db, w.clock.now(), cfg);
    expect(r.verification).toMatchObject({ ok: false, breakCount: 1 });
    expect(r.verification!.alerted).toBe(2); // Alice (GA) and Bob (PRA)
    const [v] = await w.h.db.select().from(auditVerifications).orderBy(desc(auditVerifications.id)).limit(1);
    expect(v).toMatchObject({ ok: false, trigger: "schedule", breakCount: 1 });
    expect(v!.breaks[0]).toMatchObject({ kind: "tail-truncated" });
    const alerts = await w.h.db.select().from(notifications).where(eq(notifications.eventType, "auditChainBroken"));
    expect(alerts.map((a) => a.recipientUserId).sort()).toEqual([w.alice!.id, w.bob!.id].sort());
    expect(alerts[0]!.subject).toBe("PIM: audit chain verification found 1 break");
  });

  it("the Activity page's status panel reads the head and the last verification, for PIM readers only", async () => {
    const admin = { id: w.alice!.id, type: "User" as const, displayName: "Alice Admin" };
    await w.h.db.transaction((tx) => writeAudit(tx, w.clock.now(), { activity: "Newest", operation: "test" }));
    const [newest] = await w.h.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
    const status = await getAuditStatus(w.ctx, admin);
    expect(status.head).toEqual({ id: newest!.id, hash: newest!.hash, at: newest!.createdAt });
    expect(status.lastVerification).toMatchObject({ ok: false, breakCount: 1, trigger: "schedule" });
    expect(status.lastVerification?.firstBreak).toMatch(/deleted from the end/);
    const [nobody] = await w.d.users("Nobody Special");
    await rejects(getAuditStatus(w.ctx, { id: nobody!.id, type: "User", displayName: "Nobody" }), "Forbidden");
  });
});

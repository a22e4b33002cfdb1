import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { asc, sql } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import { createTestDb } from "@/test/db";
import { tamper } from "@/test/audit-tamper";
import { chainAuditRows, GENESIS_HASH, verifyAuditChain, writeAuditRows } from "@/lib/pim/audit";
import { appendCheckpoint, CHECKPOINT_FILE, readCheckpoints, takeCheckpoint } from "./checkpoint";

const KEY = "test-checkpoint-key-0123456789abcdef-0123456789";
const now = new Date("2026-11-22T10:00:00Z");

describe("verifyAuditChain lists every break; checkpoints catch truncation and re-hashing (finding 2)", () => {
  let h: Awaited<ReturnType<typeof createTestDb>>;
  let dir: string;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h.drop());
  beforeEach(async () => {
    await tamper(h.db, sql`truncate audit_events restart identity`);
    dir = await mkdtemp(path.join(tmpdir(), "pim-cp-"));
    await h.db.transaction((tx) =>
      writeAuditRows(
        tx,
        now,
        Array.from({ length: 10 }, (_, i) => ({
          activity: `Row ${i + 1}`,
          operation: "test",
          actor: {
            id: "22222222-2222-4222-8222-222222222222",
            type: "User" as const,
            displayName: "Ann",
            userAgent: "Firefox",
          },
          target: { id: "33333333-3333-4333-8333-333333333333", type: "User" as const, name: "Ben" },
        })),
      ),
    );
  });
  const verify = async () =>
    verifyAuditChain(h.db, { batch: 3, checkpoints: await readCheckpoints(dir), checkpointKey: KEY });
  const ids = async () =>
    (await h.db.select({ id: auditEvents.id }).from(auditEvents)).map((r) => r.id).sort((a, b) => a - b);

  it("an intact chain with its checkpoint verifies", async () => {
    await appendCheckpoint(dir, await takeCheckpoint(h.db, now, KEY));
    expect(await verify()).toMatchObject({ ok: true, checked: 10, checkpointsChecked: 1, breakCount: 0 });
  });

  it("finds edits to columns the old hash left out (user_agent, actor_type, target_type), every one of them", async () => {
    const [a, , c, , e] = await ids();
    await tamper(h.db, sql`update audit_events set user_agent = 'forged' where id = ${a}`);
    await tamper(h.db, sql`update audit_events set actor_type = 'ServicePrincipal' where id = ${c}`);
    await tamper(h.db, sql`update audit_events set target_type = 'Group' where id = ${e}`);
    const v = await verify();
    expect(v.ok).toBe(false);
    expect(v.breaks.map((b) => [b.kind, b.rowId])).toEqual([
      ["row-edited", a],
      ["row-edited", c],
      ["row-edited", e],
    ]);
    expect(v.brokenAt).toBe(a);
  });

  it("finds deleted middle rows", async () => {
    const list = await ids();
    await tamper(h.db, sql`delete from audit_events where id in (${list[3]}, ${list[4]})`);
    const v = await verify();
    expect(v.breaks.map((b) => [b.kind, b.rowId])).toEqual([["chain-link", list[5]]]);
  });

  it("finds a whole chain re-hashed after an edit, against the checkpoint taken before", async () => {
    await appendCheckpoint(dir, await takeCheckpoint(h.db, now, KEY));
    const first = (await ids())[1]!;
    await tamper(h.db, sql`update audit_events set justification = 'nothing to see' where id = ${first}`);
    // The attacker recomputes every hash with the public function: per-row checks pass again.
    const rows = await h.db.select().from(auditEvents).orderBy(asc(auditEvents.id));
    const { rows: rehashed } = chainAuditRows(GENESIS_HASH, rows);
    await tamper(h.db, sql`delete from audit_events`);
    await h.db.insert(auditEvents).values(rehashed);
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
    const v = await verify();
    expect(v.ok).toBe(false);
    expect(v.breaks.map((b) => b.kind)).toEqual(["checkpoint-mismatch"]);
  });

  it("finds the newest rows deleted (tail truncation), against the last checkpoint", async () => {
    await appendCheckpoint(dir, await takeCheckpoint(h.db, now, KEY));
    const list = await ids();
    await tamper(h.db, sql`delete from audit_events where id >= ${list[7]}`);
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
    const v = await verify();
    expect(v.breaks).toEqual([expect.objectContaining({ kind: "tail-truncated", rowId: list[9] })]);
  });

  it("finds a deleted middle row re-hashed away, by the count a checkpoint signed", async () => {
    await appendCheckpoint(dir, await takeCheckpoint(h.db, now, KEY));
    const list = await ids();
    await tamper(h.db, sql`delete from audit_events where id = ${list[2]}`);
    const rows = await h.db.select().from(auditEvents).orderBy(asc(auditEvents.id));
    await tamper(h.db, sql`delete from audit_events`);
    await h.db.insert(auditEvents).values(chainAuditRows(GENESIS_HASH, rows).rows);
    const kinds = (await verify()).breaks.map((b) => b.kind).sort();
    expect(kinds).toEqual(["checkpoint-mismatch", "checkpoint-rows"]);
  });

  it("refuses a forged or altered checkpoint line, and one signed with another key", async () => {
    await appendCheckpoint(dir, await takeCheckpoint(h.db, now, KEY));
    await appendCheckpoint(dir, await takeCheckpoint(h.db, now, "another-key-another-key-another-key-00"));
    const file = path.join(dir, CHECKPOINT_FILE);
    const [line] = (await readFile(file, "utf8")).split("\n");
    const altered = { ...JSON.parse(line!), headId: 1 };
    await writeFile(file, `${await readFile(file, "utf8")}${JSON.stringify(altered)}\nnot json\n`);
    const v = await verify();
    expect(v.breaks.map((b) => b.kind)).toEqual(["checkpoint-invalid", "checkpoint-invalid", "checkpoint-invalid"]);
    expect(v.checkpointsChecked).toBe(1);
  });
});

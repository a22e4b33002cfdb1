import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq, sql } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import { migrateDb, MIGRATIONS_FOLDER } from "@/db/migrate";
import { createTestDb } from "@/test/db";
import { tamper } from "@/test/audit-tamper";
import { verifyAuditChain, writeAudit } from "@/lib/pim/audit";
import { GENESIS_HASH } from "./canonical";
import { legacyHashV1, REANCHOR_OPERATION, type ReanchorDetails } from "./legacy";

/** The migrations up to (not including) the one that introduced hash format 2. */
async function foldersBefore(tag: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "pim-mig-"));
  await cp(MIGRATIONS_FOLDER, dir, { recursive: true });
  const file = path.join(dir, "meta/_journal.json");
  const journal = JSON.parse(await readFile(file, "utf8")) as { entries: { idx: number; tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  journal.entries = journal.entries.slice(0, cut);
  await writeFile(file, JSON.stringify(journal));
  return dir;
}

describe("legacy audit rows are re-anchored with a recorded reason, never rewritten", () => {
  let h: Awaited<ReturnType<typeof createTestDb>>;
  const t = new Date("2026-11-01T08:00:00.000Z");
  beforeAll(async () => {
    h = await createTestDb({ migrationsFolder: await foldersBefore("0005_audit_chain_every_column") });
    // Three rows as the old writer made them; the second held a lone surrogate (stored as U+FFFD).
    let prev = GENESIS_HASH;
    for (const justification of ["fine", "x\uD800y", "fine again"]) {
      const row = {
        eventId: crypto.randomUUID(),
        createdAt: t,
        category: "RoleManagement",
        activity: "Legacy",
        operation: "selfActivate",
        result: "success" as const,
        resultReason: null,
        actorId: null,
        actorType: null,
        actorName: "Ann",
        targetId: null,
        targetType: null,
        targetName: null,
        roleDefinitionId: null,
        roleName: null,
        directoryScopeId: "/",
        requestId: null,
        justification,
        ticketNumber: null,
        ticketSystem: null,
        clientIp: null,
        userAgent: "old browser",
        details: {},
      };
      const hash = legacyHashV1(prev, row);
      await h.db.insert(auditEvents).values({ ...row, prevHash: prev, hash });
      prev = hash;
    }
    await migrateDb(h);
    await h.db.transaction((tx) => writeAudit(tx, t, { activity: "After the upgrade", operation: "test" }));
  });
  afterAll(async () => h.drop());

  it("records which legacy rows were broken and why, in an audit row of its own; the chain verifies", async () => {
    const rows = await h.db.select().from(auditEvents).orderBy(asc(auditEvents.id));
    expect(rows.map((r) => r.operation)).toEqual([
      "selfActivate",
      "selfActivate",
      "selfActivate",
      REANCHOR_OPERATION,
      "test",
    ]);
    const anchor = rows[3]!;
    const d = anchor.details as unknown as ReanchorDetails;
    expect(d).toMatchObject({ fromId: rows[0]!.id, toId: rows[2]!.id, rows: 3, brokenCount: 1 });
    expect(d.brokenRows).toEqual([{ id: rows[1]!.id, reason: expect.stringMatching(/lone surrogate/) }]);
    expect(anchor.prevHash).toBe(rows[2]!.hash);
    expect(rows[1]!.justification).toBe("x\uFFFDy"); // kept as it was, not rewritten
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, checked: 5, legacyRows: 3 });
  });

  it("re-anchors once: running the migrator again adds nothing", async () => {
    await migrateDb(h);
    const anchors = await h.db.select().from(auditEvents).where(eq(auditEvents.operation, REANCHOR_OPERATION));
    expect(anchors).toHaveLength(1);
  });

  it("still finds a later edit to a re-anchored legacy row", async () => {
    const [first] = await h.db.select().from(auditEvents).orderBy(asc(auditEvents.id)).limit(1);
    await tamper(h.db, sql`update audit_events set user_agent = 'edited later' where id = ${first!.id}`);
    const v = await verifyAuditChain(h.db);
    expect(v.breaks.map((b) => b.kind)).toEqual(["legacy-segment"]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDb } from "@/test/db";
import { migrateDb } from "./migrate";
import { writeAudit, verifyAuditChain } from "@/lib/pim/audit";
import { pgErrorMessage } from "@/lib/pim/db-errors";

describe("migrator", () => {
  let h: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h.drop());

  it("is idempotent: a second and third run apply nothing and keep the data", async () => {
    await h.db.execute(sql`insert into directory_settings (id, tenant_name) values (1, 'T')`);
    const before = await h.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    await migrateDb(h);
    await migrateDb(h);
    const after = await h.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const rows = (r: unknown) => (r as { rows?: unknown[] }).rows ?? (r as unknown[]);
    expect(rows(after)).toEqual(rows(before));
    expect((rows(before)[0] as { n: number }).n).toBeGreaterThanOrEqual(2);
    const t = rows(await h.db.execute(sql`select tenant_name from directory_settings`));
    expect(t).toEqual([{ tenant_name: "T" }]);
  });

  it("makes audit rows append-only and hash-chained", async () => {
    const now = new Date("2026-11-22T10:00:00Z");
    await h.db.transaction(async (tx) => {
      await writeAudit(tx, now, { activity: "First", operation: "test", details: { b: 1, a: [2, { z: 1, y: 2 }] } });
      await writeAudit(tx, now, { activity: "Second", operation: "test" });
    });
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, checked: 2 });
    const refused = async (q: Promise<unknown>) =>
      pgErrorMessage(
        await q.then(
          () => null,
          (e: unknown) => e,
        ),
      );
    expect(await refused(h.db.execute(sql`update audit_events set activity = 'forged'`))).toMatch(/append-only/);
    expect(await refused(h.db.execute(sql`delete from audit_events`))).toMatch(/append-only/);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, checked: 2 });
  });
});

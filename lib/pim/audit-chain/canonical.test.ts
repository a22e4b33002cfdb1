import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTableColumns, sql } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import { createTestDb } from "@/test/db";
import { tamper } from "@/test/audit-tamper";
import { rowsOf } from "@/lib/pim/sql-rows";
import { verifyAuditChain, writeAudit, writeAuditRows } from "@/lib/pim/audit";
import { HASHED_COLUMNS, hashAuditRow, storedJson, storedText } from "./canonical";

const now = new Date("2026-11-22T10:00:00.123Z");
const actor = {
  id: "11111111-1111-4111-8111-111111111111",
  type: "User" as const,
  displayName: "Mallory \uD800",
  clientIp: "203.0.113.9",
  userAgent: "curl/8 \uDC00",
};

describe("audit hash covers exactly what is stored", () => {
  let h: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h.drop());

  it("hashes every column of audit_events but the hash itself", () => {
    const columns = Object.keys(getTableColumns(auditEvents)).filter((c) => c !== "hash");
    expect([...HASHED_COLUMNS].sort()).toEqual(columns.sort());
  });

  it("stores and verifies lone surrogates and NUL in every text field and in details (finding 1)", async () => {
    await h.db.transaction(async (tx) => {
      await writeAudit(tx, now, {
        activity: "Add member to role request failed",
        operation: "adminAssign",
        result: "failure",
        resultReason: "bad \uD800 input",
        actor,
        target: { id: actor.id, type: "User", name: "x\uD800y" },
        justification: "x\uD800y",
        ticketNumber: "INC-\uDFFF",
        ticketSystem: "Serv\u0000iceNow",
        details: { note: "a\uDC00b", "k\uD800": 1, nul: "n\u0000l", nested: [{ s: "\uD83D" }] },
      });
    });
    const [row] = rowsOf<{ justification: string; ticket_system: string; details: unknown }>(
      await h.db.execute(sql`select justification, ticket_system, details from audit_events order by id desc limit 1`),
    );
    expect(row?.justification).toBe("x\uFFFDy");
    expect(row?.ticket_system).toBe("Serv\uFFFDiceNow");
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, breakCount: 0 });
  });

  it("is independent of jsonb's key order and number spelling", async () => {
    const details = {
      zz: 1,
      a: 2,
      bbb: { y: [3, { k: 1e21, j: 0.1, i: -0 }], x: null },
      aa: "s",
      skip: undefined,
      when: new Date("2026-01-02T03:04:05.006Z"),
    };
    await h.db.transaction((tx) => writeAudit(tx, now, { activity: "Keys", operation: "test", details }));
    const [stored] = await h.db
      .select()
      .from(auditEvents)
      .orderBy(sql`id desc`)
      .limit(1);
    expect(stored?.details).toEqual(storedJson(details));
    expect(hashAuditRow(stored!)).toBe(stored?.hash);
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });

  it("keeps created_at to the millisecond, so no stored digit is outside the hash", async () => {
    await h.db.transaction((tx) => writeAudit(tx, now, { activity: "Time", operation: "test" }));
    const [r] = rowsOf<{ t: string }>(
      await h.db.execute(sql`select (extract(microseconds from created_at)::bigint % 1000)::text as t
        from audit_events order by id desc limit 1`),
    );
    expect(r?.t).toBe("0");
    // A microsecond edit cannot be stored at all; a millisecond edit is found.
    await tamper(h.db, sql`update audit_events set created_at = created_at + interval '1 microsecond'`);
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
    const [last] = await h.db
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .orderBy(sql`id desc`)
      .limit(1);
    await tamper(
      h.db,
      sql`update audit_events set created_at = created_at + interval '1 millisecond' where id = ${last!.id}`,
    );
    const v = await verifyAuditChain(h.db);
    expect(v.breaks).toEqual([expect.objectContaining({ kind: "row-edited", rowId: last!.id })]);
    await tamper(
      h.db,
      sql`update audit_events set created_at = created_at - interval '1 millisecond' where id = ${last!.id}`,
    );
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });

  it("chains one batch of 2,500 rows (three insert statements) and concurrent writers in id order", async () => {
    await h.db.transaction((tx) =>
      writeAuditRows(
        tx,
        now,
        Array.from({ length: 2500 }, (_, i) => ({ activity: `Batch ${i}`, operation: "test" })),
      ),
    );
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        h.db.transaction((tx) => writeAudit(tx, now, { activity: `Parallel ${i}`, operation: "test", actor })),
      ),
    );
    const v = await verifyAuditChain(h.db, 700);
    expect(v).toMatchObject({ ok: true, breakCount: 0 });
    expect(v.checked).toBe(2500 + 12 + 3);
  });

  it("storedText is what both drivers store", () => {
    expect(storedText("x\uD800y")).toBe("x\uFFFDy");
    expect(storedText("\uD83D\uDE00")).toBe("\uD83D\uDE00");
    expect(storedText("a\u0000b")).toBe("a\uFFFDb");
    expect(Buffer.from(storedText("x\uDC00"), "utf8").toString("utf8")).toBe(Buffer.from("x\uDC00").toString("utf8"));
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGlite, types } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { openDb, type DbHandle } from "./client";
import { PreparedPglite } from "./pglite-prepared";

/** Drizzle's PGlite driver passes these options: dates and intervals as text, rows as arrays. */
const drizzleOptions = {
  rowMode: "array" as const,
  parsers: { [types.TIMESTAMPTZ]: (v: string) => v, [types.TIMESTAMP]: (v: string) => v, [1185]: (v: string) => v },
};

async function preparedNames(pg: PGlite): Promise<string[]> {
  const r = await pg.query<{ name: string }>("select name from pg_prepared_statements order by name");
  return r.rows.map((row) => row.name);
}

describe("PreparedPglite (named prepared statements on the embedded database)", () => {
  let pg: PGlite;
  let prepared: PreparedPglite;

  beforeAll(async () => {
    pg = await PGlite.create();
    prepared = PreparedPglite.of(pg);
    await pg.exec(`
      create table t (id int primary key, name text not null, at timestamptz, tags text[], doc jsonb, n numeric,
                      big bigint, ok boolean, ids uuid[]);
      insert into t values
        (1, 'one', '2026-12-07T10:00:00Z', '{a,b}', '{"k": [1, 2]}', 1.50, 9007199254740993, true,
         '{00000000-0000-4000-8000-000000000001}'),
        (2, 'two', null, '{}', null, null, null, false, null);
    `);
  });
  afterAll(() => pg.close());

  it("gives the same rows, fields and counts as PGlite's query, in both row modes and with Drizzle's parsers", async () => {
    const cases: [string, unknown[]][] = [
      ["select * from t order by id", []],
      ["select * from t where id = $1", [1]],
      ["select * from t where name = any($1) and at < $2", [["one", "two"], new Date("2027-01-01T00:00:00Z")]],
      ["select $1::jsonb -> 'k' as k, $2::text is null as missing", [{ k: [3] }, null]],
      ["select * from t where tags && $1::text[] and big > $2", [["b"], 5n]],
    ];
    for (const [text, params] of cases) {
      for (const options of [undefined, drizzleOptions]) {
        const want = await pg.query(text, params, options);
        const got = await prepared.query(text, params, options);
        expect(got.rows, text).toEqual(want.rows);
        expect(got.fields, text).toEqual(want.fields);
        expect(got.affectedRows, text).toBe(want.affectedRows);
      }
    }
    const update = await prepared.query("update t set name = name where id > $1", [0]);
    expect(update.affectedRows).toBe(2);
    expect(update.rows).toEqual([]);
  });

  it("parses a text once and runs it again by name", async () => {
    const text = "select name from t where id = $1";
    const before = prepared.prepared;
    for (let id = 1; id <= 5; id++) await prepared.query(text, [id % 2 ? 1 : 2]);
    expect(prepared.prepared).toBe(before + 1);
    const named = await pg.query<{ statement: string }>(
      "select statement from pg_prepared_statements where statement = $1",
      [text],
    );
    expect(named.rows).toHaveLength(1);
    expect((await prepared.query<{ name: string }>(text, [2])).rows).toEqual([{ name: "two" }]);
  });

  it("reports a bad statement with PostgreSQL's code and the statement, keeps nothing and goes on", async () => {
    const before = prepared.prepared;
    const err = await prepared.query("selec 1").then(
      () => null,
      (e: unknown) => e as { code?: string; query?: string },
    );
    expect(err?.code).toBe("42601");
    expect(err?.query).toBe("selec 1");
    const missing = await prepared.query("select name, ok from t where id = $1", ["not a number"]).catch((e) => e);
    expect((missing as { code?: string }).code).toBe("22P02");
    expect(prepared.prepared).toBe(before + 1); // the second text parsed; its Bind failed
    expect((await prepared.query<{ n: number }>("select 1 as n")).rows).toEqual([{ n: 1 }]);
  });

  it("parses again when a statement's columns changed under it (DDL since it was parsed)", async () => {
    await pg.exec("create table shape (a int); insert into shape values (1)");
    expect((await prepared.query("select * from shape")).rows).toEqual([{ a: 1 }]);
    await pg.exec("alter table shape add column b text default 'x'");
    expect((await prepared.query("select * from shape")).rows).toEqual([{ a: 1, b: "x" }]);
  });

  it("keeps at most its capacity of statements, closing the least recently used on the server", async () => {
    const db = await PGlite.create();
    try {
      const small = PreparedPglite.of(db, 3);
      expect(PreparedPglite.of(db)).toBe(small); // one cache per database session: names cannot collide
      const texts = [1, 2, 3, 4, 5, 6].map((n) => `select ${n} as n`);
      await small.query(texts[0]!);
      await small.query(texts[1]!);
      await small.query(texts[2]!);
      await small.query(texts[0]!); // now the most recently used
      await small.query(texts[3]!);
      await small.query(texts[4]!);
      expect(small.prepared).toBe(3);
      const names = await preparedNames(db);
      expect(names).toHaveLength(3);
      const kept = await db.query<{ statement: string }>("select statement from pg_prepared_statements");
      expect(kept.rows.map((r) => r.statement).sort()).toEqual([texts[0], texts[3], texts[4]].sort());
    } finally {
      await db.close();
    }
  });

  it("runs a transaction's statements inside it, and nobody else's", async () => {
    await pg.exec("create table ledger (id int primary key)");
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const tx = prepared.transaction(async (t) => {
      await t.query("insert into ledger values ($1)", [1]);
      entered();
      await hold;
      await t.query("insert into ledger values ($1)", [2]);
      return (await t.query<{ n: number }>("select count(*)::int as n from ledger")).rows[0]?.n;
    });
    await inside;
    // a statement from outside waits for the transaction instead of landing in it
    const outside = prepared.query<{ n: number }>("select count(*)::int as n from ledger");
    const rolledBack = prepared
      .transaction(async (t) => {
        await t.query("insert into ledger values ($1)", [3]);
        await t.query("insert into ledger values ($1)", [3]); // duplicate key: the transaction rolls back
      })
      .catch((e: { code?: string }) => e.code);
    release();
    expect(await tx).toBe(2);
    expect((await outside).rows).toEqual([{ n: 2 }]);
    expect(await rolledBack).toBe("23505");
    expect((await prepared.query("select id from ledger order by id")).rows).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("is what Drizzle runs on PGlite: its selects, errors and transactions", async () => {
    const handle: DbHandle = await openDb({ pgliteDir: "memory://" });
    try {
      await handle.db.execute(sql`create table drz (id int primary key, at timestamptz)`);
      await handle.db.execute(sql`insert into drz values (${1}, ${new Date("2026-12-07T10:00:00Z")})`);
      const failed = await handle.db
        .transaction(async (tx) => {
          await tx.execute(sql`insert into drz values (${2}, null)`);
          await tx.execute(sql`insert into drz values (${1}, null)`);
        })
        .catch((e: { cause?: { code?: string } }) => e.cause?.code);
      expect(failed).toBe("23505");
      const rows = await handle.db.execute(sql`select id, at from drz order by id`);
      expect((rows as unknown as { rows: unknown[] }).rows).toEqual([{ id: 1, at: "2026-12-07 10:00:00+00" }]);
    } finally {
      await handle.close();
    }
  });
});

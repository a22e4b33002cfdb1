/**
 * The Activity export's CSV written by the database (`iterateActivityCsv`, `csvLineSql`) is byte for byte the CSV
 * the route wrote from rows in Node (`csvLine(csvRow(toRowView(row, scopeLabeler)))`): formula defusing,
 * quoting, empty and null cells, time format, scope labels, tickets; across keyset batches and pieces.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSV_HEADER, csvRow } from "../filters";
import { toRowView } from "../mapping";
import { demoUsers } from "@/db/demo-directory";
import { administrativeUnits } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { csvLine, csvTextStream } from "@/lib/export/csv";
import { createTestDb, testClock, testCtx, usingPostgres } from "@/test/db";
import { writeAuditRows, type AuditInput } from "@/lib/pim/audit";
import { HELPDESK_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { ACTIVITY_CSV_HEADER, iterateActivity, iterateActivityCsv, scopeLabeler } from "@/lib/pim/queries/activity-log";

const perparim = { id: demoUsers.perparim.id, type: "User" as const, displayName: "Perparim Abdullahu" };
const clock = testClock(new Date("2026-11-22T09:00:00.123Z"));
const AU = "00000000-0000-4000-d000-0000000000a1";
const AU_UNNAMED = "00000000-0000-4000-d000-0000000000a2";
const ROUNDS = 17;
let h: Awaited<ReturnType<typeof createTestDb>>;

const TEXTS = [
  "plain",
  '=HYPERLINK("http://x")',
  "+1",
  "-2",
  "@SUM(A1)",
  "\tTabbed",
  "\rCarriage",
  'He said "hi", then left',
  "two\nlines",
  "cr\r\nlf",
  "",
  null,
  "Zoë, ünïcödé",
  "'already quoted",
  " leading space",
  "a,b",
];
const SCOPES = [
  null,
  "",
  "/",
  `/administrativeUnits/${AU}`,
  `/administrativeUnits/${AU_UNNAMED}`,
  "/administrativeUnits/nope",
];
const TICKETS: [string | null, string | null][] = [
  [null, null],
  ["INC-1", null],
  ["INC-2", "ServiceNow"],
  [null, "Jira"],
  ["", "Jira"],
  ["=1", "+x"],
];

beforeAll(async () => {
  h = await createTestDb();
  await seedDemo(h.db, clock.now());
  await h.db.insert(administrativeUnits).values([
    { id: AU, displayName: 'Sales, "EU"' },
    { id: AU_UNNAMED, displayName: "" },
  ]);
  const rows: AuditInput[] = TEXTS.map((t, i) => ({
    activity: i % 3 ? "Add member to role" : (t ?? "x") || "y",
    operation: "adminAssign",
    actor: i % 4 ? { ...perparim, displayName: t ?? "Nobody" } : null,
    target: i % 5 ? { id: demoUsers.emma.id, type: "User", name: t ?? "" } : null,
    role: { id: HELPDESK_ADMINISTRATOR, name: t ?? "Helpdesk Administrator" },
    directoryScopeId: SCOPES[i % SCOPES.length],
    justification: t,
    ticketNumber: TICKETS[i % TICKETS.length]![0],
    ticketSystem: TICKETS[i % TICKETS.length]![1],
    result: i % 2 ? "failure" : "success",
    resultReason: t,
    requestId: i % 2 ? crypto.randomUUID() : null,
  }));
  // 17 times (272 rows), so that batches of 7 and pieces of 250 lines split them, at times with milliseconds
  for (let k = 0; k < ROUNDS; k++)
    await h.db.transaction((tx) => writeAuditRows(tx, new Date(clock.now().getTime() + k * 1001), rows));
});
afterAll(async () => h.drop());

async function reference(): Promise<string> {
  const ctx = testCtx(h, clock);
  const label = await scopeLabeler(ctx);
  let out = csvLine(CSV_HEADER);
  for await (const r of iterateActivity(ctx, perparim, { view: "resource" }, 7))
    out += csvLine(csvRow(toRowView(r, label)));
  return out;
}

describe("iterateActivityCsv", () => {
  it("writes the same CSV as the rows mapped in Node, across batches", async () => {
    expect(ACTIVITY_CSV_HEADER).toEqual(CSV_HEADER);
    const expected = await reference();
    expect(expected.split("\r\n").length).toBeGreaterThan(ROUNDS * TEXTS.length);
    for (const batch of [7, 2000]) {
      let got = csvLine(ACTIVITY_CSV_HEADER);
      for await (const pieces of iterateActivityCsv(testCtx(h, clock), perparim, { view: "resource" }, batch)) {
        expect(pieces.length).toBe(batch === 7 ? 1 : 2);
        // PostgreSQL hands the database's bytes through (no strings made); PGlite gives strings
        expect(pieces.every((p) => (usingPostgres ? p instanceof Uint8Array : typeof p === "string"))).toBe(true);
        got += pieces.map((p) => (typeof p === "string" ? p : Buffer.from(p).toString("utf8"))).join("");
      }
      expect(got).toBe(expected);
    }
  });

  it("streams it with the BOM, pulling the source as the reader reads", async () => {
    let steps = 0;
    const source = iterateActivityCsv(testCtx(h, clock), perparim, { view: "resource" }, 7);
    async function* counted() {
      for await (const p of source) {
        steps++;
        yield p;
      }
    }
    const reader = csvTextStream(ACTIVITY_CSV_HEADER, counted()).getReader();
    const head = await reader.read();
    expect(steps).toBeLessThanOrEqual(2); // the step in hand and at most one ahead, of 7
    const chunks: Uint8Array[] = [head.value!];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(Buffer.concat(chunks));
    expect(text).toBe("\uFEFF" + (await reference()));
    expect(steps).toBe(Math.ceil((ROUNDS * TEXTS.length) / 7));
  });

  it("refuses the resource audit to someone who is not a PIM admin or reader, before any row", async () => {
    const alex = { id: demoUsers.alex.id, type: "User" as const, displayName: "Alex Johnson" };
    await expect(iterateActivityCsv(testCtx(h, clock), alex, { view: "resource" }).next()).rejects.toMatchObject({
      code: "Forbidden",
    });
  });
});

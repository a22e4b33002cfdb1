import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { userMfa } from "@/db/schema";
import { createTestDb, minutes, testClock } from "@/test/db";
import { createDirectory, type TestUser } from "@/test/fixtures/directory";
import {
  beginEnrolment,
  confirmEnrolment,
  getMfaStatus,
  matchStep,
  mfaMessage,
  normalizeCode,
  totpCode,
  verifyTotp,
  type MfaCtx,
} from "./mfa";
import { decryptSecret, encryptSecret } from "./secret-box";

const SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const STEP_MS = 30_000;
// Middle of a 30 s step, so ±1 step neighbours are exact.
const T0 = new Date(Math.floor(Date.parse("2026-11-22T09:00:00Z") / STEP_MS) * STEP_MS + 10_000);

let h: Awaited<ReturnType<typeof createTestDb>>;
let d: Awaited<ReturnType<typeof createDirectory>>;
let clock: ReturnType<typeof testClock>;
let ctx: MfaCtx;
let user: TestUser;

beforeAll(async () => {
  h = await createTestDb();
  d = await createDirectory(h.db);
});
afterAll(async () => h.drop());

beforeEach(async () => {
  clock = testClock(T0);
  ctx = { db: h.db, now: clock.now };
  user = await d.user("Sophia Davis");
  await h.db.insert(userMfa).values({ userId: user.id, secretEncrypted: encryptSecret(SECRET), enrolledAt: T0 });
});

const codeAt = (ms: number) => totpCode(SECRET, new Date(T0.getTime() + ms));
const row = async () => (await h.db.select().from(userMfa).where(eq(userMfa.userId, user.id)))[0]!;

describe("TOTP verification", () => {
  it("accepts the current code, and codes one step before and after (clock drift), but not two steps", async () => {
    expect(matchStep(SECRET, codeAt(0), T0)).toBe(Math.floor(T0.getTime() / STEP_MS));
    expect(matchStep(SECRET, codeAt(-STEP_MS), T0)).not.toBeNull();
    expect(matchStep(SECRET, codeAt(STEP_MS), T0)).not.toBeNull();
    expect(matchStep(SECRET, codeAt(-2 * STEP_MS), T0)).toBeNull();
    expect(matchStep(SECRET, codeAt(2 * STEP_MS), T0)).toBeNull();

    expect(await verifyTotp(ctx, user.id, codeAt(-STEP_MS))).toMatchObject({ ok: true });
    const r = await verifyTotp(ctx, user.id, codeAt(-2 * STEP_MS));
    expect(r).toMatchObject({ ok: false, reason: "invalid", attemptsLeft: 4 });
  });

  it("accepts a code at most once, and refuses an older step after a newer one was used", async () => {
    expect(await verifyTotp(ctx, user.id, codeAt(0))).toMatchObject({ ok: true });
    const again = await verifyTotp(ctx, user.id, codeAt(0));
    expect(again).toEqual({ ok: false, reason: "reused" });
    expect(mfaMessage(again as Exclude<typeof again, { ok: true }>)).toBe(
      "That code was already used. Wait for the next code.",
    );
    expect(await verifyTotp(ctx, user.id, codeAt(-STEP_MS))).toEqual({ ok: false, reason: "reused" });
    // The next step is fine (still within the drift window).
    expect(await verifyTotp(ctx, user.id, codeAt(STEP_MS))).toMatchObject({ ok: true });
    expect((await row()).failedAttempts).toBe(0);
  });

  it("two concurrent submissions of the same code: exactly one passes", async () => {
    const code = codeAt(0);
    const results = await Promise.all(Array.from({ length: 6 }, () => verifyTotp(ctx, user.id, code)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "reused")).toHaveLength(5);
  });

  it("locks MFA for 15 minutes after 5 wrong codes, refuses even a right code while locked, then lets the person in", async () => {
    for (let i = 1; i <= 4; i++) {
      expect(await verifyTotp(ctx, user.id, "000000")).toMatchObject({
        ok: false,
        reason: "invalid",
        attemptsLeft: 5 - i,
      });
    }
    const fifth = await verifyTotp(ctx, user.id, "000000");
    expect(fifth).toEqual({ ok: false, reason: "locked", lockedUntil: new Date(T0.getTime() + minutes(15)) });
    expect(mfaMessage(fifth as Exclude<typeof fifth, { ok: true }>)).toMatch(
      /^Too many wrong codes\. Try again after 09:15 UTC\.$/,
    );

    clock.advance(minutes(14));
    const during = await verifyTotp(ctx, user.id, totpCode(SECRET, clock.now()));
    expect(during).toMatchObject({ ok: false, reason: "locked" });
    expect((await getMfaStatus(ctx, user.id)).lockedUntil).not.toBeNull();

    clock.advance(minutes(1));
    expect(await verifyTotp(ctx, user.id, totpCode(SECRET, clock.now()))).toMatchObject({ ok: true });
    expect(await row()).toMatchObject({ failedAttempts: 0, lockedUntil: null });
  });

  it("a success resets the failure count", async () => {
    for (let i = 0; i < 4; i++) await verifyTotp(ctx, user.id, "111111");
    expect((await row()).failedAttempts).toBe(4);
    expect(await verifyTotp(ctx, user.id, codeAt(0))).toMatchObject({ ok: true });
    expect((await row()).failedAttempts).toBe(0);
    // Four more failures do not lock (the count started again).
    for (let i = 0; i < 4; i++) await verifyTotp(ctx, user.id, "111111");
    expect((await getMfaStatus(ctx, user.id)).lockedUntil).toBeNull();
  });

  it("after a lock expires, the count starts again from one", async () => {
    for (let i = 0; i < 5; i++) await verifyTotp(ctx, user.id, "222222");
    clock.advance(minutes(16));
    expect(await verifyTotp(ctx, user.id, "222222")).toMatchObject({ ok: false, reason: "invalid", attemptsLeft: 4 });
  });

  it("malformed input is refused without counting; '123 456' is read as 123456", async () => {
    expect(normalizeCode("123 456")).toBe("123456");
    expect(normalizeCode("12345")).toBeNull();
    expect(await verifyTotp(ctx, user.id, "abc")).toEqual({ ok: false, reason: "malformed" });
    expect((await row()).failedAttempts).toBe(0);
  });

  it("uses the wall clock for codes when it differs from the server clock", async () => {
    const shifted: MfaCtx = { db: h.db, now: () => new Date(T0.getTime() + minutes(60)), totpNow: () => T0 };
    expect(await verifyTotp(shifted, user.id, codeAt(0))).toMatchObject({ ok: true });
  });
});

describe("enrolment", () => {
  it("stores a pending secret encrypted, confirms with a first code, and that code cannot be used again", async () => {
    const fresh = await d.user("New Person");
    const e = await beginEnrolment(ctx, fresh.id);
    expect(e.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(e.otpauthUri).toMatch(/^otpauth:\/\/totp\/PIM%20Portal:new\.person.*secret=/);
    expect(e.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const [stored] = await h.db.select().from(userMfa).where(eq(userMfa.userId, fresh.id));
    expect(stored?.pendingSecretEncrypted).not.toContain(e.secret);
    expect(decryptSecret(stored!.pendingSecretEncrypted!)).toBe(e.secret);
    // Resuming shows the same secret.
    expect((await beginEnrolment(ctx, fresh.id)).secret).toBe(e.secret);
    expect((await getMfaStatus(ctx, fresh.id)).enrolled).toBe(false);

    expect(await confirmEnrolment(ctx, fresh.id, "000000")).toMatchObject({ ok: false, reason: "invalid" });
    const code = totpCode(e.secret, clock.now());
    expect(await confirmEnrolment(ctx, fresh.id, code)).toMatchObject({ ok: true });
    expect(await getMfaStatus(ctx, fresh.id)).toMatchObject({ enrolled: true, pending: false });
    expect(await verifyTotp(ctx, fresh.id, code)).toEqual({ ok: false, reason: "reused" });
    await expect(beginEnrolment(ctx, fresh.id)).rejects.toThrow(/Already enrolled/);
  });
});

describe("secret box", () => {
  it("round-trips, uses a fresh IV each time, and detects tampering and a wrong key", () => {
    const a = encryptSecret(SECRET);
    const b = encryptSecret(SECRET);
    expect(a).not.toBe(b);
    expect(decryptSecret(a)).toBe(SECRET);
    const [v, iv, tag, ct] = a.split(".") as [string, string, string, string];
    const flipped = ct.slice(0, -2) + (ct.at(-2) === "A" ? "B" : "A") + ct.slice(-1);
    expect(() => decryptSecret([v, iv, tag, flipped].join("."))).toThrow();
    expect(() => decryptSecret([v, iv, tag.split("").reverse().join(""), ct].join("."))).toThrow();
    expect(() => decryptSecret(a, "another-secret-another-secret-another-secret")).toThrow();
    expect(() => decryptSecret("v2.x.y.z")).toThrow(/Unrecognised/);
  });
});

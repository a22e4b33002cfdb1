/**
 * Issue 12 finding 5: the password lockout was a lever against others (anyone's 10 wrong passwords locked
 * the owner out, the break-glass admin included) and told which names exist (unknown names never locked).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signInEvents, users } from "@/db/schema";
import { createTestDb } from "@/test/db";
import { createDirectory } from "@/test/fixtures/directory";
import { checkPassword, LOCKOUT_THRESHOLD } from "./identify";
import { hashPassword } from "./password";

const work = vi.hoisted(() => ({ verify: [] as string[] }));
vi.mock("./password", async (importOriginal) => {
  const real = await importOriginal<typeof import("./password")>();
  return {
    ...real,
    verifyPassword: async (encoded: string | null | undefined, plain: string) => {
      work.verify.push(encoded?.startsWith("$argon2id$") ? "argon2id" : String(encoded));
      return real.verifyPassword(encoded, plain);
    },
  };
});

let h: Awaited<ReturnType<typeof createTestDb>>;
let d: Awaited<ReturnType<typeof createDirectory>>;
beforeAll(async () => {
  h = await createTestDb();
  d = await createDirectory(h.db);
});
afterAll(async () => h.drop());

const HOME = { clientIp: "198.51.100.7", userAgent: "Owner's browser" };
const STRANGER = { clientIp: "203.0.113.66", userAgent: "curl/8" };
const OTHER_STRANGER = { clientIp: "192.0.2.10", userAgent: "python" };
const T0 = new Date("2026-11-25T10:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);

async function personWithPassword(name: string, password: string) {
  const u = await d.user(name);
  await h.db
    .update(users)
    .set({ passwordHash: await hashPassword(password) })
    .where(eq(users.id, u.id));
  return u;
}

describe("smart lockout per account and source", () => {
  it("a stranger's wrong passwords do not lock the owner out where they always sign in", async () => {
    const owner = await personWithPassword("Perparim Breakglass", "owner's right password");
    // The owner has signed in from home before: home is a familiar source.
    expect(await checkPassword(h.db, owner.userPrincipalName, "owner's right password", T0, HOME)).toEqual({
      ok: true,
      userId: owner.id,
    });
    // A stranger guesses 15 times: locked, on the stranger's side.
    const answers = [];
    for (let i = 0; i < 15; i++)
      answers.push(await checkPassword(h.db, owner.userPrincipalName, `guess ${i}`, at(1), STRANGER));
    expect(answers.slice(0, LOCKOUT_THRESHOLD - 1).every((a) => !a.ok && a.reason === "invalid")).toBe(true);
    expect(answers.slice(LOCKOUT_THRESHOLD - 1).every((a) => !a.ok && a.reason === "locked")).toBe(true);
    // Even the right password from the stranger's side is refused while locked...
    expect(await checkPassword(h.db, owner.userPrincipalName, "owner's right password", at(2), STRANGER)).toMatchObject(
      {
        ok: false,
        reason: "locked",
      },
    );
    // ...and every other unfamiliar address shares that counter (guessing from many addresses meets one limit).
    expect(await checkPassword(h.db, owner.userPrincipalName, "guess x", at(2), OTHER_STRANGER)).toMatchObject({
      ok: false,
      reason: "locked",
    });
    // The owner, at home, gets in.
    expect(await checkPassword(h.db, owner.userPrincipalName, "owner's right password", at(3), HOME)).toEqual({
      ok: true,
      userId: owner.id,
    });
  });

  it("the owner's own wrong passwords at home lock home only", async () => {
    const u = await personWithPassword("Hana Home", "hana's right password");
    await checkPassword(h.db, u.userPrincipalName, "hana's right password", T0, HOME);
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++)
      await checkPassword(h.db, u.userPrincipalName, `typo ${i}`, at(1), HOME);
    expect(await checkPassword(h.db, u.userPrincipalName, "hana's right password", at(2), HOME)).toMatchObject({
      reason: "locked",
      lockedUntil: at(61),
    });
    expect(await checkPassword(h.db, u.userPrincipalName, "hana's right password", at(2), STRANGER)).toEqual({
      ok: true,
      userId: u.id,
    });
  });

  it("unknown and known names answer alike, attempt by attempt, and do the same password hash work", async () => {
    const known = await personWithPassword("Kim Known", "kim's right password");
    const seq = async (name: string) => {
      work.verify = [];
      const out = [];
      for (let i = 0; i < LOCKOUT_THRESHOLD + 2; i++)
        out.push(await checkPassword(h.db, name, `guess ${i}`, T0, STRANGER));
      return { out, verify: work.verify };
    };
    const k = await seq(known.userPrincipalName);
    const u = await seq("no.such.person@contoso.test");
    expect(u.out).toEqual(k.out);
    expect(k.out.at(-1)).toEqual({ ok: false, reason: "locked", lockedUntil: at(60) });
    // Every attempt verified an Argon2id hash, for the unknown name too (a dummy one).
    expect(k.verify).toEqual(Array(LOCKOUT_THRESHOLD + 2).fill("argon2id"));
    expect(u.verify).toEqual(k.verify);
  });

  it("every attempt is in the sign-in log with source address and user agent", async () => {
    const u = await personWithPassword("Lou Logged", "lou's right password");
    await checkPassword(h.db, u.userPrincipalName, "wrong", T0, STRANGER);
    await checkPassword(h.db, u.userPrincipalName, "lou's right password", at(1), HOME);
    const rows = await h.db
      .select({
        result: signInEvents.result,
        reason: signInEvents.reason,
        ip: signInEvents.clientIp,
        ua: signInEvents.userAgent,
      })
      .from(signInEvents)
      .where(eq(signInEvents.userId, u.id))
      .orderBy(signInEvents.id);
    expect(rows).toEqual([
      { result: "failure", reason: "Wrong password", ip: STRANGER.clientIp, ua: STRANGER.userAgent },
      { result: "success", reason: null, ip: HOME.clientIp, ua: HOME.userAgent },
    ]);
  });
});

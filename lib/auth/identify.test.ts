import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInLockouts, users } from "@/db/schema";
import { createTestDb } from "@/test/db";
import { createDirectory } from "@/test/fixtures/directory";
import { checkPassword, lockDurationMs, LOCKOUT_THRESHOLD, matchOidcUser } from "./identify";
import { hashPassword } from "./password";
import { safeReturnTo } from "./return-to";

let h: Awaited<ReturnType<typeof createTestDb>>;
let d: Awaited<ReturnType<typeof createDirectory>>;
const ISSUER = "http://127.0.0.1:3191";

beforeAll(async () => {
  h = await createTestDb();
  d = await createDirectory(h.db);
});
afterAll(async () => h.drop());

const counters = (account: string) =>
  h.db
    .select({
      source: signInLockouts.source,
      failures: signInLockouts.failures,
      lockedUntil: signInLockouts.lockedUntil,
    })
    .from(signInLockouts)
    .where(eq(signInLockouts.account, account));

describe("password sign-in", () => {
  it("accepts the UPN or the email in any case, refuses wrong passwords and unknown names alike", async () => {
    const u = await d.user("Sophia Davis", { mail: "Sophia.Davis@Mail.Example" });
    await h.db
      .update(users)
      .set({ passwordHash: await hashPassword("correct horse battery") })
      .where(eq(users.id, u.id));
    expect(await checkPassword(h.db, u.userPrincipalName.toUpperCase(), "correct horse battery")).toEqual({
      ok: true,
      userId: u.id,
    });
    expect(await checkPassword(h.db, "  sophia.davis@mail.example ", "correct horse battery")).toEqual({
      ok: true,
      userId: u.id,
    });
    expect(await checkPassword(h.db, u.userPrincipalName, "Correct horse battery")).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await checkPassword(h.db, "nobody@contoso.test", "correct horse battery")).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await checkPassword(h.db, u.userPrincipalName, "")).toEqual({ ok: false, reason: "invalid" });
  });

  it("a disabled account is told so only when the password is right; no password hash means no password sign-in", async () => {
    const u = await d.user("Dana Disabled", { accountEnabled: false });
    await h.db
      .update(users)
      .set({ passwordHash: await hashPassword("right password 1") })
      .where(eq(users.id, u.id));
    expect(await checkPassword(h.db, u.userPrincipalName, "right password 1")).toEqual({
      ok: false,
      reason: "disabled",
    });
    expect(await checkPassword(h.db, u.userPrincipalName, "wrong password 1")).toEqual({
      ok: false,
      reason: "invalid",
    });
    const sso = await d.user("Only Sso");
    expect(await checkPassword(h.db, sso.userPrincipalName, "anything at all")).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("smart lockout: 10 wrong passwords lock for 1 minute, even the right one is refused; the lock doubles; success resets", async () => {
    const u = await d.user("Lara Lockout");
    await h.db
      .update(users)
      .set({ passwordHash: await hashPassword("right password 2") })
      .where(eq(users.id, u.id));
    const t0 = new Date("2026-11-25T10:00:00Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    for (let i = 1; i < LOCKOUT_THRESHOLD; i++)
      expect(await checkPassword(h.db, u.userPrincipalName, `guess ${i}`, t0)).toEqual({
        ok: false,
        reason: "invalid",
      });
    expect(await checkPassword(h.db, u.userPrincipalName, "guess 10", t0)).toEqual({
      ok: false,
      reason: "locked",
      lockedUntil: at(60),
    });
    // locked: the right password does not get in, and guesses during the lock do not extend it
    expect(await checkPassword(h.db, u.userPrincipalName, "right password 2", at(30))).toEqual({
      ok: false,
      reason: "locked",
      lockedUntil: at(60),
    });
    expect(await checkPassword(h.db, u.userPrincipalName, "guess 11", at(59))).toEqual({
      ok: false,
      reason: "locked",
      lockedUntil: at(60),
    });
    // after the lock, one more wrong password locks again for twice as long
    expect(await checkPassword(h.db, u.userPrincipalName, "guess 12", at(60))).toEqual({
      ok: false,
      reason: "locked",
      lockedUntil: at(180),
    });
    expect(await checkPassword(h.db, u.userPrincipalName, "right password 2", at(180))).toEqual({
      ok: true,
      userId: u.id,
    });
    expect(await counters(`user:${u.id}`)).toEqual([]);
    // the count starts again from zero
    expect(await checkPassword(h.db, u.userPrincipalName, "guess again", at(181))).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("parallel wrong guesses each count (no lost updates)", async () => {
    const u = await d.user("Paula Parallel");
    await h.db
      .update(users)
      .set({ passwordHash: await hashPassword("right password 3") })
      .where(eq(users.id, u.id));
    const now = new Date("2026-11-25T11:00:00Z");
    await Promise.all(
      Array.from({ length: LOCKOUT_THRESHOLD }, (_, i) =>
        checkPassword(h.db, u.userPrincipalName, `parallel ${i}`, now),
      ),
    );
    expect(await counters(`user:${u.id}`)).toEqual([
      { source: "unknown", failures: LOCKOUT_THRESHOLD, lockedUntil: new Date(now.getTime() + 60_000) },
    ]);
  });

  it("lock durations: none below the threshold, then 1, 2, 4 … minutes, at most 30", () => {
    expect(lockDurationMs(LOCKOUT_THRESHOLD - 1)).toBe(0);
    expect([10, 11, 12, 13, 14, 15, 40].map((n) => lockDurationMs(n) / 60_000)).toEqual([1, 2, 4, 8, 16, 30, 30]);
  });
});

describe("OIDC identities", () => {
  it("matches by email the first time, links issuer+subject, then matches by subject even if the email changes", async () => {
    const u = await d.user("Alex Johnson", { mail: "alex@corp.example" });
    expect(
      await matchOidcUser(h.db, {
        issuer: ISSUER,
        subject: "sub-alex",
        email: "ALEX@corp.example",
        emailVerified: true,
      }),
    ).toEqual({ ok: true, userId: u.id });
    const [row] = await h.db.select().from(users).where(eq(users.id, u.id));
    expect(row).toMatchObject({ oidcIssuer: ISSUER, oidcSubject: "sub-alex" });
    expect(
      await matchOidcUser(h.db, {
        issuer: ISSUER,
        subject: "sub-alex",
        email: "alex.new@corp.example",
        emailVerified: true,
      }),
    ).toEqual({ ok: true, userId: u.id });
    // Another subject claiming the same email cannot take over the linked account.
    expect(
      await matchOidcUser(h.db, {
        issuer: ISSUER,
        subject: "sub-mallory",
        email: "alex@corp.example",
        emailVerified: true,
      }),
    ).toEqual({ ok: false, reason: "conflict" });
  });

  it("never links by a claim the person could set: unverified email, or a username the deployment does not trust", async () => {
    const v = await d.user("Vera Victim", { mail: "vera@corp.example" });
    expect(
      await matchOidcUser(h.db, {
        issuer: ISSUER,
        subject: "sub-attacker",
        email: "vera@corp.example",
        emailVerified: false,
      }),
    ).toEqual({ ok: false, reason: "unknown" });
    expect(await matchOidcUser(h.db, { issuer: ISSUER, subject: "sub-attacker", email: "vera@corp.example" })).toEqual({
      ok: false,
      reason: "unknown",
    });
    expect(
      await matchOidcUser(h.db, { issuer: ISSUER, subject: "sub-attacker", preferredUsername: v.userPrincipalName }),
    ).toEqual({ ok: false, reason: "unknown" });
    const [row] = await h.db.select().from(users).where(eq(users.id, v.id));
    expect(row?.oidcSubject).toBeNull();
  });

  it("matches preferred_username against the UPN when trusted; refuses unknown and disabled people", async () => {
    const u = await d.user("Emma Smith");
    expect(
      await matchOidcUser(h.db, {
        issuer: ISSUER,
        subject: "sub-emma",
        preferredUsername: u.userPrincipalName,
        trustUsername: true,
      }),
    ).toEqual({ ok: true, userId: u.id });
    expect(
      await matchOidcUser(h.db, {
        issuer: ISSUER,
        subject: "sub-x",
        email: "stranger@elsewhere.example",
        emailVerified: true,
      }),
    ).toEqual({ ok: false, reason: "unknown" });
    expect(await matchOidcUser(h.db, { issuer: ISSUER, subject: "sub-y" })).toEqual({ ok: false, reason: "unknown" });
    const off = await d.user("Off Person", { accountEnabled: false });
    expect(
      await matchOidcUser(h.db, {
        issuer: ISSUER,
        subject: "sub-off",
        email: off.userPrincipalName,
        emailVerified: true,
      }),
    ).toEqual({ ok: false, reason: "disabled" });
    await h.db.update(users).set({ accountEnabled: false }).where(eq(users.id, u.id));
    expect(await matchOidcUser(h.db, { issuer: ISSUER, subject: "sub-emma" })).toEqual({
      ok: false,
      reason: "disabled",
    });
  });
});

describe("returnTo", () => {
  it("keeps same-site paths and drops everything else", () => {
    expect(safeReturnTo("/my-roles?activate=abc")).toBe("/my-roles?activate=abc");
    expect(safeReturnTo("/overview")).toBe("/overview");
    for (const bad of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      "/sign-in",
      "/mfa?x=1",
      "/api/auth/signout",
      "",
      null,
      "overview",
      // dot segments and encoded dots that URL parsing turns into "//evil.example"
      "/.//evil.example",
      "/a/..//evil.example",
      "/%2e//evil.example",
      "/%2E%2E//evil.example/x",
      "/./%2e/..//evil.example",
    ]) {
      expect(safeReturnTo(bad), String(bad)).toBeNull();
    }
  });
});

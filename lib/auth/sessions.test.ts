import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditEvents, authSessions, userMfa, users } from "@/db/schema";
import {
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { verifyAuditChain } from "@/lib/pim/audit";
import { createTestDb, hours, minutes, testClock, testCtx } from "@/test/db";
import { createDirectory } from "@/test/fixtures/directory";
import { getMfaStatus, totpCode, verifyTotp } from "./mfa";
import { resetUserMfa } from "@/lib/pim/use-cases/reset-user-mfa";
import { encryptSecret } from "./secret-box";
import {
  claimRotatedSession,
  createSession,
  currentSessionId,
  loadValidSession,
  revokeSession,
  rotateSessionAfterMfa,
} from "./sessions";

let h: Awaited<ReturnType<typeof createTestDb>>;
let d: Awaited<ReturnType<typeof createDirectory>>;

beforeAll(async () => {
  h = await createTestDb();
  d = await createDirectory(h.db);
});
afterAll(async () => h.drop());

describe("server-side sessions", () => {
  it("a new session owes MFA; rotation after MFA makes a new row and revokes the old one", async () => {
    const ctx = testCtx(h, testClock());
    const u = await d.user("Sophia Davis");
    const first = await createSession(ctx, {
      userId: u.id,
      maxAgeMs: hours(12),
      method: "password",
      clientIp: "10.0.0.1",
    });
    expect(await loadValidSession(ctx, first.id)).toMatchObject({ userId: u.id, mfaAt: null, method: "password" });

    ctx.clock.advance(minutes(1));
    const second = await rotateSessionAfterMfa(ctx, first.id);
    expect(second).not.toBeNull();
    expect(second!.id).not.toBe(first.id);
    expect(second!.mfaAt).toEqual(ctx.now());
    expect(second!.expiresAt).toEqual(first.expiresAt);
    const [old] = await h.db.select().from(authSessions).where(eq(authSessions.id, first.id));
    expect(old).toMatchObject({ revokedAt: ctx.now(), replacedBy: second!.id });
    expect(await loadValidSession(ctx, first.id)).toBeNull();
    expect(await loadValidSession(ctx, second!.id)).toMatchObject({ mfaAt: ctx.now() });

    // Issue 12 finding 6: the old (password-only) token is worthless the moment MFA completes. An ordinary
    // update does not follow replaced_by (it used to, for 2 minutes); only the request that rotated, naming
    // the new row, gets the new token.
    expect(await currentSessionId(ctx, first.id)).toBeNull();
    expect(await currentSessionId(ctx, second!.id)).toBe(second!.id);
    expect(await claimRotatedSession(ctx, first.id, second!.id)).toBe(second!.id);
    const stranger = await createSession(ctx, { userId: u.id, maxAgeMs: hours(1), method: "password" });
    expect(await claimRotatedSession(ctx, first.id, stranger.id)).toBeNull(); // not the row that replaced it
    expect(await claimRotatedSession(ctx, second!.id, second!.id)).toBeNull(); // a live row is not "replaced"

    // A revoked session cannot be rotated again.
    expect(await rotateSessionAfterMfa(ctx, first.id)).toBeNull();
  });

  it("two concurrent rotations of one session: one new row", async () => {
    const ctx = testCtx(h, testClock());
    const u = await d.user("Alex Johnson");
    const s = await createSession(ctx, { userId: u.id, maxAgeMs: hours(1), method: "password" });
    const results = await Promise.all([
      rotateSessionAfterMfa(ctx, s.id),
      rotateSessionAfterMfa(ctx, s.id),
      rotateSessionAfterMfa(ctx, s.id),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const rows = await h.db.select().from(authSessions).where(eq(authSessions.userId, u.id));
    expect(rows).toHaveLength(2);
  });

  it("expiry, sign-out and a disabled account end a session", async () => {
    const ctx = testCtx(h, testClock());
    const u = await d.user("Emma Smith");
    const a = await createSession(ctx, { userId: u.id, maxAgeMs: hours(1), method: "password" });
    ctx.clock.advance(hours(1));
    expect(await loadValidSession(ctx, a.id)).toBeNull();
    expect(await currentSessionId(ctx, a.id)).toBeNull();

    const b = await createSession(ctx, { userId: u.id, maxAgeMs: hours(1), method: "password" });
    expect(await revokeSession(ctx, b.id)).toBe(true);
    expect(await loadValidSession(ctx, b.id)).toBeNull();
    expect(await revokeSession(ctx, b.id)).toBe(false);

    const c = await createSession(ctx, { userId: u.id, maxAgeMs: hours(1), method: "password" });
    await h.db.update(users).set({ accountEnabled: false }).where(eq(users.id, u.id));
    expect(await loadValidSession(ctx, c.id)).toBeNull();
    expect(await loadValidSession(ctx, "not-a-uuid")).toBeNull();
  });
});

describe("admin MFA reset (recovery)", () => {
  const SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";

  async function enrolledLockedUser(ctx: ReturnType<typeof testCtx>) {
    const u = await d.user("Lost Phone");
    await h.db.insert(userMfa).values({ userId: u.id, secretEncrypted: encryptSecret(SECRET), enrolledAt: ctx.now() });
    for (let i = 0; i < 5; i++) await verifyTotp(ctx, u.id, "000000");
    const s = await createSession(ctx, { userId: u.id, maxAgeMs: hours(1), method: "password", mfaAt: ctx.now() });
    return { u, s };
  }

  it("a Privileged Role Administrator resets it: secret and lock cleared, sessions ended, audited in the chain", async () => {
    const ctx = testCtx(h, testClock());
    const past = new Date(ctx.now().getTime() - hours(1));
    const grace = await d.user("Grace Miller");
    await d.active(grace, PRIVILEGED_ROLE_ADMINISTRATOR, { start: past });
    const { u, s } = await enrolledLockedUser(ctx);
    expect((await getMfaStatus(ctx, u.id)).lockedUntil).not.toBeNull();

    // a personal API token minted by whoever held the account, and one that had already expired
    const live = new Date(ctx.now().getTime() + hours(24 * 30));
    await h.db.insert(apiTokens).values([
      {
        userId: u.id,
        name: "attacker's token",
        tokenHash: "a".repeat(64),
        hint: "pim_…aaaa",
        scopes: ["RoleManagement.ReadWrite.Directory"],
        expiresAt: live,
      },
      { userId: u.id, name: "old token", tokenHash: "b".repeat(64), hint: "pim_…bbbb", scopes: [], expiresAt: past },
    ]);

    const r = await resetUserMfa(ctx, grace.actor({ mfaAt: ctx.now() }), {
      userId: u.id,
      justification: "Lost their phone, ticket 42",
    });
    expect(r).toEqual({ userId: u.id, displayName: "Lost Phone", sessionsEnded: 1, tokensRevoked: 1 });
    const tokens = await h.db
      .select({ name: apiTokens.name, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(eq(apiTokens.userId, u.id));
    expect(tokens.find((t) => t.name === "attacker's token")?.revokedAt).toEqual(ctx.now());
    expect(tokens.find((t) => t.name === "old token")?.revokedAt).toBeNull();
    expect(await getMfaStatus(ctx, u.id)).toEqual({ enrolled: false, pending: false, lockedUntil: null });
    expect(await loadValidSession(ctx, s.id)).toBeNull();
    const [audit] = await h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.activity, "Reset MFA"), eq(auditEvents.targetId, u.id)));
    expect(audit).toMatchObject({
      actorId: grace.id,
      result: "success",
      justification: "Lost their phone, ticket 42",
      category: "UserManagement",
    });
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
    // The old code no longer works: the person must enrol again.
    expect(await verifyTotp(ctx, u.id, totpCode(SECRET, ctx.now()))).toEqual({ ok: false, reason: "not-enrolled" });
  });

  it("is refused for people without an active GA/PRA role (eligible is not enough): nothing changed, the refusal audited", async () => {
    const ctx = testCtx(h, testClock());
    const past = new Date(ctx.now().getTime() - hours(1));
    const sophia = await d.user("Sophia Eligible");
    await d.eligible(sophia, GLOBAL_ADMINISTRATOR, { start: past, end: null });
    await d.active(sophia, USER_ADMINISTRATOR, { start: past });
    const { u, s } = await enrolledLockedUser(ctx);
    const before = await h.db.select().from(auditEvents);

    await expect(
      resetUserMfa(ctx, sophia.actor({ mfaAt: ctx.now() }), { userId: u.id, justification: "please reset" }),
    ).rejects.toMatchObject({
      code: "Forbidden",
    });
    expect((await getMfaStatus(ctx, u.id)).enrolled).toBe(true);
    expect(await loadValidSession(ctx, s.id)).not.toBeNull();
    const after = await h.db.select().from(auditEvents);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ operation: "user.mfa.reset", result: "failure", actorId: sophia.id });

    // An expired GA assignment does not count either.
    const expired = await d.user("Former Admin");
    await d.active(expired, GLOBAL_ADMINISTRATOR, { start: past, end: new Date(ctx.now().getTime() - minutes(1)) });
    await expect(
      resetUserMfa(ctx, expired.actor(), { userId: u.id, justification: "please reset" }),
    ).rejects.toMatchObject({ code: "Forbidden" });
  });

  it("validates its input", async () => {
    const ctx = testCtx(h, testClock());
    const u = await d.user("Someone");
    await expect(resetUserMfa(ctx, u.actor(), { userId: "nope", justification: "" })).rejects.toMatchObject({
      code: "ValidationFailed",
      fieldErrors: { userId: expect.any(Array), justification: expect.any(Array) },
    });
  });
});

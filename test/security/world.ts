/**
 * The people of the fuzz suite and the authorization matrix (issue 12, "Proof in CI"): one of each kind of
 * caller, with a live server-side session (for server actions) and a personal API token (for Graph).
 */
import { eq } from "drizzle-orm";
import { apiTokens, authSessions, users } from "@/db/schema";
import { createSession } from "@/lib/auth/sessions";
import {
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import type { Ctx } from "@/lib/pim/context";
import { hours } from "@/test/db";
import { tokenFor } from "@/test/api/harness";
import type { Directory, TestUser } from "@/test/fixtures/directory";

export const PERSONAS = [
  "anonymous",
  "mfaOwed",
  "noRole",
  "eligibleNotActive",
  "active",
  "approver",
  "pra",
  "ga",
  "disabled",
  "revoked",
] as const;
export type Persona = (typeof PERSONAS)[number];
export type Caller = { persona: Persona; user: TestUser | null; sid: string | null; token: string | null };

export async function securityWorld(ctx: Ctx, d: Directory) {
  const past = new Date(ctx.now().getTime() - hours(48));
  const [owed, none, elig, act, appr, pra, ga, dis, rev] = await d.users(
    "Owen Owes-MFA",
    "Nadia NoRole",
    "Eve Eligible",
    "Ada Active",
    "Abe Approver",
    "Pia PRA",
    "Gus GA",
    "Dora Disabled",
    "Remy Revoked",
  );
  await d.eligible(elig, GLOBAL_ADMINISTRATOR, { start: past, end: null });
  await d.eligible(none, USER_ADMINISTRATOR, { start: past, end: null, status: "Expired" });
  await d.active(act, USER_ADMINISTRATOR, { start: past });
  await d.active(pra, PRIVILEGED_ROLE_ADMINISTRATOR, { start: past });
  await d.active(ga, GLOBAL_ADMINISTRATOR, { start: past });
  await d.eligible(act, USER_ADMINISTRATOR, { start: past, end: null });
  // Abe approves User Administrator activations (a named approver, no admin role).
  await d.settings(USER_ADMINISTRATOR, {
    approvalRequired: true,
    approvalStages: [{ mode: "anyOne", approvers: [{ type: "User", id: appr.id }] }],
  } as never);
  const session = async (u: TestUser, mfa: boolean) =>
    (
      await createSession(ctx, {
        userId: u.id,
        maxAgeMs: hours(24),
        method: "password",
        mfaAt: mfa ? ctx.now() : null,
        clientIp: "198.51.100.1",
        userAgent: "security-suite",
      })
    ).id;
  const callers: Record<Persona, Caller> = {
    anonymous: { persona: "anonymous", user: null, sid: null, token: null },
    mfaOwed: {
      persona: "mfaOwed",
      user: owed,
      sid: await session(owed, false),
      token: await tokenFor(ctx, owed, undefined, { mfa: false }),
    },
    noRole: { persona: "noRole", user: none, sid: await session(none, true), token: await tokenFor(ctx, none) },
    eligibleNotActive: {
      persona: "eligibleNotActive",
      user: elig,
      sid: await session(elig, true),
      token: await tokenFor(ctx, elig),
    },
    active: { persona: "active", user: act, sid: await session(act, true), token: await tokenFor(ctx, act) },
    approver: { persona: "approver", user: appr, sid: await session(appr, true), token: await tokenFor(ctx, appr) },
    pra: { persona: "pra", user: pra, sid: await session(pra, true), token: await tokenFor(ctx, pra) },
    ga: { persona: "ga", user: ga, sid: await session(ga, true), token: await tokenFor(ctx, ga) },
    disabled: { persona: "disabled", user: dis, sid: await session(dis, true), token: await tokenFor(ctx, dis) },
    revoked: { persona: "revoked", user: rev, sid: await session(rev, true), token: await tokenFor(ctx, rev) },
  };
  // Disabled after the session and token were made; the revoked person's session and token are revoked.
  await ctx.db.update(users).set({ accountEnabled: false }).where(eq(users.id, dis.id));
  await ctx.db.update(authSessions).set({ revokedAt: ctx.now() }).where(eq(authSessions.userId, rev.id));
  await ctx.db.update(apiTokens).set({ revokedAt: ctx.now() }).where(eq(apiTokens.userId, rev.id));
  return callers;
}

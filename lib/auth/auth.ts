import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import { clientIpFrom } from "@/lib/http/client-ip";
import Credentials from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { z } from "zod";
import { storableString } from "@/lib/validation/text";
import { env } from "@/lib/env";
import { getCtx } from "@/lib/server-db";
import { checkPassword, matchOidcUser, recordSignIn } from "./identify";
import { logSignIn } from "./sign-in-log";
import { claimRotatedSession, createSession, currentSessionId, revokeSession } from "./sessions";

/**
 * Auth.js (next-auth v5) configuration. JWT strategy, but the token carries only `sid`, the id of a row
 * in auth_sessions; `lib/auth/session.ts` re-reads that row on every request. Providers: email/UPN +
 * password, and a generic OpenID Connect provider when OIDC_* are set.
 */
declare module "next-auth" {
  interface Session {
    sid?: string;
    /** Only in the update right after an MFA rotation (see claimRotatedSession); never sent to the browser. */
    rotatedTo?: string;
  }
}
declare module "@auth/core/jwt" {
  interface JWT {
    sid?: string;
  }
}

export class AccountDisabled extends CredentialsSignin {
  code = "disabled";
}
export class AccountLocked extends CredentialsSignin {
  code = "locked";
}

export const OIDC_PROVIDER_ID = "oidc";
export const oidcEnabled = () => Boolean(env().OIDC_ISSUER && env().OIDC_CLIENT_ID && env().OIDC_CLIENT_SECRET);

const credentialsInput = z.object({
  identifier: storableString().trim().min(1).max(320),
  password: storableString().min(1).max(1024),
});

async function requestMeta(): Promise<{ clientIp: string | null; userAgent: string | null }> {
  try {
    const h = await headers();
    return { clientIp: clientIpFrom(h), userAgent: h.get("user-agent") };
  } catch {
    return { clientIp: null, userAgent: null };
  }
}

type OidcProfile = {
  sub: string;
  email?: string;
  email_verified?: boolean | string;
  preferred_username?: string;
  upn?: string;
  name?: string;
};

function providers(): NextAuthConfig["providers"] {
  const list: NextAuthConfig["providers"] = [
    Credentials({
      id: "credentials",
      name: "Password",
      credentials: {
        identifier: { label: "Email or user principal name" },
        password: { label: "Password", type: "password" },
      },
      async authorize(raw) {
        const parsed = credentialsInput.safeParse(raw);
        if (!parsed.success) return null;
        const { db, now } = await getCtx();
        const r = await checkPassword(db, parsed.data.identifier, parsed.data.password, now(), await requestMeta());
        if (!r.ok && r.reason === "disabled") throw new AccountDisabled();
        if (!r.ok && r.reason === "locked") throw new AccountLocked();
        return r.ok ? { id: r.userId } : null;
      },
    }),
  ];
  const e = env();
  if (e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET) {
    list.push({
      id: OIDC_PROVIDER_ID,
      name: e.OIDC_NAME,
      type: "oidc",
      issuer: e.OIDC_ISSUER,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      checks: ["pkce", "state", "nonce"],
      // The ID token is still verified; claims come from userinfo, since many providers (oidc-provider by
      // default) put email/profile claims only there when an access token is issued.
      idToken: false,
      authorization: { params: { scope: "openid email profile" } },
      profile: (p: OidcProfile) => ({
        id: p.sub,
        email: p.email ?? p.upn ?? p.preferred_username ?? null,
        name: p.name ?? null,
      }),
    });
  }
  return list;
}

/** The directory user of an OIDC profile, or null; `logFailure` records a refused sign-in in the sign-in log. */
async function oidcUserId(profile: unknown, logFailure = false): Promise<string | null> {
  const p = (profile ?? {}) as Partial<OidcProfile>;
  const issuer = env().OIDC_ISSUER;
  if (!p.sub || !issuer) return null;
  const { db, now } = await getCtx();
  const m = await matchOidcUser(db, {
    issuer,
    subject: p.sub,
    email: p.email,
    emailVerified: p.email_verified === true || p.email_verified === "true",
    preferredUsername: p.upn ?? p.preferred_username,
    trustUsername: env().OIDC_TRUST_USERNAME,
  });
  if (!m.ok && logFailure) {
    const reason = { unknown: "No such person", disabled: "Account disabled", conflict: "Identity conflict" }[m.reason];
    await logSignIn(db, {
      at: now(),
      userId: null,
      identifier: p.email ?? p.upn ?? p.preferred_username ?? p.sub,
      kind: "oidc",
      result: "failure",
      reason,
      source: await requestMeta(),
    });
  }
  return m.ok ? m.userId : null;
}

function config(): NextAuthConfig {
  const maxAge = Math.round(env().SESSION_MAX_AGE_HOURS * 3600);
  return {
    trustHost: true,
    secret: env().AUTH_SECRET,
    session: { strategy: "jwt", maxAge },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: providers(),
    logger: {
      // A wrong password is not a server error: no stack trace per attempt (minified class names, so by type).
      error(error: Error & { type?: string }) {
        if (error.type === "CredentialsSignin" || error.type === "AccessDenied") return;
        console.error("[auth]", error);
      },
      warn(code: string) {
        if (code !== "debug-enabled") console.warn("[auth] warning:", code);
      },
      debug() {},
    },
    events: {
      // Also for Auth.js's own POST /api/auth/signout: the row is revoked, not just the cookie cleared.
      async signOut(message) {
        const sid = "token" in message ? message.token?.sid : undefined;
        if (sid) await revokeSession(await getCtx(), sid);
      },
    },
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        return (await oidcUserId(profile, true)) !== null;
      },
      async jwt({ token, user, account, profile, trigger, session }) {
        const ctx = await getCtx();
        if (trigger === "signIn" && user && account) {
          const userId = account.provider === OIDC_PROVIDER_ID ? await oidcUserId(profile) : user.id;
          if (!userId) return null;
          const meta = await requestMeta();
          const method = account.provider === OIDC_PROVIDER_ID ? "oidc" : "password";
          // The password's success is logged with its lockout counter (checkPassword); OIDC's with the session.
          const row = await ctx.db.transaction(async (tx) => {
            const created = await createSession(
              { ...ctx, db: tx },
              { userId, maxAgeMs: maxAge * 1000, method, ...meta },
            );
            if (method === "oidc")
              await logSignIn(tx, {
                at: ctx.now(),
                userId,
                kind: "oidc",
                result: "success",
                sessionId: created.id,
                source: meta,
              });
            return created;
          });
          await recordSignIn(ctx.db, userId, ctx.now());
          // Nothing about the person in the cookie: only the session id.
          return { sid: row.id };
        }
        if (trigger === "update") {
          // The payload is the client's words: it is believed only as the name of the row that replaced this
          // token's row (claimRotatedSession checks replaced_by in the database); otherwise the sid stays or goes.
          const rotatedTo = (session as { rotatedTo?: unknown } | undefined)?.rotatedTo;
          const sid = !token.sid
            ? null
            : typeof rotatedTo === "string"
              ? await claimRotatedSession(ctx, token.sid, rotatedTo)
              : await currentSessionId(ctx, token.sid);
          return sid ? { sid } : null;
        }
        return token.sid ? { sid: token.sid } : null;
      },
      session({ session, token }) {
        return { expires: session.expires, sid: token.sid } as typeof session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth(() => config());

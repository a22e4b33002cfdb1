import { encode } from "next-auth/jwt";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { recordSignIn } from "@/lib/auth/identify";
import { createSession } from "@/lib/auth/sessions";
import { logSignIn } from "@/lib/auth/sign-in-log";
import { env } from "@/lib/env";
import { getCtx } from "@/lib/server-db";
import { authorized } from "../authorized";

/**
 * Test builds only (a `.testroute.ts` file, see next.config.ts): the session a person has after signing in with
 * password and authenticator code, made directly: the same auth_sessions row (MFA passed now, on the request's
 * test clock), the same sign-in log entry and last sign-in time, and the Auth.js cookie that names the row. The
 * e2e `as()` fixture uses it so journeys do not each walk the two sign-in pages (e2e/auth.spec.ts and the
 * others that test signing in still do). The caller must hold CRON_SECRET.
 */
export const dynamic = "force-dynamic";

const input = z.object({ userId: z.uuid() });
/** Auth.js's session cookie over http (the e2e server); the JWT salt is the cookie's name. */
const COOKIE = "authjs.session-token";

export async function POST(req: Request) {
  if (!authorized(req)) return Response.json({ error: "unauthorized" }, { status: 401 });
  const parsed = input.safeParse(await req.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: z.prettifyError(parsed.error) }, { status: 400 });
  const ctx = await getCtx();
  const { userId } = parsed.data;
  const [user] = await ctx.db.select({ upn: users.userPrincipalName }).from(users).where(eq(users.id, userId));
  if (!user) return Response.json({ error: "no such user" }, { status: 404 });
  const maxAge = Math.round(env().SESSION_MAX_AGE_HOURS * 3600);
  const source = { clientIp: "127.0.0.1", userAgent: req.headers.get("user-agent") };
  const row = await ctx.db.transaction(async (tx) => {
    const created = await createSession(
      { ...ctx, db: tx },
      { userId, maxAgeMs: maxAge * 1000, method: "password", mfaAt: ctx.now(), ...source },
    );
    await logSignIn(tx, {
      at: ctx.now(),
      userId,
      identifier: user.upn,
      kind: "password",
      result: "success",
      sessionId: created.id,
      source,
    });
    return created;
  });
  await recordSignIn(ctx.db, userId, ctx.now());
  const value = await encode({ token: { sid: row.id }, secret: env().AUTH_SECRET!, salt: COOKIE, maxAge });
  return Response.json({ name: COOKIE, value, expires: Math.floor(Date.now() / 1000) + maxAge });
}

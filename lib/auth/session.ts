import { cache } from "react";
import { clientIpFrom } from "@/lib/http/client-ip";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { Actor } from "@/lib/pim/context";
import { PimError } from "@/lib/pim/errors";
import { getCtx } from "@/lib/server-db";
import { auth } from "./auth";
import { getMfaStatus } from "./mfa";
import { loadValidSession } from "./sessions";
import { safeReturnTo } from "./return-to";

/**
 * The signed-in person for pages, server actions and route handlers. Every call re-reads the session row
 * (revoked, expired or disabled → nobody), once per request.
 */
export type SessionUser = {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  sessionId: string;
  /** When this session passed an MFA challenge; null = password only (MFA still owed). */
  mfaAt: Date | null;
  /** Of the current request. */
  clientIp: string | null;
  userAgent: string | null;
};

export const PATH_HEADER = "x-pim-path";

/** The session's person, or null. Includes sessions that still owe MFA: check `mfaAt` (or use requireUser). */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth().catch(() => null);
  const sid = session?.sid;
  if (!sid) return null;
  const ctx = await getCtx();
  const s = await loadValidSession(ctx, sid);
  if (!s) return null;
  const h = await headers();
  return {
    id: s.userId,
    displayName: s.displayName,
    userPrincipalName: s.userPrincipalName,
    mail: s.mail,
    sessionId: s.sessionId,
    mfaAt: s.mfaAt,
    clientIp: clientIpFrom(h),
    userAgent: h.get("user-agent"),
  };
});

async function currentPath(): Promise<string | null> {
  return (await headers()).get(PATH_HEADER);
}

/**
 * For pages: the signed-in person who has passed MFA. Otherwise redirects: to /sign-in without a
 * session, to /mfa when MFA is owed, to /mfa/enroll when the person has no authenticator yet.
 * `returnTo` (default: the requested path, from proxy.ts) brings the person back afterwards.
 */
export async function requireUser(opts: { returnTo?: string } = {}): Promise<SessionUser> {
  const user = await getSessionUser();
  const back = safeReturnTo(opts.returnTo ?? (await currentPath()));
  const q = back ? `?returnTo=${encodeURIComponent(back)}` : "";
  if (!user) redirect(`/sign-in${q}`);
  if (!user.mfaAt) {
    const status = await getMfaStatus(await getCtx(), user.id);
    redirect(status.enrolled ? `/mfa${q}` : `/mfa/enroll${q}`);
  }
  return user;
}

/**
 * For server actions and route handlers: never redirects. Without a live session that has passed MFA it
 * throws `PimError('Unauthenticated')`, so the caller answers with nothing.
 */
export async function requireActionUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user || !user.mfaAt) throw new PimError("Unauthenticated", "Your session has ended. Sign in again.");
  return user;
}

/** The acting person for the domain core. `h` overrides the request's IP and user agent. */
export function actorFromUser(user: SessionUser, h?: Headers): Actor {
  return {
    id: user.id,
    type: "User",
    displayName: user.displayName,
    mfaAt: user.mfaAt,
    clientIp: h ? clientIpFrom(h) : user.clientIp,
    userAgent: h ? h.get("user-agent") : user.userAgent,
  };
}

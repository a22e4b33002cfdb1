import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { openNotification } from "@/lib/pim/notifications/inbox";
import { getCtx } from "@/lib/server-db";

export const dynamic = "force-dynamic";

/** Only the portal's own pages: a stored link can never send anyone elsewhere. */
const safePath = (p: string | null) =>
  p && p.startsWith("/") && !p.startsWith("//") && !p.includes("\\") ? p : "/notifications";

/** A relative Location keeps the host the browser used (behind proxies, 127.0.0.1 vs localhost). */
const seeOther = (path: string) => new Response(null, { status: 303, headers: { Location: path } });

/**
 * Opening a notice from the Notifications page: mark it read (only the caller's own), then go to the
 * page that acts on it. Plain <a> links reach this (no prefetch), so a visit means the person clicked.
 */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let user;
  try {
    user = await requireActionUser();
  } catch {
    return seeOther("/sign-in");
  }
  const link = await openNotification(await getCtx(), actorFromUser(user), id);
  return seeOther(safePath(link));
}

import type { Metadata } from "next";
import { requireUser, actorFromUser } from "@/lib/auth/session";
import { getCtx } from "@/lib/server-db";
import { hasPermissionNow } from "@/lib/pim/authz";
import { USER_CREATE_PERMISSION } from "@/lib/pim/directory/builtin-roles";
import { listUsers } from "@/lib/pim/queries/list-users";
import { UsersView } from "./users-view";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

type Search = { q?: string; cursor?: string; from?: string };

/**
 * The directory's users. "+ New user" appears only while the viewer holds, right now, a role that may
 * create users (User Administrator or Global Administrator) — the seed's demo of privilege in action.
 * The create action checks the same on the server.
 */
export default async function UsersPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const ctx = await getCtx();
  const q = (sp.q ?? "").slice(0, 200);
  const from = Math.max(1, Number.parseInt(sp.from ?? "1", 10) || 1);
  const [page, canCreate] = await Promise.all([
    listUsers(ctx, { search: q, cursor: sp.cursor ?? null, limit: 25 }),
    hasPermissionNow(ctx, actorFromUser(user), { permission: USER_CREATE_PERMISSION }),
  ]);
  return (
    <UsersView
      rows={page.rows.map((r) => ({ ...r, lastSignInAt: r.lastSignInAt?.toISOString() ?? null }))}
      total={page.total}
      from={page.rows.length === 0 ? 0 : from}
      q={q}
      nextCursor={page.nextCursor}
      prevCursor={page.prevCursor}
      canCreate={canCreate}
    />
  );
}

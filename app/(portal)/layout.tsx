import type { ReactNode } from "react";
import { signOutAction } from "@/app/(auth)/actions";
import { Breadcrumb } from "@/components/chrome/breadcrumb";
import { LeftMenu } from "@/components/chrome/left-menu";
import { visibleMenu } from "@/components/chrome/menu";
import { TopBar } from "@/components/chrome/top-bar";
import { Toaster } from "@/components/ui/toaster";
import { NotificationsBell } from "@/components/notifications-bell";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { readRights } from "@/lib/pim/queries/read-scope";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";

export const dynamic = "force-dynamic";

/**
 * The blade chrome around every portal page. It signs people in (requireUser) but pages, server actions
 * and route handlers still authenticate on their own: a layout does not guard an action.
 */
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const [tenantName, { admin, reader }] = await Promise.all([getTenantName(ctx), readRights(ctx, actor)]);
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:bg-white focus:p-2">
        Skip to content
      </a>
      <TopBar user={user} signOut={signOutAction}>
        <NotificationsBell userId={user.id} />
      </TopBar>
      <Breadcrumb tenantName={tenantName} />
      <div className="mx-4 mb-4 flex flex-1 border border-neutral-200 bg-white shadow-sm">
        <aside className="w-56 shrink-0 border-r border-neutral-200 py-2">
          <LeftMenu groups={visibleMenu({ admin, reader })} />
        </aside>
        <main id="main" className="min-w-0 flex-1 px-6 py-4">
          {children}
        </main>
      </div>
      <Toaster />
    </div>
  );
}

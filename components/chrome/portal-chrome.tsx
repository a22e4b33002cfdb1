import type { ReactNode } from "react";
import { signOutAction } from "@/app/(auth)/actions";
import { NotificationsBell } from "@/components/notifications-bell";
import { Toaster } from "@/components/ui/toaster";
import type { SessionUser } from "@/lib/auth/session";
import { actorFromUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { readRights } from "@/lib/pim/queries/read-scope";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { Breadcrumb } from "./breadcrumb";
import { GlobalSearch } from "./global-search";
import { LeftMenu } from "./left-menu";
import { visibleMenu } from "./menu";
import { TopBar } from "./top-bar";

/**
 * The blade chrome (top bar with search, breadcrumb, left menu) around `children`, for a person who has
 * signed in: used by the portal layout and by the 404 page, so a wrong address still shows the portal with
 * a way back. The search offers the pages of the menu this person sees.
 */
export async function PortalChrome({ user, children }: { user: SessionUser; children: ReactNode }) {
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const [tenantName, rights] = await Promise.all([getTenantName(ctx), readRights(ctx, actor)]);
  const groups = visibleMenu(rights);
  const pages = groups.flatMap((g) => g.items.map(({ href, label, keywords }) => ({ href, label, keywords })));
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:bg-white focus:p-2">
        Skip to content
      </a>
      <TopBar
        user={user}
        signOut={signOutAction}
        search={<GlobalSearch pages={pages} />}
        feedbackUrl={env().FEEDBACK_URL}
      >
        <NotificationsBell userId={user.id} />
      </TopBar>
      <Breadcrumb tenantName={tenantName} />
      <div className="mx-4 mb-4 flex flex-1 border border-neutral-200 bg-white shadow-sm">
        <aside className="w-56 shrink-0 border-r border-neutral-200 py-2">
          <LeftMenu groups={groups} />
        </aside>
        <main id="main" className="min-w-0 flex-1 px-6 py-4">
          {children}
        </main>
      </div>
      <Toaster />
    </div>
  );
}

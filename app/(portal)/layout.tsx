import type { ReactNode } from "react";
import { PortalChrome } from "@/components/chrome/portal-chrome";
import { requireUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

/**
 * The blade chrome around every portal page. It signs people in (requireUser) but pages, server actions
 * and route handlers still authenticate on their own: a layout does not guard an action.
 */
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return <PortalChrome user={user}>{children}</PortalChrome>;
}

import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { AuthCard, primaryButtonClass } from "@/components/chrome/auth-card";
import { PageNotFound } from "@/components/chrome/page-not-found";
import { PortalChrome } from "@/components/chrome/portal-chrome";
import { getSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Page not found" };
export const dynamic = "force-dynamic";

/**
 * An address no route answers. Someone signed in sees the 404 inside the blade chrome (menu, search, a way
 * back); anyone else a sign-in card with the way in. Never a bare framework page.
 */
export default async function NotFound() {
  const user = await getSessionUser();
  if (user?.mfaAt) {
    return (
      <PortalChrome user={user}>
        <PageNotFound />
      </PortalChrome>
    );
  }
  return (
    <AuthCard title="Page not found">
      <p className="text-[15px] text-neutral-800">There is nothing at this address.</p>
      <p className="mt-6">
        <Link href="/overview" className={`${primaryButtonClass} inline-block text-center`}>
          Go to the portal
        </Link>
      </p>
    </AuthCard>
  );
}

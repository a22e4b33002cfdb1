import Link from "@/components/ui/link";
import type { ReactNode } from "react";
import { MessageSquareMore } from "lucide-react";
import { PortalMark } from "./auth-card";

/**
 * The dark portal bar: the portal's name at the left, the global search in the middle; at the right
 * "Got feedback?" (when the operator set FEEDBACK_URL), a slot for widgets (the notifications bell), the
 * signed-in person (name and user principal name) and Sign out. No fake controls. The sign-out server action
 * is passed in by the layout, so this widget depends on no route.
 */
export function TopBar({
  user,
  signOut,
  search,
  feedbackUrl,
  children,
}: {
  user: { displayName: string; userPrincipalName: string };
  signOut: () => Promise<void>;
  search?: ReactNode;
  feedbackUrl?: string;
  children?: ReactNode;
}) {
  return (
    <header className="flex h-10 items-center bg-[#1b1a19] text-white">
      <Link
        href="/overview"
        className="flex h-full shrink-0 items-center gap-2 px-4 text-[15px] font-semibold hover:bg-white/10"
      >
        <PortalMark className="h-4 w-4" />
        PIM Portal
      </Link>
      <div className="flex min-w-0 flex-1 justify-center">{search}</div>
      <div className="flex h-full shrink-0 items-center">
        {feedbackUrl ? (
          <a
            href={feedbackUrl}
            target="_blank"
            rel="noopener noreferrer"
            className="flex h-full items-center gap-1.5 px-3 text-[13px] hover:bg-white/10 focus-visible:outline-white"
          >
            <MessageSquareMore aria-hidden className="size-4" />
            Got feedback?
            <span className="sr-only"> (opens in a new tab)</span>
          </a>
        ) : null}
        {children}
        <div className="flex h-full flex-col justify-center px-3 text-right leading-tight" data-testid="signed-in-user">
          <span className="text-[13px]">{user.displayName}</span>
          <span className="text-[11px] text-neutral-300">{user.userPrincipalName}</span>
        </div>
        <form action={signOut} className="h-full">
          <button type="submit" className="h-full px-4 text-[13px] hover:bg-white/10 focus-visible:outline-white">
            Sign out
          </button>
        </form>
      </div>
    </header>
  );
}

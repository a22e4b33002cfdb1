import { Bell } from "lucide-react";
import { unreadCount } from "@/lib/pim/notifications/inbox";
import { getCtx } from "@/lib/server-db";

/**
 * Top-bar bell (server component): the signed-in person's unread count, linking to /notifications.
 * The layout passes the user id it already authenticated; the count only ever reads that person's rows.
 */
export async function NotificationsBell({ userId }: { userId: string }) {
  const { db } = await getCtx();
  const n = await unreadCount(db, userId);
  const label = n === 0 ? "Notifications, none unread" : `Notifications, ${n} unread`;
  return (
    <a
      href="/notifications"
      aria-label={label}
      title={label}
      data-testid="notifications-bell"
      className="relative inline-flex h-10 w-10 items-center justify-center text-white hover:bg-white/10"
    >
      <Bell aria-hidden className="h-5 w-5" />
      {n > 0 ? (
        <span
          aria-hidden
          className="absolute right-1 top-1 min-w-[1.1rem] rounded-full bg-[#d13438] px-1 text-center text-[0.65rem] font-semibold leading-[1.1rem] text-white"
        >
          {n > 99 ? "99+" : n}
        </span>
      ) : null}
    </a>
  );
}

import type { Metadata } from "next";
import { RefreshCw } from "lucide-react";
import { CommandBar, CommandLink } from "@/components/ui/command-bar";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime, ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import {
  listDeliveryProblems,
  listMyNotifications,
  unreadCount,
  type DeliveryProblem,
} from "@/lib/pim/notifications/inbox";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { DeliveryProblems } from "./delivery-problems";
import { MarkAllReadButton, MarkReadButton } from "./notification-buttons";

export const metadata: Metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<{ cursor?: string; show?: string }>;

const EMAIL_STATUS: Record<string, string> = {
  pending: "Email queued",
  sending: "Email sending",
  sent: "Email sent",
  failed: "Email failed",
  skipped: "Portal only",
};

/** The signed-in person's notices, newest first (keyset pages); admins also see failed email deliveries. */
export default async function NotificationsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const sp = await searchParams;
  const unreadOnly = sp.show === "unread";
  const cursor = typeof sp.cursor === "string" ? sp.cursor : null;
  const [tenantName, { items, nextCursor }, unread] = await Promise.all([
    getTenantName(ctx),
    listMyNotifications(ctx.db, user.id, { cursor, limit: 25, unreadOnly }),
    unreadCount(ctx.db, user.id),
  ]);
  let problems: DeliveryProblem[] | null = null;
  try {
    problems = await listDeliveryProblems(ctx, actor);
  } catch (err) {
    if (!isPimError(err) || err.code !== "Forbidden") throw err;
  }
  const here = unreadOnly ? "/notifications?show=unread" : "/notifications";
  const tab = (label: string, href: string, active: boolean) => (
    <a
      href={href}
      aria-current={active ? "page" : undefined}
      className={`border-b-2 px-3 py-2 text-sm ${active ? "border-[#0078d4] font-semibold text-neutral-900" : "border-transparent text-neutral-700 hover:text-neutral-900"}`}
    >
      {label}
    </a>
  );

  return (
    <div>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={`${tenantName} | Notifications`} subtitle="Privileged Identity Management">
        <p className="mt-1 text-sm text-neutral-700">
          Approval requests, decisions, activations and expiry notices about you, newest first.{" "}
          <span data-testid="unread-summary">{unread === 0 ? "Nothing unread." : `${unread} unread.`}</span>
        </p>
      </PageHeader>
      <CommandBar label="Notification commands">
        <MarkAllReadButton disabled={unread === 0} />
        <CommandLink href={here} prefetch={false}>
          <RefreshCw aria-hidden /> Refresh
        </CommandLink>
      </CommandBar>
      <nav aria-label="Filter notifications" className="mb-3 flex gap-1 border-b border-neutral-200">
        {tab("All", "/notifications", !unreadOnly)}
        {tab(`Unread (${unread})`, "/notifications?show=unread", unreadOnly)}
      </nav>

      {items.length === 0 ? (
        <EmptyState title={unreadOnly ? "No unread notifications" : "No notifications yet"}>
          You are told here when a request needs your approval, a decision is made about your request, or one of your
          roles is activated, expires or is about to expire.
        </EmptyState>
      ) : (
        <ul
          className="divide-y divide-neutral-200 rounded-sm border border-neutral-200 bg-white"
          aria-label="Notifications"
        >
          {items.map((n) => (
            <li
              key={n.id}
              data-testid="notification"
              className={`flex gap-3 border-l-4 px-4 py-3 ${n.readAt ? "border-l-transparent" : "border-l-[#0078d4]"}`}
            >
              <span
                aria-hidden
                className={`mt-1.5 size-2 shrink-0 rounded-full ${n.readAt ? "bg-transparent" : "bg-[#0078d4]"}`}
              />
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <a
                    href={`/notifications/open/${n.id}`}
                    className={`text-sm text-[#0078d4] hover:underline ${n.readAt ? "" : "font-semibold"}`}
                  >
                    {n.subject.replace(/^PIM: /, "")}
                    {n.readAt ? null : <span className="sr-only"> (unread)</span>}
                  </a>
                  <span className="text-xs text-neutral-700">
                    <LocalTime value={n.createdAt} /> · {EMAIL_STATUS[n.emailStatus] ?? n.emailStatus}
                  </span>
                </div>
                <p className="mt-1 line-clamp-2 text-sm text-neutral-700">{excerpt(n.bodyText)}</p>
                {n.readAt ? null : (
                  <div className="mt-1">
                    <MarkReadButton id={n.id} subject={n.subject.replace(/^PIM: /, "")} />
                  </div>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="mt-3 flex gap-4 text-sm">
        {cursor ? (
          <a href={here} className="text-[#0078d4] hover:underline">
            « Newest
          </a>
        ) : null}
        {nextCursor ? (
          <a
            href={`/notifications?${new URLSearchParams({ ...(unreadOnly ? { show: "unread" } : {}), cursor: nextCursor })}`}
            className="text-[#0078d4] hover:underline"
          >
            Older »
          </a>
        ) : null}
      </div>

      {problems ? <DeliveryProblems problems={problems} /> : null}
    </div>
  );
}

/** The notice's second paragraph (its sentence), without greeting and facts. */
function excerpt(text: string): string {
  const paragraphs = text.split("\n\n");
  return paragraphs[1] ?? paragraphs[0] ?? "";
}

import type { Metadata } from "next";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { formatUtc } from "@/lib/pim/notifications/templates";
import { listDeliveryProblems, listMyNotifications, type DeliveryProblem } from "@/lib/pim/notifications/inbox";
import { getCtx } from "@/lib/server-db";
import { MarkAllReadButton, MarkReadButton, RetryDeliveriesButton } from "./notification-buttons";

export const metadata: Metadata = { title: "Notifications | PIM Portal" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<{ cursor?: string; show?: string }>;

const EMAIL_STATUS: Record<string, string> = {
  pending: "Email queued",
  sending: "Email sending",
  sent: "Email sent",
  failed: "Email failed",
  skipped: "Portal only",
};

export default async function NotificationsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const ctx = await getCtx();
  const sp = await searchParams;
  const unreadOnly = sp.show === "unread";
  const cursor = typeof sp.cursor === "string" ? sp.cursor : null;
  const { items, nextCursor } = await listMyNotifications(ctx.db, user.id, { cursor, limit: 25, unreadOnly });
  let problems: DeliveryProblem[] | null = null;
  try {
    problems = await listDeliveryProblems(ctx, actorFromUser(user));
  } catch (err) {
    if (!isPimError(err) || err.code !== "Forbidden") throw err;
  }
  const tab = (label: string, show: string | null, active: boolean) => (
    <a
      href={show ? `/notifications?show=${show}` : "/notifications"}
      aria-current={active ? "page" : undefined}
      className={`border-b-2 px-3 py-2 text-sm ${active ? "border-[#0078d4] font-semibold text-[#323130]" : "border-transparent text-[#605e5c] hover:text-[#323130]"}`}
    >
      {label}
    </a>
  );

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold text-[#323130]">Notifications</h1>
        <p className="text-sm text-[#605e5c]">Approval requests, decisions, activations and expiry notices about you. Newest first.</p>
      </div>
      <div className="flex flex-wrap items-center gap-3 border-b border-[#edebe9] pb-2">
        <MarkAllReadButton disabled={items.every((i) => i.readAt) && !unreadOnly} />
        <a href={unreadOnly ? "/notifications?show=unread" : "/notifications"} className="text-sm text-[#0078d4] hover:underline">
          Refresh
        </a>
      </div>
      <nav aria-label="Filter notifications" className="flex gap-1 border-b border-[#edebe9]">
        {tab("All", null, !unreadOnly)}
        {tab("Unread", "unread", unreadOnly)}
      </nav>

      {items.length === 0 ? (
        <p className="py-8 text-center text-sm text-[#605e5c]">{unreadOnly ? "No unread notifications." : "No notifications yet."}</p>
      ) : (
        <ul className="divide-y divide-[#edebe9] rounded-sm border border-[#edebe9] bg-white" aria-label="Notifications">
          {items.map((n) => (
            <li key={n.id} className={`flex gap-3 px-4 py-3 ${n.readAt ? "" : "bg-[#eff6fc]"}`}>
              <span aria-hidden className={`mt-2 h-2 w-2 shrink-0 rounded-full ${n.readAt ? "bg-transparent" : "bg-[#0078d4]"}`} />
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <a href={`/notifications/open/${n.id}`} className={`text-sm text-[#0078d4] hover:underline ${n.readAt ? "" : "font-semibold"}`}>
                    {n.subject.replace(/^PIM: /, "")}
                    {n.readAt ? null : <span className="sr-only"> (unread)</span>}
                  </a>
                  <span className="text-xs text-[#605e5c]">
                    <time dateTime={n.createdAt.toISOString()}>{formatUtc(n.createdAt)}</time> · {EMAIL_STATUS[n.emailStatus] ?? n.emailStatus}
                  </span>
                </div>
                <p className="mt-1 line-clamp-2 whitespace-pre-line text-sm text-[#605e5c]">{excerpt(n.bodyText)}</p>
                {n.readAt ? null : (
                  <div className="mt-1">
                    <MarkReadButton id={n.id} subject={n.subject} />
                  </div>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="flex gap-4 text-sm">
        {cursor ? (
          <a href={unreadOnly ? "/notifications?show=unread" : "/notifications"} className="text-[#0078d4] hover:underline">
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

function DeliveryProblems({ problems }: { problems: DeliveryProblem[] }) {
  return (
    <section aria-labelledby="delivery-problems" className="space-y-2 pt-4">
      <h2 id="delivery-problems" className="text-lg font-semibold text-[#323130]">
        Delivery problems
      </h2>
      <p className="text-sm text-[#605e5c]">
        Emails the mail server refused or that failed every retry. Fix the address or the SMTP settings, then put them back in the queue.
      </p>
      {problems.length === 0 ? (
        <p className="text-sm text-[#605e5c]">No failed emails.</p>
      ) : (
        <>
          <RetryDeliveriesButton ids={problems.map((p) => p.id)} label={`Retry all (${problems.length})`} />
          <table className="w-full border-collapse text-left text-sm">
            <thead>
              <tr className="border-b border-[#edebe9] text-[#605e5c]">
                <th className="py-2 pr-3 font-semibold">Queued</th>
                <th className="py-2 pr-3 font-semibold">Recipient</th>
                <th className="py-2 pr-3 font-semibold">Subject</th>
                <th className="py-2 pr-3 font-semibold">Attempts</th>
                <th className="py-2 pr-3 font-semibold">Last error</th>
                <th className="py-2 font-semibold">Action</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p) => (
                <tr key={p.id} className="border-b border-[#edebe9] align-top">
                  <td className="py-2 pr-3 whitespace-nowrap">{formatUtc(p.createdAt)}</td>
                  <td className="py-2 pr-3">{p.recipientEmail}</td>
                  <td className="py-2 pr-3">{p.subject}</td>
                  <td className="py-2 pr-3">{p.attempts}</td>
                  <td className="py-2 pr-3 break-all text-[#a4262c]">{p.lastError}</td>
                  <td className="py-2">
                    <RetryDeliveriesButton ids={[p.id]} label="Retry" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import Link from "@/components/ui/link";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { LocalTime, ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { webhookDeliveryLog } from "@/lib/pim/queries/webhooks";
import { getCtx } from "@/lib/server-db";
import { EndpointActions, RedeliverButton } from "../webhook-forms";

export const metadata: Metadata = { title: "Webhook deliveries" };
export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUS: Record<string, string> = {
  pending: "Pending",
  sending: "Sending",
  delivered: "Delivered",
  failed: "Failed",
};

function parseCursor(raw: string | undefined): { createdAt: Date; id: string } | null {
  const m = raw ? /^(\d{1,15})_([0-9a-f-]{36})$/i.exec(raw) : null;
  return m && UUID.test(m[2]!) ? { createdAt: new Date(Number(m[1])), id: m[2]! } : null;
}

/** One endpoint's delivery log: every event sent (or waiting), its attempts and the last response code. */
export default async function WebhookDeliveriesPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ before?: string }>;
}) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  if (!UUID.test(id)) notFound();
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const tenantName = await getTenantName(ctx);
  const title = `${tenantName} | Webhooks | Deliveries`;
  const log = await webhookDeliveryLog(ctx, actor, { endpointId: id, before: parseCursor(sp.before) }).catch(
    (err: unknown) => {
      if (isPimError(err) && err.code === "Forbidden") return null;
      throw err;
    },
  );
  if (!log)
    return <NotAllowed title={title} what="the webhook endpoints" path={await accessPathFor(ctx, actor, "admin")} />;
  const ep = log.endpoint;
  if (!ep) notFound();
  return (
    <div className="space-y-4">
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={title} subtitle={ep.url} />
      <p className="text-sm">
        <Link className="text-[#004e8c] underline" href="/webhooks">
          Back to Webhooks
        </Link>
      </p>
      <dl className="grid max-w-3xl grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="font-semibold">Status</dt>
        <dd data-testid="endpoint-status">
          {ep.enabled ? "Enabled" : `Disabled${ep.disabledReason ? `: ${ep.disabledReason}` : ""}`}
        </dd>
        <dt className="font-semibold">Events</dt>
        <dd className="font-mono text-xs">{ep.eventTypes.join(", ")}</dd>
        <dt className="font-semibold">Failed attempts in a row</dt>
        <dd>{ep.consecutiveFailures}</dd>
      </dl>
      <EndpointActions endpointId={ep.id} enabled={ep.enabled} url={ep.url} />
      <section aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading" className="mb-2 text-lg font-semibold">
          Delivery log
        </h2>
        {log.rows.length === 0 ? (
          <p className="text-sm text-[#404040]">No event has been sent to this endpoint yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Deliveries, newest first</caption>
            <thead className="border-b border-[#edebe9] text-[#404040]">
              <tr>
                <th scope="col" className="py-2 pr-4">
                  Event
                </th>
                <th scope="col" className="pr-4">
                  Message id
                </th>
                <th scope="col" className="pr-4">
                  Status
                </th>
                <th scope="col" className="pr-4">
                  Response
                </th>
                <th scope="col" className="pr-4">
                  Attempts
                </th>
                <th scope="col" className="pr-4">
                  Queued
                </th>
                <th scope="col" className="pr-4">
                  Next attempt / delivered
                </th>
                <th scope="col" className="pr-4">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {log.rows.map((d) => (
                <tr key={d.id} className="border-b border-[#edebe9] align-top" data-testid="delivery-row">
                  <td className="py-2 pr-4 font-mono text-xs">{d.eventType}</td>
                  <td className="py-2 pr-4 font-mono text-xs">{d.messageId}</td>
                  <td className="py-2 pr-4">{STATUS[d.status] ?? d.status}</td>
                  <td className="py-2 pr-4">
                    {d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : d.lastError ? d.lastError : "—"}
                  </td>
                  <td className="py-2 pr-4">{d.attempts}</td>
                  <td className="py-2 pr-4">
                    <LocalTime value={d.createdAt} />
                  </td>
                  <td className="py-2 pr-4">
                    {d.status === "delivered" ? (
                      <LocalTime value={d.deliveredAt} />
                    ) : d.status === "pending" ? (
                      <LocalTime value={d.nextAttemptAt} relative />
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="py-2 pr-4">
                    {d.status !== "sending" ? (
                      <RedeliverButton deliveryId={d.id} label={`${d.eventType} ${d.messageId}`} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {log.next ? (
          <p className="mt-2 text-sm">
            <Link
              className="text-[#004e8c] underline"
              href={`/webhooks/${ep.id}?before=${log.next.createdAt.getTime()}_${log.next.id}`}
            >
              Older deliveries
            </Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}

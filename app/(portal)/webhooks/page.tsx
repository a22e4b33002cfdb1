import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { LocalTime, ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { listWebhookEndpoints } from "@/lib/pim/queries/webhooks";
import { getCtx } from "@/lib/server-db";
import { AddEndpointForm } from "./webhook-forms";

export const metadata: Metadata = { title: "Webhooks" };
export const dynamic = "force-dynamic";

/** Webhooks: GA/PRA holders register endpoints that receive signed PIM events (Standard Webhooks). */
export default async function WebhooksPage() {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const [endpoints, tenantName] = await Promise.all([
    listWebhookEndpoints(ctx, actor).catch((err: unknown) => {
      if (isPimError(err) && err.code === "Forbidden") return null;
      throw err;
    }),
    getTenantName(ctx),
  ]);
  const title = `${tenantName} | Webhooks`;
  if (!endpoints)
    return <NotAllowed title={title} what="the webhook endpoints" path={await accessPathFor(ctx, actor, "admin")} />;
  return (
    <div className="space-y-6">
      <ServerClockSync now={ctx.now().toISOString()} />
      <div>
        <PageHeader title={title} subtitle="Signed events for your tooling" />
        <p className="max-w-3xl text-sm text-[#404040]">
          Each endpoint receives an HTTP POST for every event it subscribes to, moments after the change, signed with
          its secret (<code className="font-mono text-xs">webhook-id</code>,{" "}
          <code className="font-mono text-xs">webhook-timestamp</code>,{" "}
          <code className="font-mono text-xs">webhook-signature</code>, as Standard Webhooks specifies). Failed
          deliveries are retried with backoff; an endpoint that keeps failing is disabled and you are told, its events
          wait until it is enabled again.
        </p>
      </div>
      <section aria-labelledby="add-endpoint-heading" className="rounded border border-[#edebe9] p-4">
        <h2 id="add-endpoint-heading" className="mb-3 text-lg font-semibold">
          Add endpoint
        </h2>
        <AddEndpointForm />
      </section>
      <section aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading" className="mb-2 text-lg font-semibold">
          Endpoints
        </h2>
        {endpoints.length === 0 ? (
          <p className="text-sm text-[#404040]">No endpoint yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Webhook endpoints</caption>
            <thead className="border-b border-[#edebe9] text-[#404040]">
              <tr>
                <th scope="col" className="py-2 pr-4">
                  URL
                </th>
                <th scope="col" className="pr-4">
                  Events
                </th>
                <th scope="col" className="pr-4">
                  Status
                </th>
                <th scope="col" className="pr-4">
                  Failures in a row
                </th>
                <th scope="col" className="pr-4">
                  Added
                </th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((e) => (
                <tr key={e.id} className="border-b border-[#edebe9] align-top">
                  <td className="py-2 pr-4">
                    <Link className="break-all text-[#004e8c] underline" href={`/webhooks/${e.id}`}>
                      {e.url}
                    </Link>
                    {e.description ? <div className="text-[#404040]">{e.description}</div> : null}
                  </td>
                  <td className="py-2 pr-4 font-mono text-xs">{e.eventTypes.join(", ")}</td>
                  <td className="py-2 pr-4">
                    {e.enabled ? "Enabled" : "Disabled"}
                    {!e.enabled && e.disabledReason ? (
                      <div className="text-xs text-[#a4262c]">{e.disabledReason}</div>
                    ) : null}
                  </td>
                  <td className="py-2 pr-4">{e.consecutiveFailures}</td>
                  <td className="py-2 pr-4">
                    <LocalTime value={e.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

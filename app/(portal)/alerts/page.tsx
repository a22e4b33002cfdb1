import type { Metadata } from "next";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { listAlerts } from "@/lib/pim/queries/alerts";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { AlertsView } from "./alerts-view";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

/** Security alerts (§9): the six alerts with their state; PIM readers see them, admins refresh and act. */
export default async function AlertsPage() {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const [r, tenantName] = await Promise.all([
    listAlerts(ctx, actor).catch((err: unknown) => {
      if (isPimError(err) && err.code === "Forbidden") return null;
      throw err;
    }),
    getTenantName(ctx),
  ]);
  if (!r)
    return (
      <NotAllowed
        title={`${tenantName} | Alerts`}
        what="the security alerts"
        path={await accessPathFor(ctx, actor, "reader")}
      />
    );
  return (
    <>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={`${tenantName} | Alerts`} />
      <AlertsView
        admin={r.viewer.admin}
        lastEvaluatedAt={r.lastEvaluatedAt?.toISOString() ?? null}
        rows={r.alerts.map((a) => ({
          key: a.key,
          title: a.title,
          severity: a.severity,
          status: a.status,
          affectedCount: a.affectedCount,
          trigger: a.trigger,
          raisedAt: a.raisedAt?.toISOString() ?? null,
        }))}
      />
    </>
  );
}

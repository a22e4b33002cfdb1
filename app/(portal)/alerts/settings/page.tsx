import type { Metadata } from "next";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { listAlerts } from "@/lib/pim/queries/alerts";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { AlertSettingsForm } from "./alert-settings-form";

export const metadata: Metadata = { title: "Alert settings" };
export const dynamic = "force-dynamic";

/** Alert settings: each alert on or off with its thresholds (§9 ranges). Readers view, admins save. */
export default async function AlertSettingsPage() {
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
        title={`${tenantName} | Alert settings`}
        what="the alert settings"
        path={await accessPathFor(ctx, actor, "reader")}
      />
    );
  return (
    <>
      <PageHeader title="Alert settings" subtitle="Privileged Identity Management | Alerts" />
      <AlertSettingsForm
        initial={r.settings}
        admin={r.viewer.admin}
        titles={Object.fromEntries(r.alerts.map((a) => [a.key, `${a.title} (${a.severity})`]))}
      />
    </>
  );
}

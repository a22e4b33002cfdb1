import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { getAlert } from "@/lib/pim/queries/alerts";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { alertKey } from "@/lib/validation/governance";
import { AlertDetail } from "./alert-detail";

export const metadata: Metadata = { title: "Alert" };
export const dynamic = "force-dynamic";

/** One alert: what it means, why it matters, how to fix it, its affected items with one-click fixes. */
export default async function AlertPage({ params }: { params: Promise<{ key: string }> }) {
  const parsed = alertKey.safeParse((await params).key);
  if (!parsed.success) notFound();
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const [r, tenantName] = await Promise.all([
    getAlert(ctx, actor, parsed.data).catch((err: unknown) => {
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
  const a = r.alert;
  return (
    <>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={a.title} subtitle="Privileged Identity Management | Alerts" />
      <AlertDetail
        admin={r.viewer.admin}
        alert={{
          key: a.key,
          title: a.title,
          severity: a.severity,
          status: a.status,
          description: a.description,
          whyItMatters: a.whyItMatters,
          howToFix: a.howToFix,
          trigger: a.trigger,
          fixes: a.fixes,
          affectedCount: a.affectedCount,
          details: a.details,
          raisedAt: a.raisedAt?.toISOString() ?? null,
          evaluatedAt: a.evaluatedAt?.toISOString() ?? null,
          dismissal: a.dismissal ? { ...a.dismissal, at: a.dismissal.at.toISOString() } : null,
        }}
        affected={a.status === "Active" || a.status === "Dismissed" ? a.affected : []}
      />
    </>
  );
}

import type { Metadata } from "next";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { discoveryInsights, type InsightRow } from "@/lib/pim/queries/discovery";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { DiscoveryView } from "./discovery-view";

export const metadata: Metadata = { title: "Discovery and insights" };
export const dynamic = "force-dynamic";

const plain = (r: InsightRow) => ({ ...r, start: r.start.toISOString(), end: r.end?.toISOString() ?? null });

/** Discovery and insights (Preview): reduce global administrators, eliminate standing access, review service principals. */
const TABS = ["global-admins", "standing-access", "service-principals"] as const;

export default async function DiscoveryPage({ searchParams }: { searchParams: Promise<{ tab?: string }> }) {
  const asked = (await searchParams).tab;
  const tab = TABS.find((t) => t === asked) ?? "global-admins";
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const [r, tenantName] = await Promise.all([
    discoveryInsights(ctx, actor).catch((err: unknown) => {
      if (isPimError(err) && err.code === "Forbidden") return null;
      throw err;
    }),
    getTenantName(ctx),
  ]);
  if (!r)
    return (
      <NotAllowed
        title={`${tenantName} | Discovery and insights`}
        what="Discovery and insights"
        path={await accessPathFor(ctx, actor, "reader")}
      />
    );
  return (
    <>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={`${tenantName} | Discovery and insights (Preview)`} />
      <DiscoveryView
        admin={r.viewer.admin}
        tab={tab}
        globalAdmins={{ rows: r.globalAdmins.rows.map(plain), bars: r.globalAdmins.bars }}
        standingAccess={{ rows: r.standingAccess.rows.map(plain), bars: r.standingAccess.bars }}
        servicePrincipals={{ rows: r.servicePrincipals.rows.map(plain), bars: r.servicePrincipals.bars }}
      />
    </>
  );
}

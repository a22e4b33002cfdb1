import type { Metadata } from "next";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { getCtx } from "@/lib/server-db";
import { isPimReader } from "@/lib/pim/authz";
import { listActivity, listActivityNames, scopeLabeler } from "@/lib/pim/queries/activity-log";
import { listRolesWithCounts } from "@/lib/pim/queries/list-roles-with-counts";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { ActivityView } from "./activity-view";
import { parseActivityFilters } from "./filters";
import { toActivityQuery, toRowView } from "./mapping";

export const metadata: Metadata = { title: "Activity" };
export const dynamic = "force-dynamic";

/** Activity: Resource audit for PIM admins and readers, My audit for everyone. */
export default async function ActivityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const canReadAll = await isPimReader(ctx, actor);
  const raw = await searchParams;
  const filters = parseActivityFilters({ view: canReadAll ? "resource" : "mine", ...raw });
  if (filters.view === "resource" && !canReadAll) filters.view = "mine";
  const [page, label, roles, actions, tenantName] = await Promise.all([
    listActivity(ctx, toActivityQuery(filters, actor.id), { cursor: filters.cursor, limit: 50 }),
    scopeLabeler(ctx),
    listRolesWithCounts(ctx),
    listActivityNames(ctx),
    getTenantName(ctx),
  ]);
  return (
    <ActivityView
      tenantName={tenantName}
      filters={filters}
      canReadAll={canReadAll}
      roles={roles.map((r) => ({ id: r.id, displayName: r.displayName }))}
      actions={actions}
      rows={page.rows.map((r) => toRowView(r, label))}
      total={page.total}
      nextCursor={page.nextCursor}
    />
  );
}

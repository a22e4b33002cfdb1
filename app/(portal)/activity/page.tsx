import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { Download } from "lucide-react";
import { buttonClass } from "@/components/ui/button";
import { CommandBar } from "@/components/ui/command-bar";
import { queryString } from "@/components/ui/keyset";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { TableFooter } from "@/components/ui/table-footer";
import { cn } from "@/components/ui/cn";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { getCtx } from "@/lib/server-db";
import { activityViews, listActivityFilterOptions } from "@/lib/pim/queries/activity-log";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { ActivityFiltersForm } from "./activity-filters-form";
import { ActivityTable } from "./activity-table";
import { FILTER_KEYS, parseActivityFilters } from "./filters";
import { loadActivityPage } from "./load-page";
import { MySignIns } from "./my-sign-ins";
import { AuditStatusPanel } from "./audit-status-panel";
import { getAuditStatus } from "@/lib/pim/queries/audit-status";
import { NotAllowedNotice } from "@/components/chrome/not-allowed";
import { accessPathFor } from "@/lib/pim/queries/access-path";

export const metadata: Metadata = { title: "Activity" };
export const dynamic = "force-dynamic";

/** Activity: Resource audit for PIM admins and readers, My audit (my actions and actions on me) for everyone. */
export default async function ActivityPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const allowed = await activityViews(ctx, actor);
  const canReadAll = allowed.includes("resource");
  const raw = await searchParams;
  const filters = parseActivityFilters({ view: canReadAll ? "resource" : "mine", ...raw });
  if (filters.view === "resource" && !canReadAll) filters.view = "mine";
  const [page, options, tenantName] = await Promise.all([
    loadActivityPage(ctx, actor, filters),
    listActivityFilterOptions(ctx, { selectedRole: filters.role }),
    getTenantName(ctx),
  ]);
  const auditStatus = filters.view === "resource" ? await getAuditStatus(ctx, actor) : null;
  // Asked for Resource audit (a link, or a refused export) without a reader role: say so, show My audit.
  const refusedPath = raw.view === "resource" && !canReadAll ? await accessPathFor(ctx, actor, "reader") : null;
  const views = [
    ...(canReadAll ? [{ key: "resource" as const, label: "Resource audit" }] : []),
    { key: "mine" as const, label: "My audit" },
  ];
  const viewName = filters.view === "resource" ? "Resource audit" : "My audit";
  return (
    <div>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={`${tenantName} | Activity`} />
      <CommandBar label="Activity commands">
        <a href={page.exportHref} download className={buttonClass("command")}>
          <Download aria-hidden /> Export
        </a>
      </CommandBar>

      <nav aria-label="Audit views" className="mb-3 flex gap-4 border-b border-neutral-200">
        {views.map((v) => (
          <Link
            key={v.key}
            href={`/activity${queryString({ view: v.key })}`}
            aria-current={filters.view === v.key ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-1 pb-2 text-sm focus-visible:outline-2 focus-visible:outline-[#0078d4]",
              filters.view === v.key
                ? "border-[#0078d4] font-semibold text-neutral-900"
                : "border-transparent text-neutral-700 hover:text-neutral-900",
            )}
          >
            {v.label}
          </Link>
        ))}
      </nav>
      <p className="mb-3 text-sm text-neutral-700">
        {filters.view === "resource"
          ? "Every change in Privileged Identity Management in this directory, newest first."
          : "What you did and what others did to your roles, newest first."}
      </p>

      {refusedPath && (
        <NotAllowedNotice what="Resource audit" path={refusedPath} fallback="You see My audit instead." />
      )}
      {auditStatus && <AuditStatusPanel status={auditStatus} />}
      <ActivityFiltersForm filters={filters} roles={options.roles} actions={options.activities} />
      <ActivityTable
        rows={page.rows}
        caption={`${viewName}, newest first`}
        filtered={FILTER_KEYS.some((k) => filters[k])}
        view={filters.view}
      />
      <TableFooter
        from={page.from}
        count={page.rows.length}
        total={page.total}
        prevHref={page.prevHref}
        nextHref={page.nextHref}
      />
      {filters.view === "mine" && <MySignIns ctx={ctx} actor={actor} />}
    </div>
  );
}

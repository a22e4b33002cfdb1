import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { Suspense } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { Loading, Skeleton } from "@/components/ui/skeleton";
import { countText } from "@/components/ui/table-footer";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import type { Actor, Ctx } from "@/lib/pim/context";
import { getOverviewStats } from "@/lib/pim/queries/self-service-counts";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { ActivationChart } from "./activation-chart";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

type Count = number | { n: number; exact: boolean };

function Stat({ label, value, href, hint }: { label: string; value: Count; href: string; hint: string }) {
  return (
    <li className="border border-neutral-200 bg-white p-4">
      <Link href={href} className="group block rounded-sm focus-visible:outline-2 focus-visible:outline-[#0078d4]">
        <span className="block text-sm text-neutral-700">{label}</span>
        <span
          className="block text-3xl font-semibold text-neutral-900 group-hover:text-[#0078d4]"
          data-testid={`stat-${href.slice(1)}`}
        >
          {countText(value)}
        </span>
        <span className="block text-xs text-[#0078d4] group-hover:underline">{hint}</span>
      </Link>
    </li>
  );
}

/**
 * Overview: my roles and approvals at a glance; directory figures and the activation chart for PIM readers.
 * The shell (header, welcome) streams at once; the figures arrive in a Suspense boundary when ready.
 */
export default async function OverviewPage() {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const tenantName = await getTenantName(ctx);
  return (
    <div>
      <PageHeader title={`${tenantName} | Overview`} />
      <p className="mb-4 text-sm text-neutral-700">
        Welcome, {user.displayName}. Activate a role only when you need it; it ends by itself.
      </p>
      <Suspense fallback={<OverviewSkeleton />}>
        <OverviewFigures ctx={ctx} actor={actor} />
      </Suspense>
    </div>
  );
}

function OverviewSkeleton() {
  return (
    <Loading label="Loading figures">
      <Skeleton className="mb-2 h-6 w-32" />
      <div className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
      <Skeleton className="h-48 max-w-3xl" />
    </Loading>
  );
}

async function OverviewFigures({ ctx, actor }: { ctx: Ctx; actor: Actor }) {
  const stats = await getOverviewStats(ctx, actor);
  return (
    <>
      <h2 className="mb-2 text-lg font-semibold">At a glance</h2>
      <ul className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="My eligible roles" value={stats.myEligible} href="/my-roles" hint="Activate a role" />
        <Stat
          label="My active roles"
          value={stats.myActive}
          href="/my-roles?tab=active"
          hint="See active assignments"
        />
        <Stat
          label="Requests awaiting my approval"
          value={stats.approvalsForMe}
          href="/approve-requests"
          hint="Approve requests"
        />
        {stats.directory ? (
          <Stat
            label="Active assignments in the directory"
            value={stats.directory.activeAssignments}
            href="/assignments?tab=active"
            hint="See assignments"
          />
        ) : null}
      </ul>
      <h2 className="mb-2 text-lg font-semibold">
        {stats.directory ? "Activations in the last 30 days" : "My activations in the last 30 days"}
      </h2>
      <ActivationChart
        days={stats.directory ? stats.directory.activations : stats.myActivations}
        title={stats.directory ? "Role activations per day, last 30 days" : "My role activations per day, last 30 days"}
      />
    </>
  );
}

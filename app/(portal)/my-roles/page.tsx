import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { mfaIsRecent } from "@/lib/pim/rules/mfa";
import { listMyActiveRoles, listMyEligibleRoles, listMyExpiredRoles } from "@/lib/pim/queries/my-roles";
import { groupDefinitionsAmong } from "@/lib/pim/queries/groups-under-pim";
import { listScopes } from "@/lib/pim/queries/search-principals";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { MyRolesView } from "./my-roles-view";
import type { ActiveRow, EligibleRow, ExpiredRow, MyRolesTab } from "./types";

export const metadata: Metadata = { title: "My roles" };
export const dynamic = "force-dynamic";

type Search = { tab?: string; activate?: string; view?: string };
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** My roles: Eligible | Active | Expired assignments of the signed-in person (held directly or through a group). */
export default async function MyRolesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const now = ctx.now();
  const [tenantName, allEligible, allActive, allExpired, scopes] = await Promise.all([
    getTenantName(ctx),
    listMyEligibleRoles(ctx, actor),
    listMyActiveRoles(ctx, actor),
    listMyExpiredRoles(ctx, actor),
    listScopes(ctx),
  ]);
  // Entra's My roles shows "Microsoft Entra roles | Groups": memberships/ownerships of groups under PIM are
  // schedules of the groups' access definitions, listed in the Groups view (a link back to an activation
  // of one, e.g. after the MFA step-up, opens that view).
  const groupDefs = await groupDefinitionsAmong(ctx, [
    ...allEligible.map((r) => r.roleDefinitionId),
    ...allActive.map((r) => r.roleDefinitionId),
    ...allExpired.map((r) => r.roleDefinitionId),
  ]);
  const activateIsGroup = allEligible.some((r) => r.scheduleId === sp.activate && groupDefs.has(r.roleDefinitionId));
  const view: "roles" | "groups" = sp.view === "groups" || activateIsGroup ? "groups" : "roles";
  const inView = (r: { roleDefinitionId: string }) => groupDefs.has(r.roleDefinitionId) === (view === "groups");
  const [eligible, active, expired] = [allEligible.filter(inView), allActive.filter(inView), allExpired.filter(inView)];

  const eligibleRows: EligibleRow[] = eligible.map((e) => ({
    id: e.scheduleId,
    roleDefinitionId: e.roleDefinitionId,
    roleName: e.roleName,
    roleDescription: e.roleDescription,
    directoryScopeId: e.directoryScopeId,
    scopeName: e.scopeName,
    memberType: e.memberType,
    viaGroupName: e.viaGroupName,
    start: e.startDateTime.toISOString(),
    end: iso(e.endDateTime),
    policy: e.policy,
    activeUntil: e.activation ? (iso(e.activation.endDateTime) ?? "permanent") : null,
    activeFrom: e.activation ? e.activation.startDateTime.toISOString() : null,
    scheduledFrom: e.scheduledActivation ? e.scheduledActivation.startDateTime.toISOString() : null,
    scheduledId: e.scheduledActivation?.scheduleId ?? null,
    pendingRequestId: e.pendingRequestId,
    canRequestExtension: e.canRequestExtension,
  }));
  const activeRows: ActiveRow[] = active.map((a) => ({
    id: a.scheduleId,
    roleName: a.roleName,
    roleDefinitionId: a.roleDefinitionId,
    directoryScopeId: a.directoryScopeId,
    scopeName: a.scopeName,
    assignmentType: a.assignmentType,
    memberType: a.memberType,
    viaGroupName: a.viaGroupName,
    status: a.status,
    start: a.startDateTime.toISOString(),
    end: iso(a.endDateTime),
    scheduled: a.scheduled,
    canDeactivateNow: a.deactivatableFrom !== null && a.deactivatableFrom <= now,
    deactivatableFrom: iso(a.deactivatableFrom),
    canRequestExtension: a.canRequestExtension,
  }));
  const expiredRows: ExpiredRow[] = expired.map((x) => ({
    id: x.scheduleId,
    kind: x.kind,
    roleName: x.roleName,
    scopeName: x.scopeName,
    assignmentType: x.assignmentType,
    status: x.status,
    start: x.startDateTime.toISOString(),
    end: x.endDateTime.toISOString(),
    canRequestRenewal: x.canRequestRenewal,
  }));

  const tab: MyRolesTab = sp.tab === "active" || sp.tab === "expired" ? sp.tab : "eligible";
  const activateId = eligibleRows.some((r) => r.id === sp.activate) ? (sp.activate ?? null) : null;
  return (
    <div>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={`${tenantName} | My roles${view === "groups" ? " | Groups" : ""}`} />
      <nav aria-label="My roles views" className="mb-3 flex gap-4 border-b border-neutral-200 text-sm">
        {(
          [
            ["roles", "/my-roles", "Microsoft Entra roles"],
            ["groups", "/my-roles?view=groups", "Groups"],
          ] as const
        ).map(([id, href, label]) => (
          <Link
            key={id}
            href={href}
            aria-current={view === id ? "page" : undefined}
            className={`-mb-px border-b-2 px-1 pb-2 focus-visible:outline-2 focus-visible:outline-[#0078d4] ${
              view === id
                ? "border-[#0078d4] font-semibold text-neutral-900"
                : "border-transparent text-[#0078d4] hover:underline"
            }`}
          >
            {label}
          </Link>
        ))}
      </nav>
      <MyRolesView
        key={view}
        view={view}
        tab={activateId ? "eligible" : tab}
        eligible={eligibleRows}
        active={activeRows}
        expired={expiredRows}
        activateId={activateId}
        unitScopes={view === "groups" ? [] : scopes.filter((s) => s.directoryScopeId !== "/")}
        mfaRecent={mfaIsRecent(user, now)}
      />
    </div>
  );
}

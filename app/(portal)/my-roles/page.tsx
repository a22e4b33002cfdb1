import type { Metadata } from "next";
import { ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { mfaIsRecent } from "@/lib/pim/rules/mfa";
import { listMyActiveRoles, listMyEligibleRoles, listMyExpiredRoles } from "@/lib/pim/queries/my-roles";
import { listScopes } from "@/lib/pim/queries/search-principals";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { MyRolesView } from "./my-roles-view";
import type { ActiveRow, EligibleRow, ExpiredRow, MyRolesTab } from "./types";

export const metadata: Metadata = { title: "My roles" };
export const dynamic = "force-dynamic";

type Search = { tab?: string; activate?: string };
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** My roles: Eligible | Active | Expired assignments of the signed-in person (held directly or through a group). */
export default async function MyRolesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const now = ctx.now();
  const [tenantName, eligible, active, expired, scopes] = await Promise.all([
    getTenantName(ctx),
    listMyEligibleRoles(ctx, actor),
    listMyActiveRoles(ctx, actor),
    listMyExpiredRoles(ctx, actor),
    listScopes(ctx),
  ]);

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
      <PageHeader title={`${tenantName} | My roles`} />
      <MyRolesView
        tab={activateId ? "eligible" : tab}
        eligible={eligibleRows}
        active={activeRows}
        expired={expiredRows}
        activateId={activateId}
        unitScopes={scopes.filter((s) => s.directoryScopeId !== "/")}
        mfaRecent={mfaIsRecent(user, now)}
      />
    </div>
  );
}

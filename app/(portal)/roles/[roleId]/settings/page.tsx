import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import { ChevronLeft } from "lucide-react";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { getRoleSettingsView } from "@/lib/pim/queries/role-settings-view";
import { groupDefinitionsAmong } from "@/lib/pim/queries/groups-under-pim";
import { getCtx } from "@/lib/server-db";
import { RoleSettingsForm } from "./role-settings-form";
import type { RoleSettingsFormIn } from "./schema";

export const metadata: Metadata = { title: "Role settings" };
export const dynamic = "force-dynamic";

/** Role settings: PIM admins edit, PIM readers view. */
export default async function RoleSettingsPage({ params }: { params: Promise<{ roleId: string }> }) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const { roleId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(roleId)) notFound();
  const view = await getRoleSettingsView(ctx, actor, { roleDefinitionId: roleId }).catch((err: unknown) => {
    if (isPimError(err) && err.code === "Forbidden") return "forbidden" as const;
    throw err;
  });
  if (view === "forbidden")
    return (
      <NotAllowed
        title="Role setting details"
        what="a role's settings"
        path={await accessPathFor(ctx, actor, "reader")}
        readersNote="Readers view the settings; Privileged Role Administrators and Global Administrators change them."
      />
    );
  if (!view) notFound();
  const canManage = view.viewer.admin;
  const s = view.settings;
  const line = (r: { additionalRecipients: string[]; defaultRecipients: boolean; criticalOnly: boolean }) => ({
    ...r,
    additionalRecipients: r.additionalRecipients.join(", "),
  });
  const matrix = (e: typeof s.notifications.eligibleAssigned) => ({
    admin: line(e.admin),
    assignee: line(e.assignee),
    approver: line(e.approver),
  });
  const initial: RoleSettingsFormIn = {
    activationMaxHours: s.activationMaxMinutes / 60,
    activationRequireMfa: s.activationRequireMfa,
    activationRequireJustification: s.activationRequireJustification,
    activationRequireTicket: s.activationRequireTicket,
    approvalRequired: s.approvalRequired,
    approvalStages: s.approvalStages,
    allowPermanentEligible: s.allowPermanentEligible,
    eligibleMaxDays: s.eligibleMaxDays,
    allowPermanentActive: s.allowPermanentActive,
    activeMaxDays: s.activeMaxDays,
    activeRequireMfa: s.activeRequireMfa,
    activeRequireJustification: s.activeRequireJustification,
    notifications: {
      eligibleAssigned: matrix(s.notifications.eligibleAssigned),
      activeAssigned: matrix(s.notifications.activeAssigned),
      eligibleActivated: matrix(s.notifications.eligibleActivated),
    },
  };
  // A group's member/owner access definition (PIM for Groups) leads back to Groups.
  const isGroupAccess = (await groupDefinitionsAmong(ctx, [roleId])).size > 0;
  return (
    <div>
      <Link
        href={isGroupAccess ? "/groups" : "/roles"}
        className="mb-1 inline-flex items-center gap-0.5 text-sm text-[#0078d4] hover:underline focus-visible:outline-2 focus-visible:outline-[#0078d4]"
      >
        <ChevronLeft aria-hidden className="size-4" /> {isGroupAccess ? "Groups" : "Roles"}
      </Link>
      <PageHeader title={`Role setting details - ${view.role.displayName}`}>
        {view.updatedAt && (
          <p className="text-xs text-neutral-700">
            Last modified <LocalTime value={view.updatedAt.toISOString()} />
          </p>
        )}
      </PageHeader>
      {!canManage && (
        <Notice>
          You can view these settings. Privileged Role Administrators and Global Administrators change them.
        </Notice>
      )}
      <RoleSettingsForm
        roleId={view.role.id}
        roleName={view.role.displayName}
        initial={initial}
        readOnly={!canManage}
      />
    </div>
  );
}

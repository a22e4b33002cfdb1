import type { Metadata } from "next";
import { BladeHeader } from "@/components/admin/blade";
import { requireUser } from "@/lib/auth/session";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";

export const metadata: Metadata = { title: "Overview" };

/** Overview: a welcome for now (the UI work replaces its content). */
export default async function OverviewPage() {
  const user = await requireUser();
  const tenantName = await getTenantName(await getCtx());
  return (
    <div>
      <BladeHeader title={`${tenantName} | Overview`} subtitle="Privileged Identity Management | Microsoft Entra roles" />
      <p className="mt-4 text-[15px]">Welcome, {user.displayName}.</p>
      <p className="mt-1 text-sm text-neutral-700">
        You are signed in to {tenantName} as {user.userPrincipalName}. Use the menu to see roles, assignments and activity.
      </p>
    </div>
  );
}

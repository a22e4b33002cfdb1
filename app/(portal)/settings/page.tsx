import type { Metadata } from "next";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { getPimSettings } from "@/lib/pim/queries/pim-settings";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { PimManagersForm } from "./pim-managers-form";
import { PimSettingsForm } from "./pim-settings-form";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

/** PIM Settings: who manages PIM, the notification sender, alert and access review defaults. */
export default async function SettingsPage() {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const [r, tenantName] = await Promise.all([
    getPimSettings(ctx, actor).catch((err: unknown) => {
      if (isPimError(err) && err.code === "Forbidden") return null;
      throw err;
    }),
    getTenantName(ctx),
  ]);
  if (!r)
    return (
      <NotAllowed
        title={`${tenantName} | Settings`}
        what="the PIM settings"
        path={await accessPathFor(ctx, actor, "reader")}
      />
    );
  return (
    <>
      <PageHeader title={`${tenantName} | Settings`} />
      <section aria-labelledby="managers-h" className="mb-6 max-w-3xl text-sm">
        <h2 id="managers-h" className="mb-1 text-base font-semibold">
          Who manages PIM
        </h2>
        <p className="mb-2">
          Whoever holds{" "}
          {r.pimManagers === "globalAdministratorsOnly" ? (
            <>
              <strong>Global Administrator</strong>
            </>
          ) : (
            <>
              <strong>Global Administrator</strong> or <strong>Privileged Role Administrator</strong>
            </>
          )}{" "}
          right now (directly or through a group) manages PIM: assignments, role settings, alerts, access reviews and
          these settings, and approves requests where a role names no approvers. Security Administrators, Security
          Readers and Global Readers may view.
        </p>
        <ul className="list-disc pl-5" aria-label="People who manage PIM now">
          {r.managers.map((m) => (
            <li key={m.userId}>{m.name}</li>
          ))}
        </ul>
      </section>
      <PimManagersForm initial={r.pimManagers} admin={r.viewer.admin} />
      <PimSettingsForm
        initial={{ ...r.settings, notificationSenderName: r.settings.notificationSenderName ?? "" }}
        admin={r.viewer.admin}
      />
    </>
  );
}

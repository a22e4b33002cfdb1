import type { Metadata } from "next";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { LocalTime, ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { publicBaseUrl } from "@/lib/notify/public-url";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { listScimTokens } from "@/lib/pim/queries/scim-tokens";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { CreateScimTokenForm, RevokeScimTokenButton } from "./scim-forms";

export const metadata: Metadata = { title: "SCIM provisioning" };
export const dynamic = "force-dynamic";

/**
 * SCIM provisioning: Global and Privileged Role Administrators (held now) connect an identity provider
 * (Entra ID, Okta, Keycloak…) by issuing it a bearer token for /scim/v2. Everyone else gets "not allowed".
 */
export default async function ScimPage() {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const [tokens, tenantName] = await Promise.all([
    listScimTokens(ctx, actor).catch((err: unknown) => {
      if (isPimError(err) && err.code === "Forbidden") return null;
      throw err;
    }),
    getTenantName(ctx),
  ]);
  const title = `${tenantName} | SCIM provisioning`;
  if (!tokens)
    return (
      <NotAllowed
        title={title}
        what="SCIM provisioning (identity provider connections)"
        path={await accessPathFor(ctx, actor, "admin")}
      />
    );
  const now = ctx.now();
  const tenantUrl = `${publicBaseUrl().replace(/\/+$/, "")}/scim/v2`;
  return (
    <div className="space-y-6">
      <ServerClockSync now={now.toISOString()} />
      <div>
        <PageHeader title={title} subtitle="Provision users and groups from your identity provider" />
        <p className="max-w-3xl text-sm text-[#404040]">
          Your identity provider (Microsoft Entra ID, Okta, Keycloak, …) creates, updates and deprovisions people and
          groups here with SCIM 2.0. Enter the <strong>Tenant URL</strong>{" "}
          <code data-testid="scim-tenant-url" className="font-mono text-xs">
            {tenantUrl}
          </code>{" "}
          and a <strong>secret token</strong> from this page in its provisioning settings. Setting a person inactive or
          deleting them ends their sessions, tokens, pending requests and activations at once, as Disable user does.
        </p>
      </div>
      <section aria-labelledby="new-scim-heading" className="rounded border border-[#edebe9] p-4">
        <h2 id="new-scim-heading" className="mb-3 text-lg font-semibold">
          New token
        </h2>
        <CreateScimTokenForm tenantUrl={tenantUrl} />
      </section>
      <section aria-labelledby="scim-tokens-heading">
        <h2 id="scim-tokens-heading" className="mb-2 text-lg font-semibold">
          Connections
        </h2>
        {tokens.length === 0 ? (
          <p className="text-sm text-[#404040]">No identity provider is connected yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">SCIM tokens</caption>
            <thead className="border-b border-[#edebe9] text-[#404040]">
              <tr>
                <th scope="col" className="py-2 pr-4">
                  Connection
                </th>
                <th scope="col" className="pr-4">
                  Token
                </th>
                <th scope="col" className="pr-4">
                  Created by
                </th>
                <th scope="col" className="pr-4">
                  Created
                </th>
                <th scope="col" className="pr-4">
                  Expires
                </th>
                <th scope="col" className="pr-4">
                  Last used
                </th>
                <th scope="col" className="pr-4">
                  Status
                </th>
                <th scope="col" className="pr-4">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => {
                const status = t.revokedAt ? "Revoked" : t.expiresAt && t.expiresAt <= now ? "Expired" : "Active";
                return (
                  <tr key={t.id} className="border-b border-[#edebe9] align-top">
                    <td className="py-2 pr-4">{t.name}</td>
                    <td className="py-2 pr-4 font-mono text-xs">{t.hint}</td>
                    <td className="py-2 pr-4">{t.createdByName ?? "—"}</td>
                    <td className="py-2 pr-4">
                      <LocalTime value={t.createdAt} />
                    </td>
                    <td className="py-2 pr-4">
                      {t.expiresAt ? (
                        <LocalTime value={t.expiresAt} relative={{ future: "expires", past: "expired" }} />
                      ) : (
                        "Never"
                      )}
                    </td>
                    <td className="py-2 pr-4">
                      <LocalTime value={t.lastUsedAt} empty="Never" relative />
                    </td>
                    <td className="py-2 pr-4">{status}</td>
                    <td className="py-2 pr-4">
                      {status === "Active" ? <RevokeScimTokenButton tokenId={t.id} name={t.name} /> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

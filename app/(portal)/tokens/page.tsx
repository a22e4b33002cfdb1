import type { Metadata } from "next";
import { LocalTime, ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { SCOPE_DESCRIPTIONS } from "@/lib/api/scopes";
import { listMyApiTokens } from "@/lib/api/tokens-view";
import { MFA_RECENT_MS } from "@/lib/pim/rules/constants";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { CreateTokenForm, RevokeTokenButton } from "./token-forms";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const user = await requireUser();
  const ctx = await getCtx();
  const [tokens, tenantName] = await Promise.all([listMyApiTokens(ctx, user.id), getTenantName(ctx)]);
  const now = ctx.now();
  // A token carries this session's last MFA time: it satisfies "MFA required" for the same window as the session.
  const mfaUntil = user.mfaAt ? new Date(user.mfaAt.getTime() + MFA_RECENT_MS) : null;
  const mfaFresh = mfaUntil !== null && mfaUntil > now;
  return (
    <div className="space-y-6">
      <ServerClockSync now={now.toISOString()} />
      <div>
        <PageHeader title={`${tenantName} | API tokens`} subtitle="Microsoft Graph-compatible API" />
        <p className="text-sm text-[#605e5c]">
          Personal tokens for the Microsoft Graph-compatible API (
          <a className="text-[#0078d4] underline" href="/api-docs">
            API reference
          </a>
          ). Send <code className="font-mono text-xs">Authorization: Bearer &lt;token&gt;</code>. A token acts as you,
          with the rules of the portal: an admin action needs the role held now.
        </p>
      </div>
      <section aria-labelledby="new-token-heading" className="rounded border border-[#edebe9] p-4">
        <h2 id="new-token-heading" className="mb-3 text-lg font-semibold">
          New token
        </h2>
        <p data-testid="token-mfa-state" className="mb-3 text-sm text-[#605e5c]">
          {mfaFresh && mfaUntil ? (
            <>
              A token created now carries your MFA check: self-activations that require MFA work with it until{" "}
              <LocalTime value={mfaUntil} />.
            </>
          ) : (
            <>
              Your last MFA check is older than {MFA_RECENT_MS / 60_000} minutes: a token created now cannot activate
              roles that require MFA.{" "}
              <a className="text-[#0078d4] underline" href="/mfa?returnTo=%2Ftokens">
                Verify with MFA
              </a>{" "}
              first to create one that can.
            </>
          )}
        </p>
        <CreateTokenForm descriptions={SCOPE_DESCRIPTIONS} />
      </section>
      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading" className="mb-2 text-lg font-semibold">
          Your tokens
        </h2>
        {tokens.length === 0 ? (
          <p className="text-sm text-[#605e5c]">You have no tokens yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="border-b border-[#edebe9] text-[#605e5c]">
              <tr>
                <th className="py-2">Name</th>
                <th>Token</th>
                <th>Permissions</th>
                <th>MFA</th>
                <th>Created</th>
                <th>Expires</th>
                <th>Last used</th>
                <th>Status</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => {
                const status = t.revokedAt ? "Revoked" : t.expiresAt <= now ? "Expired" : "Active";
                return (
                  <tr key={t.id} className="border-b border-[#edebe9] align-top">
                    <td className="py-2">{t.name}</td>
                    <td className="py-2 font-mono text-xs">{t.hint}</td>
                    <td className="py-2 font-mono text-xs">{t.scopes.join(", ")}</td>
                    <td className="py-2">{t.mfa ? "Yes" : "No"}</td>
                    <td className="py-2">
                      <LocalTime value={t.createdAt} />
                    </td>
                    <td className="py-2">
                      <LocalTime value={t.expiresAt} relative={{ future: "expires", past: "expired" }} />
                    </td>
                    <td className="py-2">
                      <LocalTime value={t.lastUsedAt} empty="Never" relative />
                    </td>
                    <td className="py-2">{status}</td>
                    <td className="py-2">
                      {status === "Active" ? <RevokeTokenButton tokenId={t.id} name={t.name} /> : null}
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

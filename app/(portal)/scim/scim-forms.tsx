"use client";

import { FieldErrorText, FormErrorText, RevokeButton, useCreateOnce } from "@/components/ui/create-once";
import { ShownOnceSecret } from "@/components/ui/shown-once-secret";
import { createScimTokenAction, revokeScimTokenAction } from "./actions";

const EXPIRY = [
  { days: 365, label: "1 year" },
  { days: 730, label: "2 years" },
  { days: 180, label: "180 days" },
  { days: 90, label: "90 days" },
  { days: 0, label: "Never (revoke it here when the connection ends)" },
];

export function CreateScimTokenForm({ tenantUrl }: { tenantUrl: string }) {
  const { pending, error, fieldErrors, created, submit } = useCreateOnce((form) =>
    createScimTokenAction({ name: form.get("name"), expiresInDays: form.get("expiresInDays") }),
  );

  return (
    <div className="space-y-4">
      {created ? (
        <ShownOnceSecret
          title={`Copy the secret token for “${created.name}” now. It is shown only once.`}
          label="Secret token"
          value={created.token}
          testId="new-scim-token"
        >
          <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1">
            <dt className="font-semibold">Tenant URL</dt>
            <dd>
              <code className="font-mono text-xs">{tenantUrl}</code>
            </dd>
          </dl>
          <p className="mt-2 text-[#404040]">
            {created.expiresAt ? `Expires ${created.expiresAt.slice(0, 10)}.` : "Does not expire."} Every change made
            with it is audited as the application “{created.name}”.
          </p>
        </ShownOnceSecret>
      ) : null}
      <form
        action={submit}
        className="flex flex-wrap items-end gap-4"
        aria-describedby={error ? "scim-error" : undefined}
      >
        <div>
          <label htmlFor="scim-name" className="block text-sm font-semibold">
            Connection name
          </label>
          <input
            id="scim-name"
            name="name"
            required
            maxLength={100}
            placeholder="Microsoft Entra ID"
            className="mt-1 w-80 rounded border border-[#8a8886] px-2 py-1 text-sm"
            aria-invalid={fieldErrors.name ? true : undefined}
            aria-describedby={fieldErrors.name ? "scim-name-error" : undefined}
          />
          <FieldErrorText id="scim-name-error" errors={fieldErrors.name} />
        </div>
        <div>
          <label htmlFor="scim-expiry" className="block text-sm font-semibold">
            Expires after
          </label>
          <select
            id="scim-expiry"
            name="expiresInDays"
            defaultValue="365"
            className="mt-1 rounded border border-[#8a8886] px-2 py-1 text-sm"
          >
            {EXPIRY.map((e) => (
              <option key={e.days} value={e.days}>
                {e.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-[#0078d4] px-4 py-1.5 text-sm font-semibold text-white disabled:opacity-60"
        >
          {pending ? "Creating…" : "Create token"}
        </button>
        <FormErrorText id="scim-error" error={error} className="basis-full" />
      </form>
    </div>
  );
}

export function RevokeScimTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  return (
    <RevokeButton
      name={name}
      confirmText={`Revoke the SCIM token “${name}”? Provisioning with it stops at once.`}
      revoke={() => revokeScimTokenAction({ tokenId })}
    />
  );
}

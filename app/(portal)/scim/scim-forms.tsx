"use client";

import { useState, useTransition } from "react";
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
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [created, setCreated] = useState<{ token: string; name: string; expiresAt: string | null } | null>(null);

  function submit(form: FormData) {
    setError(null);
    setFieldErrors({});
    start(async () => {
      const r = await createScimTokenAction({ name: form.get("name"), expiresInDays: form.get("expiresInDays") });
      if (r.ok) setCreated(r.data);
      else {
        setError(r.message);
        setFieldErrors(r.fieldErrors ?? {});
      }
    });
  }

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
          {fieldErrors.name ? (
            <p id="scim-name-error" className="text-sm text-[#a4262c]">
              {fieldErrors.name.join(" ")}
            </p>
          ) : null}
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
        {error ? (
          <p id="scim-error" role="alert" aria-live="assertive" className="basis-full text-sm text-[#a4262c]">
            {error}
          </p>
        ) : null}
      </form>
    </div>
  );
}

export function RevokeScimTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span>
      <button
        type="button"
        disabled={pending}
        aria-label={`Revoke ${name}`}
        className="text-sm text-[#a4262c] hover:underline disabled:opacity-60"
        onClick={() =>
          start(async () => {
            if (!window.confirm(`Revoke the SCIM token “${name}”? Provisioning with it stops at once.`)) return;
            const r = await revokeScimTokenAction({ tokenId });
            if (!r.ok) setError(r.message);
          })
        }
      >
        Revoke
      </button>
      {error ? (
        <span role="alert" className="ml-2 text-xs text-[#a4262c]">
          {error}
        </span>
      ) : null}
    </span>
  );
}

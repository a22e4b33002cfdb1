"use client";

import { FieldErrorText, FormErrorText, RevokeButton, useCreateOnce } from "@/components/ui/create-once";
import { ShownOnceSecret } from "@/components/ui/shown-once-secret";
import { API_TOKEN_SCOPES } from "@/lib/validation/api-tokens";
import { createApiTokenAction, revokeApiTokenAction } from "./actions";

export function CreateTokenForm({ descriptions }: { descriptions: Record<string, string> }) {
  const { pending, error, fieldErrors, created, submit } = useCreateOnce((form) =>
    createApiTokenAction({
      name: form.get("name"),
      expiresInDays: form.get("expiresInDays"),
      scopes: form.getAll("scopes"),
    }),
  );

  return (
    <div className="space-y-4">
      {created ? (
        <ShownOnceSecret
          title={`Copy the token “${created.name}” now. It is shown only once.`}
          label="Token"
          value={created.token}
          testId="new-token"
        >
          <p className="mt-1 text-[#605e5c]">
            Expires {created.expiresAt.slice(0, 10)}.{" "}
            {created.mfa
              ? "Carries this session's MFA: self-activations that require MFA work with it for 15 minutes after your challenge."
              : "Carries no MFA: self-activations that require MFA are refused (MfaRule)."}
          </p>
        </ShownOnceSecret>
      ) : null}
      <form action={submit} className="space-y-3" aria-describedby={error ? "token-error" : undefined}>
        <div>
          <label htmlFor="token-name" className="block text-sm font-semibold">
            Name
          </label>
          <input
            id="token-name"
            name="name"
            required
            maxLength={100}
            className="mt-1 w-80 rounded border border-[#8a8886] px-2 py-1 text-sm"
            aria-describedby={fieldErrors.name ? "token-name-error" : undefined}
          />
          <FieldErrorText id="token-name-error" errors={fieldErrors.name} />
        </div>
        <div>
          <label htmlFor="token-expiry" className="block text-sm font-semibold">
            Expires after (days)
          </label>
          <input
            id="token-expiry"
            name="expiresInDays"
            type="number"
            min={1}
            max={365}
            defaultValue={30}
            required
            className="mt-1 w-32 rounded border border-[#8a8886] px-2 py-1 text-sm"
          />
          <FieldErrorText errors={fieldErrors.expiresInDays} />
        </div>
        <fieldset>
          <legend className="text-sm font-semibold">Permissions (Microsoft Graph names)</legend>
          <div className="mt-1 grid gap-1 sm:grid-cols-2">
            {API_TOKEN_SCOPES.map((s) => (
              <label key={s} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="scopes" value={s} className="mt-1" />
                <span>
                  <span className="font-mono text-xs">{s}</span>
                  <br />
                  <span className="text-[#605e5c]">{descriptions[s]}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldErrorText errors={fieldErrors.scopes} />
        </fieldset>
        <FormErrorText id="token-error" error={error} />
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-[#0078d4] px-4 py-1.5 text-sm font-semibold text-white disabled:opacity-60"
        >
          {pending ? "Creating…" : "Create token"}
        </button>
      </form>
    </div>
  );
}

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  return <RevokeButton name={name} revoke={() => revokeApiTokenAction({ tokenId })} />;
}

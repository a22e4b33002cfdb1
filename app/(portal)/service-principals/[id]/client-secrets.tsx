"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Plus } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CommandBar, CommandButton } from "@/components/ui/command-bar";
import { Checkbox, Field, Select, TextInput } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { useCreateOnce } from "@/components/ui/create-once";
import { ShownOnceSecret } from "@/components/ui/shown-once-secret";
import { SidePanel } from "@/components/ui/side-panel";
import { API_TOKEN_SCOPES } from "@/lib/validation/api-tokens";
import { createClientSecretAction, revokeClientSecretAction } from "../actions";

export type SecretRow = {
  id: string;
  displayName: string;
  hint: string;
  scopes: string[];
  /** ISO times, shown in the viewer's zone. */
  created: string;
  expires: string;
  status: "Active" | "Expired" | "Revoked";
};
type Props = {
  servicePrincipalId: string;
  appId: string;
  canManage: boolean;
  descriptions: Record<string, string>;
  secrets: SecretRow[];
};

const EXPIRY = [
  { days: 90, label: "90 days (3 months)" },
  { days: 180, label: "180 days (6 months)" },
  { days: 365, label: "365 days (12 months)" },
  { days: 730, label: "730 days (24 months)" },
];

/** "Certificates & secrets": list, "+ New client secret" (value shown once), Revoke. */
export function ClientSecrets({ servicePrincipalId, appId, canManage, descriptions, secrets }: Props) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const { pending, error, fieldErrors, created, submit } = useCreateOnce(
    (form) =>
      createClientSecretAction({
        servicePrincipalId,
        displayName: form.get("displayName"),
        expiresInDays: form.get("expiresInDays"),
        scopes: form.getAll("scopes"),
      }),
    () => {
      setOpen(false);
      // fresh list (the new row shows only the hint); drops "?created=1" from the URL
      router.replace(`/service-principals/${servicePrincipalId}`, { scroll: false });
    },
  );

  return (
    <section aria-labelledby="secrets-heading">
      <h2 id="secrets-heading" className="mb-2 text-lg font-semibold">
        Client secrets
      </h2>
      {canManage ? (
        <CommandBar label="Client secret commands">
          <CommandButton onClick={() => setOpen(true)}>
            <Plus aria-hidden className="size-4" /> New client secret
          </CommandButton>
        </CommandBar>
      ) : null}
      {created ? (
        <ShownOnceSecret
          title="Copy the secret value now. It is shown only once and cannot be retrieved later."
          label="Secret value"
          value={created.secret}
          testId="new-secret"
        >
          <dl className="mt-1 grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1">
            <dt>Client ID</dt>
            <dd className="font-mono text-xs">{appId}</dd>
            <dt>Permissions</dt>
            <dd className="font-mono text-xs">{created.scopes.join(", ")}</dd>
            <dt>Expires</dt>
            <dd>
              <LocalTime value={created.expiresAt} />
            </dd>
          </dl>
          <p className="mt-2">
            Get a token: <code className="font-mono text-xs break-all">POST /oauth2/v2.0/token</code> with{" "}
            <code className="font-mono text-xs">grant_type=client_credentials</code>,{" "}
            <code className="font-mono text-xs">client_id</code>,{" "}
            <code className="font-mono text-xs">client_secret</code> and{" "}
            <code className="font-mono text-xs">scope=https://graph.microsoft.com/.default</code>.
          </p>
        </ShownOnceSecret>
      ) : null}
      {secrets.length === 0 ? (
        <p className="text-sm text-neutral-700">
          No client secrets. {canManage ? "Add one so the application can get tokens." : null}
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-left text-sm">
            <caption className="sr-only">Client secrets of this service principal</caption>
            <thead className="border-b border-neutral-300 text-neutral-700">
              <tr>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  Description
                </th>
                <th scope="col" className="pr-3 font-semibold">
                  Value
                </th>
                <th scope="col" className="pr-3 font-semibold">
                  Permissions
                </th>
                <th scope="col" className="pr-3 font-semibold">
                  Created
                </th>
                <th scope="col" className="pr-3 font-semibold">
                  Expires
                </th>
                <th scope="col" className="pr-3 font-semibold">
                  Status
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {secrets.map((s) => (
                <tr key={s.id} className="border-b border-neutral-200 align-top" data-testid="secret-row">
                  <td className="py-2 pr-3">{s.displayName}</td>
                  <td className="py-2 pr-3 font-mono text-xs">{s.hint}</td>
                  <td className="py-2 pr-3 font-mono text-xs">{s.scopes.join(", ")}</td>
                  <td className="py-2 pr-3 whitespace-nowrap">
                    <LocalTime value={s.created} />
                  </td>
                  <td className="py-2 pr-3 whitespace-nowrap">
                    <LocalTime value={s.expires} relative={{ future: "expires", past: "expired" }} />
                  </td>
                  <td className="py-2 pr-3">
                    <Badge tone={s.status === "Active" ? "success" : "neutral"}>{s.status}</Badge>
                  </td>
                  <td className="py-2">
                    {canManage && s.status === "Active" ? <RevokeSecret id={s.id} name={s.displayName} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <SidePanel
        open={open}
        onClose={() => setOpen(false)}
        title="Add a client secret"
        busy={pending}
        testId="new-secret-panel"
        wide
      >
        <form action={submit} className="space-y-3">
          {error ? <Notice tone="error">{error}</Notice> : null}
          <Field label="Description" required error={fieldErrors.displayName}>
            {(p) => <TextInput {...p} name="displayName" maxLength={100} required data-autofocus />}
          </Field>
          <Field label="Expires" error={fieldErrors.expiresInDays}>
            {(p) => (
              <Select {...p} name="expiresInDays" defaultValue="180">
                {EXPIRY.map((e) => (
                  <option key={e.days} value={e.days}>
                    {e.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <fieldset aria-describedby={fieldErrors.scopes ? "secret-scopes-error" : undefined}>
            <legend className="text-sm font-semibold">
              Graph permissions to grant the application with this secret (see API permissions)
            </legend>
            <div className="mt-1 space-y-1">
              {API_TOKEN_SCOPES.map((s) => (
                <Checkbox
                  key={s}
                  name="scopes"
                  value={s}
                  label={<span className="font-mono text-xs">{s}</span>}
                  hint={descriptions[s]}
                />
              ))}
            </div>
            {fieldErrors.scopes ? (
              <p id="secret-scopes-error" className="text-sm text-red-700">
                {fieldErrors.scopes.join(" ")}
              </p>
            ) : null}
          </fieldset>
          <div className="flex gap-2">
            <Button type="submit" variant="primary" pending={pending} pendingLabel="Adding…">
              Add
            </Button>
            <Button onClick={() => setOpen(false)} disabled={pending}>
              Cancel
            </Button>
          </div>
        </form>
      </SidePanel>
    </section>
  );
}

function RevokeSecret({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span>
      <Button
        variant="link"
        pending={pending}
        aria-label={`Revoke ${name}`}
        onClick={() =>
          start(async () => {
            const r = await revokeClientSecretAction({ secretId: id });
            if (r.ok) router.refresh();
            else setError(r.message);
          })
        }
      >
        Revoke
      </Button>
      {error ? (
        <span role="alert" className="ml-2 text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}

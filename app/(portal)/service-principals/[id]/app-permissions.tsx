"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { APP_PERMISSIONS } from "@/lib/validation/service-principal-permissions";
import { setAppPermissionsAction } from "./permission-actions";

type Props = {
  servicePrincipalId: string;
  canManage: boolean;
  descriptions: Record<string, string>;
  granted: { permission: string; grantedAt: string; grantedBy: string | null }[];
};

/**
 * "API permissions": the Microsoft Graph application permissions granted to this service principal. They
 * decide what its tokens may do through the API; a PIM administrator grants or removes them (audited).
 */
export function AppPermissions({ servicePrincipalId, canManage, descriptions, granted }: Props) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const held = new Set(granted.map((g) => g.permission));

  function submit(form: FormData) {
    setMessage(null);
    start(async () => {
      const r = await setAppPermissionsAction({ servicePrincipalId, permissions: form.getAll("permissions") });
      if (r.ok) {
        const words = [
          r.data.added.length ? `granted ${r.data.added.join(", ")}` : null,
          r.data.removed.length ? `removed ${r.data.removed.join(", ")}` : null,
        ].filter(Boolean);
        setMessage({ tone: "success", text: words.length ? `Saved: ${words.join("; ")}.` : "Nothing changed." });
        router.refresh();
      } else setMessage({ tone: "error", text: r.message });
    });
  }

  return (
    <section aria-labelledby="permissions-heading" className="mb-6">
      <h2 id="permissions-heading" className="mb-2 text-lg font-semibold">
        API permissions
      </h2>
      <p className="mb-2 max-w-3xl text-sm text-neutral-700">
        Microsoft Graph application permissions granted to this application. Its tokens may do what these allow through
        the API, at once and without holding a role; removing one takes effect at the next request.
      </p>
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      {canManage ? (
        <form action={submit} className="space-y-1" aria-label="Application permissions">
          {APP_PERMISSIONS.map((p) => (
            <Checkbox
              key={p}
              name="permissions"
              value={p}
              defaultChecked={held.has(p)}
              label={<span className="font-mono text-xs">{p}</span>}
              hint={descriptions[p]}
            />
          ))}
          <div className="pt-2">
            <Button type="submit" variant="primary" pending={pending} pendingLabel="Saving…">
              Save permissions
            </Button>
          </div>
        </form>
      ) : granted.length === 0 ? (
        <p className="text-sm text-neutral-700">No application permissions granted.</p>
      ) : (
        <ul className="space-y-1 text-sm" data-testid="granted-permissions">
          {granted.map((g) => (
            <li key={g.permission}>
              <span className="font-mono text-xs">{g.permission}</span>{" "}
              <span className="text-neutral-700">
                granted <LocalTime value={g.grantedAt} />
                {g.grantedBy ? ` by ${g.grantedBy}` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

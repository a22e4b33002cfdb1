"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextArea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { setUserEnabledInput } from "@/lib/validation/set-user-enabled";
import { setUserEnabledAction } from "./actions";
import type { UserRow } from "./types";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * "Disable Dana Disabled?" / "Enable Dana Disabled?": what happens to the person's access, a required
 * justification (same schema as the server), a toast with what was done.
 */
export function SetEnabledDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [justification, setJustification] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const enabling = !user.accountEnabled;
  const verb = enabling ? "Enable" : "Disable";

  const confirm = () =>
    start(async () => {
      setFailure(null);
      const input = { userId: user.id, enabled: enabling, justification };
      const local = setUserEnabledInput.safeParse(input);
      if (!local.success) {
        setError(local.error.issues.find((i) => i.path[0] === "justification")?.message);
        return;
      }
      setError(undefined);
      const res = await setUserEnabledAction(input);
      if (!res.ok) {
        setError(res.fieldErrors?.justification?.[0]);
        setFailure(describeFailure(res));
        return;
      }
      const d = res.data;
      if (enabling) {
        toast.success(`${d.displayName} is enabled and can sign in again. Roles that ended stay ended.`);
      } else {
        const done = [
          plural(d.sessionsEnded, "session") + " ended",
          plural(d.tokensRevoked, "API token") + " revoked",
          plural(d.requestsCanceled, "pending request") + " canceled",
          plural(d.activationsEnded, "active role") + " ended",
        ];
        toast.success(`${d.displayName} is disabled: ${done.join(", ")}. Eligible and assigned roles are kept.`);
      }
      onClose();
      router.refresh();
    });

  return (
    <SidePanel
      open
      variant="dialog"
      onClose={onClose}
      busy={pending}
      title={`${verb} ${user.displayName}?`}
      testId="set-enabled-dialog"
      footer={
        <>
          <Button variant={enabling ? "primary" : "danger"} onClick={confirm} pending={pending} pendingLabel={enabling ? "Enabling…" : "Disabling…"}>
            {verb} user
          </Button>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
        </>
      }
    >
      {enabling ? (
        <p className="mb-3 text-sm">
          {user.displayName} ({user.userPrincipalName}) can sign in again, and their eligible and assigned roles apply again. Activations and
          requests that ended when the account was disabled do not come back: they activate again in My roles.
        </p>
      ) : (
        <>
          <p className="mb-2 text-sm">
            {user.displayName} ({user.userPrincipalName}) can no longer sign in, and at once:
          </p>
          <ul className="mb-3 list-disc pl-5 text-sm">
            <li>every session ends (open browsers are sent to sign-in);</li>
            <li>their personal API tokens are revoked;</li>
            <li>pending requests they made or that are for them are canceled (approvers are told);</li>
            <li>their active role activations end now.</li>
          </ul>
          <p className="mb-3 text-sm">
            Eligible and admin-assigned roles are kept but grant nothing while the account is disabled.
          </p>
        </>
      )}
      {failure && <Notice tone="error">{failure}</Notice>}
      <Field label="Justification" required error={error} hint={`Why the account is ${enabling ? "enabled" : "disabled"}, e.g. the ticket.`}>
        {(c) => <TextArea {...c} value={justification} onChange={(e) => setJustification(e.target.value)} maxLength={500} data-autofocus />}
      </Field>
    </SidePanel>
  );
}

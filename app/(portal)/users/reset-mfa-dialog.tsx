"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { resetUserMfaAction } from "@/app/(auth)/reset-mfa-action";
import { Button } from "@/components/ui/button";
import { Field, TextArea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { resetUserMfaInput } from "@/lib/validation/reset-mfa";
import type { UserRow } from "./types";

/**
 * "Reset MFA of Remy Reset?": clears the person's authenticator and ends their sessions; their next
 * sign-in asks them to set one up again. The justification is required (same schema as the server).
 */
export function ResetMfaDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [justification, setJustification] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);

  const confirm = () =>
    start(async () => {
      setFailure(null);
      const input = { userId: user.id, justification };
      const local = resetUserMfaInput.safeParse(input);
      if (!local.success) {
        setError(local.error.issues.find((i) => i.path[0] === "justification")?.message);
        return;
      }
      setError(undefined);
      const res = await resetUserMfaAction(input);
      if (!res.ok) {
        setError(res.fieldErrors?.justification?.[0]);
        setFailure(describeFailure(res));
        return;
      }
      const { sessionsEnded: s, tokensRevoked: t } = res.data;
      const counts = [s > 0 ? `${s} session${s === 1 ? "" : "s"} ended` : null, t > 0 ? `${t} API token${t === 1 ? "" : "s"} revoked` : null].filter(Boolean);
      toast.success(`MFA of ${res.data.displayName} is reset. They set up an authenticator at their next sign-in${counts.length ? ` (${counts.join(", ")})` : ""}.`);
      onClose();
      router.refresh();
    });

  return (
    <SidePanel
      open
      variant="dialog"
      onClose={onClose}
      busy={pending}
      title={`Reset MFA of ${user.displayName}?`}
      testId="reset-mfa-dialog"
      footer={
        <>
          <Button variant="danger" onClick={confirm} pending={pending} pendingLabel="Resetting…">
            Reset MFA
          </Button>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
        </>
      }
    >
      <p className="mb-3 text-sm">
        {user.displayName} ({user.userPrincipalName}) loses the registered authenticator, is signed out everywhere and their personal API tokens
        are revoked. At the next sign-in they scan a new QR code before they can continue.
      </p>
      {failure && <Notice tone="error">{failure}</Notice>}
      <Field label="Justification" required error={error} hint="Why the MFA is reset, e.g. the ticket of the lost phone.">
        {(c) => <TextArea {...c} value={justification} onChange={(e) => setJustification(e.target.value)} maxLength={500} data-autofocus />}
      </Field>
    </SidePanel>
  );
}

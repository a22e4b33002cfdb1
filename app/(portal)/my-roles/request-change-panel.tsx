"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { CharacterCount } from "@/components/ui/character-count";
import { Field, TextArea, TextInput } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { firstErrorPerField } from "@/lib/validation/field-errors";
import { requestExtensionInput } from "@/lib/validation/pim";
import { requestExtensionAction, requestRenewalAction } from "./actions";

export type ChangeTarget = {
  mode: "extend" | "renew";
  kind: "eligibility" | "assignment";
  scheduleId: string;
  roleName: string;
  scopeName: string;
  currentEnd: string | null;
};

const localInput = (d: Date) => {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/**
 * Extend (end within 14 days) or Renew (ended within 30 days): asks the administrators for a new end.
 * Validated with the server's schema; the use case applies the role's limits.
 */
export function RequestChangePanel({ target, onClose }: { target: ChangeTarget; onClose: () => void }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const base = target.currentEnd && new Date(target.currentEnd) > new Date() ? new Date(target.currentEnd) : new Date();
  // Activations may not run past the role's maximum from now (the server says so if asked for more): suggest one hour.
  const [end, setEnd] = useState(() =>
    localInput(new Date(base.getTime() + (target.kind === "assignment" ? 3600_000 : 30 * 86_400_000))),
  );
  const [justification, setJustification] = useState("");
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const verb = target.mode === "extend" ? "Extend" : "Renew";

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const input = {
      kind: target.kind,
      scheduleId: target.scheduleId,
      endDateTime: end ? new Date(end) : undefined,
      permanent: false,
      justification,
    };
    const parsed = requestExtensionInput.safeParse(input);
    if (!parsed.success) {
      setErrors(firstErrorPerField(parsed.error));
      return;
    }
    setErrors({});
    start(async () => {
      const res = await (target.mode === "extend"
        ? requestExtensionAction(parsed.data)
        : requestRenewalAction(parsed.data));
      if (!res.ok) {
        if (res.code === "ExpirationRule") setErrors({ endDateTime: describeFailure(res) });
        else setFailure(describeFailure(res));
        return;
      }
      toast.info(
        `Your request to ${verb.toLowerCase()} ${target.roleName} was sent to the administrators for approval.`,
      );
      onClose();
      router.refresh();
    });
  };

  return (
    <SidePanel
      open
      onClose={onClose}
      busy={pending}
      title={`${verb} ${target.roleName}`}
      subtitle={target.scopeName}
      testId="request-change-panel"
      footer={
        <>
          <Button type="submit" form="change-form" variant="primary" pending={pending} pendingLabel="Sending…">
            {verb}
          </Button>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
        </>
      }
    >
      <p className="mb-3 text-sm">
        {target.mode === "extend" ? "Current end: " : "Ended: "}
        <LocalTime value={target.currentEnd} />. Administrators approve{" "}
        {target.mode === "extend" ? "extensions" : "renewals"}.
      </p>
      {failure && <Notice tone="error">{failure}</Notice>}
      <form id="change-form" onSubmit={submit} noValidate>
        <Field label="New end" hint="In your time zone." error={errors.endDateTime} required>
          {(c) => (
            <TextInput
              {...c}
              type="datetime-local"
              value={end}
              onChange={(e) => setEnd(e.target.value)}
              data-autofocus
            />
          )}
        </Field>
        <Field
          label="Reason"
          error={errors.justification}
          hint={<CharacterCount length={justification.length} max={500} />}
        >
          {(c) => <TextArea {...c} value={justification} onChange={(e) => setJustification(e.target.value)} />}
        </Field>
      </form>
    </SidePanel>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextArea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import type { PimManagers } from "@/lib/validation/governance";
import { setPimManagersAction } from "./actions";

const choices: { value: PimManagers; label: string; hint: string }[] = [
  {
    value: "globalAndPrivilegedRoleAdministrators",
    label: "Global Administrators and Privileged Role Administrators",
    hint: "Entra's rule (the default). To let someone manage PIM, make them eligible for Privileged Role Administrator.",
  },
  {
    value: "globalAdministratorsOnly",
    label: "Global Administrators only",
    hint: "Privileged Role Administrators keep their role but can no longer manage PIM or approve by default. Only someone holding Global Administrator now can choose this.",
  },
];

/** "Who may manage PIM": the choice, a reason, Save (admins); readers see the choice. */
export function PimManagersForm({ initial, admin }: { initial: PimManagers; admin: boolean }) {
  const router = useRouter();
  const [choice, setChoice] = useState<PimManagers>(initial);
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const save = () =>
    start(async () => {
      setFailure(null);
      const r = await setPimManagersAction({ pimManagers: choice, justification: reason });
      if (!r.ok) {
        setErrors(r.fieldErrors ?? {});
        setFailure(describeFailure(r));
        return;
      }
      setErrors({});
      setReason("");
      toast.success(r.data.changed ? "Who manages PIM was changed." : "Nothing changed.");
      router.refresh();
    });
  return (
    <form
      className="mb-6 max-w-3xl"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      aria-label="Who may manage PIM"
    >
      {failure && <Notice tone="error">{failure}</Notice>}
      <fieldset className="mb-4 rounded-sm border border-neutral-300 p-4" disabled={!admin}>
        <legend className="px-1 text-base font-semibold">Who may manage PIM</legend>
        {choices.map((c) => (
          <label key={c.value} className="mb-3 flex items-start gap-2 text-sm text-neutral-900">
            <input
              type="radio"
              name="pimManagers"
              value={c.value}
              checked={choice === c.value}
              onChange={() => setChoice(c.value)}
              className="mt-0.5 size-4 accent-[#0078d4]"
            />
            <span>
              {c.label}
              <span className="block text-xs text-neutral-700">{c.hint}</span>
            </span>
          </label>
        ))}
        {admin && (
          <Field label="Reason" required error={errors.justification} className="max-w-xl">
            {(p) => <TextArea {...p} rows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />}
          </Field>
        )}
        {admin && (
          <Button
            type="submit"
            variant="primary"
            pending={pending}
            pendingLabel="Saving…"
            disabled={choice === initial}
          >
            Save who manages PIM
          </Button>
        )}
      </fieldset>
    </form>
  );
}

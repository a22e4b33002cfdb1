"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { defaultDecisions } from "@/lib/validation/governance";
import { defaultDecisionWords } from "../access-reviews/labels";
import { updatePimSettingsAction } from "./actions";

type Form = {
  notificationSenderName: string;
  notificationReplyTo: string;
  defaultReviewDurationDays: number;
  defaultReviewDecision: (typeof defaultDecisions)[number];
  reviewReminderDaysBeforeEnd: number;
  alertEvaluationMinutes: number;
};

/** The PIM-wide settings form (admins save; readers see the values). */
export function PimSettingsForm({ initial, admin }: { initial: Form; admin: boolean }) {
  const router = useRouter();
  const [f, setF] = useState<Form>(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((p) => ({ ...p, [k]: v }));
  const save = () =>
    start(async () => {
      setFailure(null);
      const r = await updatePimSettingsAction(f);
      if (!r.ok) {
        setErrors(r.fieldErrors ?? {});
        setFailure(describeFailure(r));
        return;
      }
      setErrors({});
      toast.success("PIM settings saved.");
      router.refresh();
    });
  const num = (k: keyof Form, label: string, hint: string) => (
    <Field label={label} hint={hint} error={errors[k]} className="max-w-xs">
      {(p) => (
        <TextInput
          {...p}
          type="number"
          inputMode="numeric"
          disabled={!admin}
          value={String(f[k])}
          onChange={(e) => set(k, Number(e.currentTarget.value) as never)}
        />
      )}
    </Field>
  );
  return (
    <form
      className="max-w-3xl"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      {!admin && (
        <Notice>
          You can view these settings. Changing them needs an active Global Administrator or Privileged Role
          Administrator role.
        </Notice>
      )}
      {failure && <Notice tone="error">{failure}</Notice>}
      <fieldset className="mb-4 rounded-sm border border-neutral-300 p-4">
        <legend className="px-1 text-base font-semibold">Notifications</legend>
        <Field
          label="Sender name"
          hint="Shown as the sender of PIM emails. Empty: the MAIL_FROM setting as it is."
          error={errors.notificationSenderName}
        >
          {(p) => (
            <TextInput
              {...p}
              disabled={!admin}
              value={f.notificationSenderName}
              onChange={(e) => set("notificationSenderName", e.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          label="Reply-to address"
          hint="Where replies to PIM emails go. Empty: no Reply-To."
          error={errors.notificationReplyTo}
        >
          {(p) => (
            <TextInput
              {...p}
              type="email"
              disabled={!admin}
              value={f.notificationReplyTo}
              onChange={(e) => set("notificationReplyTo", e.currentTarget.value)}
            />
          )}
        </Field>
      </fieldset>
      <fieldset className="mb-4 rounded-sm border border-neutral-300 p-4">
        <legend className="px-1 text-base font-semibold">Alerts</legend>
        {num(
          "alertEvaluationMinutes",
          "Evaluate alerts every (minutes)",
          "5 to 1440. Refresh on the Alerts page evaluates at once.",
        )}
      </fieldset>
      <fieldset className="mb-4 rounded-sm border border-neutral-300 p-4">
        <legend className="px-1 text-base font-semibold">Access review defaults</legend>
        {num("defaultReviewDurationDays", "Duration of a new review (days)", "1 to 180.")}
        <Field label="If reviewers don't respond" className="max-w-xs">
          {(p) => (
            <Select
              {...p}
              disabled={!admin}
              value={f.defaultReviewDecision}
              onChange={(e) => set("defaultReviewDecision", e.currentTarget.value as Form["defaultReviewDecision"])}
            >
              {defaultDecisions.map((v) => (
                <option key={v} value={v}>
                  {defaultDecisionWords[v]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {num(
          "reviewReminderDaysBeforeEnd",
          "Remind reviewers (days before the end)",
          "1 to 30; at most a third of a stage.",
        )}
      </fieldset>
      {admin && (
        <Button type="submit" variant="primary" pending={pending} pendingLabel="Saving…">
          Save
        </Button>
      )}
    </form>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox, Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { alertKeys, type AlertKey, type AlertSettings } from "@/lib/validation/governance";
import { updateAlertSettingsAction } from "../actions";

type NumberField = { key: AlertKey; field: string; label: string; hint: string };
const numbers: NumberField[] = [
  { key: "staleAccounts", field: "days", label: "Days without sign-in", hint: "1 to 365 days." },
  { key: "adminsNotUsingRoles", field: "days", label: "Days without activation", hint: "0 to 100 days." },
  {
    key: "tooManyGlobalAdmins",
    field: "minCount",
    label: "Minimum number of Global Administrators",
    hint: "2 to 100.",
  },
  {
    key: "tooManyGlobalAdmins",
    field: "minPercent",
    label: "Percentage of Global Administrators",
    hint: "0 to 100 % of all assignments. Both thresholds must be reached.",
  },
  {
    key: "frequentActivation",
    field: "count",
    label: "Number of activations",
    hint: "2 to 100 activations of one role by one person.",
  },
  { key: "frequentActivation", field: "windowHours", label: "Time window (hours)", hint: "1 to 720 hours." },
];

/** The settings of the six alerts: on/off and thresholds, saved together (audited, alerts evaluated again). */
export function AlertSettingsForm({
  initial,
  admin,
  titles,
}: {
  initial: AlertSettings;
  admin: boolean;
  titles: Record<string, string>;
}) {
  const router = useRouter();
  const [s, setS] = useState<AlertSettings>(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const set = (key: AlertKey, field: string, value: boolean | number) =>
    setS((prev) => ({ ...prev, [key]: { ...prev[key], [field]: value } }));

  const save = () =>
    start(async () => {
      setFailure(null);
      const r = await updateAlertSettingsAction(s);
      if (!r.ok) {
        setErrors(r.fieldErrors ?? {});
        setFailure(describeFailure(r));
        return;
      }
      setErrors({});
      toast.success("Alert settings saved. The alerts were evaluated again.");
      router.refresh();
    });

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
      {alertKeys.map((key) => (
        <fieldset key={key} className="mb-4 rounded-sm border border-neutral-300 p-4">
          <legend className="px-1 text-base font-semibold">{titles[key]}</legend>
          <Checkbox
            label="Alert on"
            checked={s[key].enabled}
            disabled={!admin}
            onChange={(e) => set(key, "enabled", e.currentTarget.checked)}
          />
          {numbers
            .filter((n) => n.key === key)
            .map((n) => (
              <Field key={n.field} label={n.label} hint={n.hint} error={errors[key]?.[0]} className="mt-3 max-w-xs">
                {(p) => (
                  <TextInput
                    {...p}
                    type="number"
                    inputMode="numeric"
                    disabled={!admin}
                    value={String((s[key] as Record<string, number | boolean>)[n.field])}
                    onChange={(e) => set(key, n.field, Number(e.currentTarget.value))}
                  />
                )}
              </Field>
            ))}
        </fieldset>
      ))}
      {admin && (
        <Button type="submit" variant="primary" pending={pending} pendingLabel="Saving…">
          Save
        </Button>
      )}
    </form>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { FormProvider, useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { Button } from "@/components/ui/button";
import { Checkbox, Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { Tabs } from "@/components/ui/tabs";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { updateRoleSettingsAction } from "./actions";
import { ApprovalStagesEditor } from "./approval-stages-editor";
import { NotificationsMatrix } from "./notifications-matrix";
import { roleSettingsForm, type RoleSettingsFormIn, type RoleSettingsFormOut } from "./schema";

type Section = "activation" | "assignment" | "notification";
const assignmentFields = [
  "allowPermanentEligible",
  "eligibleMaxDays",
  "allowPermanentActive",
  "activeMaxDays",
  "activeRequireMfa",
  "activeRequireJustification",
];
const sectionOf = (field: string): Section =>
  field.startsWith("notifications") ? "notification" : assignmentFields.includes(field) ? "assignment" : "activation";
/** The engine speaks minutes; this form speaks hours. */
const formField = (key: string) => (key === "activationMaxMinutes" ? "activationMaxHours" : key);

/** Every §3 setting of one role, in the portal's three tabs. One save writes all of them (audited with before/after). */
export function RoleSettingsForm({
  roleId,
  roleName,
  initial,
  readOnly,
}: {
  roleId: string;
  roleName: string;
  initial: RoleSettingsFormIn;
  readOnly: boolean;
}) {
  const router = useRouter();
  const [section, setSection] = useState<Section>("activation");
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<RoleSettingsFormIn, unknown, RoleSettingsFormOut>({
    resolver: zodResolver(roleSettingsForm),
    defaultValues: initial,
    mode: "onBlur",
  });
  const { register, handleSubmit, formState, control, setError } = form;
  const [requireMfa, approvalRequired, allowPermanentEligible, allowPermanentActive] = useWatch({
    control,
    name: ["activationRequireMfa", "approvalRequired", "allowPermanentEligible", "allowPermanentActive"],
  });
  const e = formState.errors;

  const submit = handleSubmit(
    async (values) => {
      setFailure(null);
      const res = await updateRoleSettingsAction(roleId, values);
      if (!res.ok) {
        const keys = Object.keys(res.fieldErrors ?? {});
        for (const k of keys) {
          const m = res.fieldErrors?.[k]?.[0];
          if (m) setError(formField(k) as keyof RoleSettingsFormIn, { message: m });
        }
        if (keys[0]) setSection(sectionOf(formField(keys[0])));
        setFailure(describeFailure(res));
        return;
      }
      toast.success(`Saved the settings of ${roleName}.`);
      form.reset(form.getValues());
      router.refresh();
    },
    (errs) => {
      setSection(sectionOf(Object.keys(errs)[0] ?? ""));
      setFailure("Some settings are not valid: see the highlighted fields.");
    },
  );

  // Each tab's controls sit in their own fieldset, so a read-only view disables the controls but not the tabs.
  const group = (children: ReactNode) => (
    <fieldset disabled={readOnly} className="max-w-3xl">
      {children}
    </fieldset>
  );

  return (
    <FormProvider {...form}>
      <form noValidate onSubmit={submit} aria-label={`Settings of ${roleName}`}>
        {failure && <Notice tone="error">{failure}</Notice>}
        <Tabs
          label="Setting groups"
          value={section}
          onValueChange={(id) => setSection(id as Section)}
          items={[
            {
              id: "activation",
              label: "Activation",
              content: group(
                <>
                  <Field
                    label="Activation maximum duration (hours)"
                    hint="Between 0.5 and 24 hours, in half-hour steps."
                    error={e.activationMaxHours?.message}
                  >
                    {(c) => (
                      <TextInput
                        {...c}
                        type="number"
                        step={0.5}
                        min={0.5}
                        max={24}
                        {...register("activationMaxHours")}
                        className="max-w-40"
                      />
                    )}
                  </Field>
                  <fieldset className="mb-4">
                    <legend className="mb-1 text-sm font-semibold text-neutral-800">On activation, require</legend>
                    <label className="mr-6 inline-flex items-center gap-2 text-sm">
                      <input
                        type="radio"
                        name="activation-require"
                        checked={!requireMfa}
                        onChange={() => form.setValue("activationRequireMfa", false, { shouldDirty: true })}
                        className="size-4 accent-[#0078d4]"
                      />
                      None
                    </label>
                    <label className="inline-flex items-center gap-2 text-sm">
                      <input
                        type="radio"
                        name="activation-require"
                        checked={requireMfa}
                        onChange={() => form.setValue("activationRequireMfa", true, { shouldDirty: true })}
                        className="size-4 accent-[#0078d4]"
                      />
                      Multifactor authentication
                    </label>
                  </fieldset>
                  <Checkbox
                    label="Require justification on activation"
                    {...register("activationRequireJustification")}
                  />
                  <Checkbox label="Require ticket information on activation" {...register("activationRequireTicket")} />
                  <Checkbox
                    label="Require approval to activate"
                    hint="With no approvers named, Privileged Role Administrators and Global Administrators approve."
                    {...register("approvalRequired")}
                  />
                  {approvalRequired && <ApprovalStagesEditor />}
                </>,
              ),
            },
            {
              id: "assignment",
              label: "Assignment",
              content: group(
                <>
                  <Checkbox label="Allow permanent eligible assignment" {...register("allowPermanentEligible")} />
                  {!allowPermanentEligible && (
                    <Field label="Expire eligible assignments after (days)" error={e.eligibleMaxDays?.message}>
                      {(c) => (
                        <TextInput
                          {...c}
                          type="number"
                          min={1}
                          max={3650}
                          {...register("eligibleMaxDays")}
                          className="max-w-40"
                        />
                      )}
                    </Field>
                  )}
                  <Checkbox label="Allow permanent active assignment" {...register("allowPermanentActive")} />
                  {!allowPermanentActive && (
                    <Field label="Expire active assignments after (days)" error={e.activeMaxDays?.message}>
                      {(c) => (
                        <TextInput
                          {...c}
                          type="number"
                          min={1}
                          max={3650}
                          {...register("activeMaxDays")}
                          className="max-w-40"
                        />
                      )}
                    </Field>
                  )}
                  <Checkbox
                    label="Require Azure multifactor authentication on active assignment"
                    {...register("activeRequireMfa")}
                  />
                  <Checkbox
                    label="Require justification on active assignment"
                    {...register("activeRequireJustification")}
                  />
                </>,
              ),
            },
            {
              id: "notification",
              label: "Notification",
              content: (
                <fieldset disabled={readOnly} className="max-w-5xl">
                  <NotificationsMatrix />
                </fieldset>
              ),
            },
          ]}
        />
        {!readOnly && (
          <div className="mt-6 flex gap-2 border-t border-neutral-200 pt-3">
            <Button type="submit" variant="primary" pending={formState.isSubmitting} pendingLabel="Saving…">
              Update
            </Button>
            <Button onClick={() => router.push("/roles")} disabled={formState.isSubmitting}>
              Cancel
            </Button>
          </div>
        )}
      </form>
    </FormProvider>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormProvider, useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { Checkbox, Field, inputClass, Notice, primaryButton, secondaryButton } from "@/components/admin/fields";
import { describeFailure } from "@/lib/actions/result";
import { updateRoleSettingsAction } from "./actions";
import { ApprovalStagesEditor } from "./approval-stages-editor";
import { NotificationsMatrix } from "./notifications-matrix";
import { roleSettingsForm, type RoleSettingsFormIn, type RoleSettingsFormOut } from "./schema";

const sections = [
  { key: "activation", label: "Activation" },
  { key: "assignment", label: "Assignment" },
  { key: "notification", label: "Notification" },
] as const;
type Section = (typeof sections)[number]["key"];

/** Every §3 setting of one role, in the portal's three tabs. One save writes all of them (audited with before/after). */
export function RoleSettingsForm({ roleId, roleName, initial, readOnly }: { roleId: string; roleName: string; initial: RoleSettingsFormIn; readOnly: boolean }) {
  const router = useRouter();
  const [section, setSection] = useState<Section>("activation");
  const [status, setStatus] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const form = useForm<RoleSettingsFormIn, unknown, RoleSettingsFormOut>({ resolver: zodResolver(roleSettingsForm), defaultValues: initial, mode: "onBlur" });
  const { register, handleSubmit, formState, watch, setError } = form;
  const e = formState.errors;

  const submit = handleSubmit(
    async (values) => {
      setStatus(null);
      const res = await updateRoleSettingsAction(roleId, values);
      if (!res.ok) {
        for (const [k, msgs] of Object.entries(res.fieldErrors ?? {})) if (msgs[0]) setError(k as keyof RoleSettingsFormIn, { message: msgs[0] });
        setStatus({ tone: "error", text: describeFailure(res) });
        return;
      }
      setStatus({ tone: "success", text: `Saved the settings of ${roleName}.` });
      form.reset(values as unknown as RoleSettingsFormIn, { keepValues: true });
      router.refresh();
    },
    (errs) => {
      const first = Object.keys(errs)[0] ?? "";
      setSection(first.startsWith("notifications") ? "notification" : ["allowPermanentEligible", "eligibleMaxDays", "allowPermanentActive", "activeMaxDays", "activeRequireMfa", "activeRequireJustification"].includes(first) ? "assignment" : "activation");
      setStatus({ tone: "error", text: "Some settings are not valid: see the highlighted fields." });
    },
  );

  return (
    <FormProvider {...form}>
      <form noValidate onSubmit={submit} aria-label={`Settings of ${roleName}`}>
        {status && <Notice tone={status.tone}>{status.text}</Notice>}
        <div role="tablist" aria-label="Setting groups" className="mb-4 flex gap-4 border-b border-neutral-200">
          {sections.map((s) => (
            <button
              key={s.key}
              type="button"
              role="tab"
              id={`tab-${s.key}`}
              aria-selected={section === s.key}
              aria-controls={`panel-${s.key}`}
              tabIndex={section === s.key ? 0 : -1}
              onClick={() => setSection(s.key)}
              onKeyDown={(ev) => {
                const i = sections.findIndex((x) => x.key === section);
                const step = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0;
                if (!step) return;
                const next = sections[(i + step + sections.length) % sections.length];
                if (next) {
                  setSection(next.key);
                  document.getElementById(`tab-${next.key}`)?.focus();
                }
              }}
              className={`-mb-px border-b-2 px-1 pb-2 text-sm ${section === s.key ? "border-[#0078d4] font-semibold text-neutral-900" : "border-transparent text-neutral-700"}`}
            >
              {s.label}
            </button>
          ))}
        </div>
        <fieldset disabled={readOnly} className="max-w-3xl">
          <div role="tabpanel" id="panel-activation" aria-labelledby="tab-activation" hidden={section !== "activation"}>
            <Field label="Activation maximum duration (hours)" hint="Between 0.5 and 24 hours." error={e.activationMaxHours?.message}>
              {(a) => <input {...a} type="number" step={0.5} min={0.5} max={24} {...register("activationMaxHours")} className={`${inputClass} max-w-40`} />}
            </Field>
            <fieldset className="mb-4">
              <legend className="mb-1 text-sm font-semibold text-neutral-800">On activation, require</legend>
              <label className="mr-6 inline-flex items-center gap-2 text-sm">
                <input type="radio" name="activation-require" checked={!watch("activationRequireMfa")} onChange={() => form.setValue("activationRequireMfa", false, { shouldDirty: true })} className="size-4 accent-[#0078d4]" />
                None
              </label>
              <label className="inline-flex items-center gap-2 text-sm">
                <input type="radio" name="activation-require" checked={watch("activationRequireMfa")} onChange={() => form.setValue("activationRequireMfa", true, { shouldDirty: true })} className="size-4 accent-[#0078d4]" />
                Multifactor authentication
              </label>
            </fieldset>
            <Checkbox label="Require justification on activation" {...register("activationRequireJustification")} />
            <Checkbox label="Require ticket information on activation" {...register("activationRequireTicket")} />
            <Checkbox
              label="Require approval to activate"
              hint="With no approvers named, Privileged Role Administrators and Global Administrators approve."
              {...register("approvalRequired")}
            />
            {watch("approvalRequired") && <ApprovalStagesEditor />}
          </div>

          <div role="tabpanel" id="panel-assignment" aria-labelledby="tab-assignment" hidden={section !== "assignment"}>
            <Checkbox label="Allow permanent eligible assignment" {...register("allowPermanentEligible")} />
            {!watch("allowPermanentEligible") && (
              <Field label="Expire eligible assignments after (days)" error={e.eligibleMaxDays?.message}>
                {(a) => <input {...a} type="number" min={1} max={3650} {...register("eligibleMaxDays")} className={`${inputClass} max-w-40`} />}
              </Field>
            )}
            <Checkbox label="Allow permanent active assignment" {...register("allowPermanentActive")} />
            {!watch("allowPermanentActive") && (
              <Field label="Expire active assignments after (days)" error={e.activeMaxDays?.message}>
                {(a) => <input {...a} type="number" min={1} max={3650} {...register("activeMaxDays")} className={`${inputClass} max-w-40`} />}
              </Field>
            )}
            <Checkbox label="Require Azure multifactor authentication on active assignment" {...register("activeRequireMfa")} />
            <Checkbox label="Require justification on active assignment" {...register("activeRequireJustification")} />
          </div>

          <div role="tabpanel" id="panel-notification" aria-labelledby="tab-notification" hidden={section !== "notification"}>
            <NotificationsMatrix />
          </div>
        </fieldset>
        {!readOnly && (
          <div className="mt-6 flex gap-2 border-t border-neutral-200 pt-3">
            <button type="submit" className={primaryButton} disabled={formState.isSubmitting}>
              {formState.isSubmitting ? "Saving…" : "Update"}
            </button>
            <button type="button" className={secondaryButton} onClick={() => router.push("/roles")}>
              Cancel
            </button>
          </div>
        )}
      </form>
    </FormProvider>
  );
}

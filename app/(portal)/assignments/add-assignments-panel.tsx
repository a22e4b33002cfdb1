"use client";

import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { SidePanel } from "@/components/admin/side-panel";
import { Checkbox, Field, inputClass, Notice, primaryButton, secondaryButton } from "@/components/admin/fields";
import { PrincipalPicker, type PrincipalOption } from "@/components/principal-picker";
import { describeFailure } from "@/lib/actions/result";
import type { AssignmentPolicy } from "@/lib/pim/queries/assignment-policies";
import type { ScopeOption } from "@/lib/pim/queries/search-principals";
import { addAssignmentsAction } from "./actions";
import { searchPrincipalsAction } from "./principal-actions";
import { addAssignmentsForm } from "./schemas";
import { localInputValue, toIso } from "./datetime";

type Values = {
  roleDefinitionId: string;
  members: PrincipalOption[];
  directoryScopeId: string;
  assignmentType: "Eligible" | "Active";
  permanent: boolean;
  start: string;
  end: string;
  justification: string;
};

export function maxDurationText(type: "Eligible" | "Active", p: AssignmentPolicy | undefined): string {
  const word = type === "Eligible" ? "eligible" : "active";
  if (!p) return "";
  const allowed = type === "Eligible" ? p.allowPermanentEligible : p.allowPermanentActive;
  const days = type === "Eligible" ? p.eligibleMaxDays : p.activeMaxDays;
  return allowed ? `Maximum allowed ${word} duration is permanent.` : `Maximum allowed ${word} duration is ${days} days.`;
}

/**
 * "Add assignments": role → members → scope → Eligible | Active → permanent (only where the role's
 * settings allow it) or start + end → justification. One request per member; the server validates each.
 */
export function AddAssignmentsPanel({
  open,
  onClose,
  onDone,
  policies,
  scopes,
}: {
  open: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
  policies: AssignmentPolicy[];
  scopes: ScopeOption[];
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const now = new Date();
  const { register, control, handleSubmit, watch, formState, setError, clearErrors } = useForm<Values>({
    defaultValues: {
      roleDefinitionId: "",
      members: [],
      directoryScopeId: "/",
      assignmentType: "Eligible",
      permanent: false,
      start: localInputValue(now),
      end: "",
      justification: "",
    },
  });
  const type = watch("assignmentType");
  const policy = policies.find((p) => p.roleDefinitionId === watch("roleDefinitionId"));
  const permanentAllowed = policy ? (type === "Eligible" ? policy.allowPermanentEligible : policy.allowPermanentActive) : false;
  const permanent = watch("permanent") && permanentAllowed;
  const justificationRequired = type === "Active" && (policy?.activeRequireJustification ?? true);
  const err = (k: string) => (formState.errors as Record<string, { message?: string } | undefined>)[k]?.message;

  const submit = handleSubmit(async (v) => {
    setFormError(null);
    clearErrors();
    const payload = {
      roleDefinitionId: v.roleDefinitionId,
      members: v.members.map((m) => ({ id: m.id, type: m.type, displayName: m.displayName })),
      directoryScopeId: v.directoryScopeId,
      assignmentType: v.assignmentType,
      permanent,
      startDateTime: toIso(v.start),
      endDateTime: permanent ? undefined : toIso(v.end),
      justification: v.justification,
    };
    const parsed = addAssignmentsForm.safeParse(payload);
    let bad = false;
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "form");
        const field = key === "startDateTime" ? "start" : key === "endDateTime" ? "end" : key;
        setError(field as keyof Values, { message: issue.message });
      }
      bad = true;
    }
    if (justificationRequired && v.justification.trim() === "") {
      setError("justification", { message: "This role's settings require a justification for active assignments." });
      bad = true;
    }
    if (bad || !parsed.success) return;
    const res = await addAssignmentsAction(parsed.data);
    if (!res.ok) {
      setFormError(describeFailure(res));
      for (const [k, msgs] of Object.entries(res.fieldErrors ?? {})) {
        const field = k === "startDateTime" ? "start" : k === "endDateTime" ? "end" : k;
        if (msgs[0]) setError(field as keyof Values, { message: msgs[0] });
      }
      return;
    }
    const failed = res.data.results.filter((r) => !r.ok);
    if (failed.length > 0) {
      setFormError(failed.map((f) => `${f.displayName}: ${f.message}`).join(" "));
      return;
    }
    onDone(`Added ${res.data.results.length} ${type.toLowerCase()} assignment${res.data.results.length === 1 ? "" : "s"} for ${policy?.roleName ?? "the role"}.`);
  });

  return (
    <SidePanel
      open={open}
      onClose={onClose}
      wide
      title="Add assignments"
      subtitle="Privileged Identity Management | Microsoft Entra roles"
      footer={
        <>
          <button type="submit" form="add-assignments-form" className={primaryButton} disabled={formState.isSubmitting}>
            {formState.isSubmitting ? "Assigning…" : "Assign"}
          </button>
          <button type="button" className={secondaryButton} onClick={onClose}>
            Cancel
          </button>
        </>
      }
    >
      <form id="add-assignments-form" noValidate onSubmit={submit}>
        {formError && <Notice tone="error">{formError}</Notice>}
        <h3 className="mb-2 text-base font-semibold">Membership</h3>
        <Field label="Select role" required error={err("roleDefinitionId")}>
          {(a) => (
            <select {...a} {...register("roleDefinitionId")} className={inputClass}>
              <option value="">Select a role</option>
              {policies.map((p) => (
                <option key={p.roleDefinitionId} value={p.roleDefinitionId}>
                  {p.roleName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Scope type" error={err("directoryScopeId")}>
          {(a) => (
            <select {...a} {...register("directoryScopeId")} className={inputClass}>
              {scopes.map((s) => (
                <option key={s.directoryScopeId} value={s.directoryScopeId}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="mb-4">
          <Controller
            control={control}
            name="members"
            render={({ field }) => (
              <PrincipalPicker
                label="Select member(s)"
                types={type === "Active" ? ["User", "Group", "ServicePrincipal"] : ["User", "Group"]}
                value={field.value}
                onChange={field.onChange}
                search={searchPrincipalsAction}
                error={err("members")}
              />
            )}
          />
          {type === "Eligible" && <p className="mt-1 text-xs text-neutral-600">Service principals can only be assigned as active.</p>}
        </div>

        <h3 className="mt-6 mb-2 text-base font-semibold">Setting</h3>
        <fieldset className="mb-4">
          <legend className="mb-1 text-sm font-semibold text-neutral-800">Assignment type</legend>
          {(["Eligible", "Active"] as const).map((t) => (
            <label key={t} className="mr-6 inline-flex items-center gap-2 text-sm">
              <input type="radio" value={t} {...register("assignmentType")} className="size-4 accent-[#0078d4]" />
              {t}
            </label>
          ))}
        </fieldset>
        {policy && <p className="mb-2 text-sm text-neutral-800">{maxDurationText(type, policy)}</p>}
        {permanentAllowed && <Checkbox label={type === "Eligible" ? "Permanently eligible" : "Permanently active"} {...register("permanent")} />}
        <div className="grid grid-cols-2 gap-4">
          <Field label="Assignment starts" error={err("start")}>
            {(a) => <input {...a} type="datetime-local" {...register("start")} className={inputClass} />}
          </Field>
          {!permanent && (
            <Field label="Assignment ends" required error={err("end")}>
              {(a) => <input {...a} type="datetime-local" {...register("end")} className={inputClass} />}
            </Field>
          )}
        </div>
        <Field
          label="Enter justification"
          required={justificationRequired}
          hint={justificationRequired ? "This role's settings require a justification for active assignments." : "Recorded in the audit log."}
          error={err("justification")}
        >
          {(a) => <textarea {...a} rows={3} {...register("justification")} className={inputClass} />}
        </Field>
      </form>
    </SidePanel>
  );
}

"use client";

import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { PrincipalPicker, type PrincipalOption } from "@/components/principal-picker";
import { Button, buttonClass } from "@/components/ui/button";
import { CharacterCount } from "@/components/ui/character-count";
import { Checkbox, Field, Select, TextArea, TextInput } from "@/components/ui/field";
import { serverNowInBrowser } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { Tabs } from "@/components/ui/tabs";
import { describeFailure } from "@/lib/actions/result";
import type { AssignmentPolicy } from "@/lib/pim/queries/assignment-policies";
import type { ScopeOption } from "@/lib/pim/queries/search-principals";
import { addAssignmentsAction } from "./actions";
import { localInputValue, toIso } from "./datetime";
import { searchPrincipalsAction } from "./principal-actions";
import { addAssignmentsForm } from "./schemas";

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

type Step = "membership" | "setting";
const membershipFields: (keyof Values)[] = ["roleDefinitionId", "members", "directoryScopeId"];

/** Form field names as the server schema spells them → this form's own names. */
const fieldOf = (key: string): keyof Values =>
  (key === "startDateTime" ? "start" : key === "endDateTime" ? "end" : key.split(".")[0]) as keyof Values;

export function maxDurationText(type: "Eligible" | "Active", p: AssignmentPolicy | undefined): string {
  if (!p) return "";
  const word = type === "Eligible" ? "eligible" : "active";
  const allowed = type === "Eligible" ? p.allowPermanentEligible : p.allowPermanentActive;
  const days = type === "Eligible" ? p.eligibleMaxDays : p.activeMaxDays;
  return allowed
    ? `Maximum allowed ${word} duration is permanent.`
    : `Maximum allowed ${word} duration is ${days} days.`;
}

/**
 * "Add assignments": role → members → scope → Eligible | Active → permanent (only where the role's
 * settings allow it) or start + end → justification. One request per member; the server validates each.
 * Mounted only while open, so each opening starts from a fresh form (start = now by the server's clock).
 */
export function AddAssignmentsPanel({
  onClose,
  onDone,
  policies,
  scopes,
}: {
  onClose: () => void;
  /** `close: false` keeps the panel open (some members were refused). */
  onDone: (message: string, close?: boolean) => void;
  policies: AssignmentPolicy[];
  scopes: ScopeOption[];
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const [needMfa, setNeedMfa] = useState(false);
  const [step, setStep] = useState<Step>("membership");
  const { register, control, handleSubmit, getValues, formState, setError, clearErrors, setValue } = useForm<Values>({
    defaultValues: {
      // one role's blade offers that role only, chosen already
      roleDefinitionId: policies.length === 1 ? (policies[0]?.roleDefinitionId ?? "") : "",
      members: [],
      directoryScopeId: "/",
      assignmentType: "Eligible",
      permanent: false,
      start: localInputValue(serverNowInBrowser()),
      end: "",
      justification: "",
    },
  });
  const type = useWatch({ control, name: "assignmentType" });
  const members = useWatch({ control, name: "members" });
  const scopeId = useWatch({ control, name: "directoryScopeId" });
  const roleDefinitionId = useWatch({ control, name: "roleDefinitionId" });
  const wantsPermanent = useWatch({ control, name: "permanent" });
  const justification = useWatch({ control, name: "justification" });
  const policy = policies.find((p) => p.roleDefinitionId === roleDefinitionId);
  const permanentAllowed = policy
    ? type === "Eligible"
      ? policy.allowPermanentEligible
      : policy.allowPermanentActive
    : false;
  const permanent = wantsPermanent && permanentAllowed;
  const justificationRequired = type === "Active" && (policy?.activeRequireJustification ?? true);
  const err = (k: keyof Values) => formState.errors[k]?.message;
  /** Shows the tab holding the first field in error. */
  const showFirstError = (fields: (keyof Values)[]) => {
    if (fields.length > 0) setStep(fields.some((f) => membershipFields.includes(f)) ? "membership" : "setting");
  };
  const next = () => {
    clearErrors();
    const missing: (keyof Values)[] = [];
    if (!getValues("roleDefinitionId")) {
      setError("roleDefinitionId", { message: "Select a role." });
      missing.push("roleDefinitionId");
    }
    if (getValues("members").length === 0) {
      setError("members", { message: "Select at least one member." });
      missing.push("members");
    }
    if (missing.length === 0) setStep("setting");
  };

  const submit = handleSubmit(async (v) => {
    setFormError(null);
    clearErrors();
    const parsed = addAssignmentsForm.safeParse({
      roleDefinitionId: v.roleDefinitionId,
      members: v.members.map((m) => ({ id: m.id, type: m.type, displayName: m.displayName })),
      directoryScopeId: v.directoryScopeId,
      assignmentType: v.assignmentType,
      permanent,
      startDateTime: toIso(v.start),
      endDateTime: permanent ? undefined : toIso(v.end),
      justification: v.justification,
    });
    const bad: (keyof Values)[] = [];
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = fieldOf(String(issue.path[0] ?? "roleDefinitionId"));
        setError(field, { message: issue.message });
        bad.push(field);
      }
    }
    if (justificationRequired && v.justification.trim() === "") {
      setError("justification", { message: "This role's settings require a justification for active assignments." });
      bad.push("justification");
    }
    showFirstError(bad);
    if (bad.length > 0 || !parsed.success) return;
    const res = await addAssignmentsAction(parsed.data);
    setNeedMfa(!res.ok && res.code === "MfaRule");
    if (!res.ok) {
      setFormError(describeFailure(res));
      for (const [k, msgs] of Object.entries(res.fieldErrors ?? {}))
        if (msgs[0]) setError(fieldOf(k), { message: msgs[0] });
      showFirstError(Object.keys(res.fieldErrors ?? {}).map(fieldOf));
      return;
    }
    const failed = res.data.results.filter((r) => !r.ok);
    const added = res.data.results.length - failed.length;
    if (failed.length > 0) {
      setNeedMfa(failed.some((f) => f.code === "MfaRule"));
      // Keep the panel open on the refused members only; the added ones are done.
      setFormError(failed.map((f) => `${f.displayName}: ${f.message}`).join(" "));
      setValue(
        "members",
        v.members.filter((m) => failed.some((f) => f.principalId === m.id)),
      );
      if (added > 0) onDone(`Added ${added} of ${res.data.results.length} members; the panel lists the others.`, false);
      return;
    }
    const names = res.data.results.map((r) => r.displayName).join(", ");
    onDone(`${names} ${added === 1 ? "is" : "are"} now ${type.toLowerCase()} for ${policy?.roleName ?? "the role"}.`);
  });

  return (
    <SidePanel
      open
      onClose={onClose}
      busy={formState.isSubmitting}
      wide
      title="Add assignments"
      subtitle="Privileged Identity Management | Microsoft Entra roles"
      testId="add-assignments-panel"
      footer={
        step === "membership" ? (
          <>
            <Button variant="primary" onClick={next}>
              Next &gt;
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </>
        ) : (
          <>
            <Button
              type="submit"
              form="add-assignments-form"
              variant="primary"
              pending={formState.isSubmitting}
              pendingLabel="Assigning…"
            >
              Assign
            </Button>
            <Button onClick={() => setStep("membership")} disabled={formState.isSubmitting}>
              &lt; Prev
            </Button>
            <Button onClick={onClose} disabled={formState.isSubmitting}>
              Cancel
            </Button>
          </>
        )
      }
    >
      <form id="add-assignments-form" noValidate onSubmit={submit}>
        {formError && <Notice tone="error">{formError}</Notice>}
        {needMfa && (
          <p className="mb-3">
            <a href={`/mfa?returnTo=${encodeURIComponent("/assignments")}`} className={buttonClass("secondary")}>
              Verify your identity
            </a>
          </p>
        )}
        <Tabs
          label="Add assignments steps"
          value={step}
          onValueChange={(id) => setStep(id as Step)}
          items={[
            {
              id: "membership",
              label: "Membership",
              content: (
                <>
                  <Field label="Select role" required error={err("roleDefinitionId")}>
                    {(c) => (
                      <Select {...c} {...register("roleDefinitionId")} data-autofocus>
                        <option value="">Select a role</option>
                        {policies.map((p) => (
                          <option key={p.roleDefinitionId} value={p.roleDefinitionId}>
                            {p.roleName}
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
                  <Field
                    label="Scope"
                    hint="The directory, or one administrative unit."
                    error={err("directoryScopeId")}
                  >
                    {(c) => (
                      <Select {...c} {...register("directoryScopeId")}>
                        {scopes.map((s) => (
                          <option key={s.directoryScopeId} value={s.directoryScopeId}>
                            {s.label}
                          </option>
                        ))}
                      </Select>
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
                    {type === "Eligible" && (
                      <p className="mt-1 text-xs text-neutral-700">
                        Service principals can only be assigned as active.
                      </p>
                    )}
                  </div>
                </>
              ),
            },
            {
              id: "setting",
              label: "Setting",
              content: (
                <>
                  {policy && members.length > 0 && (
                    <p className="mb-3 text-sm text-neutral-800">
                      <span className="font-semibold">{policy.roleName}</span> for{" "}
                      {members.map((m) => m.displayName).join(", ")} at{" "}
                      {scopes.find((x) => x.directoryScopeId === scopeId)?.label ?? "Directory"}
                    </p>
                  )}
                  <fieldset className="mb-4">
                    <legend className="mb-1 text-sm font-semibold text-neutral-800">Assignment type</legend>
                    {(["Eligible", "Active"] as const).map((t) => (
                      <label key={t} className="mr-6 inline-flex items-center gap-2 text-sm">
                        <input
                          type="radio"
                          value={t}
                          {...register("assignmentType")}
                          className="size-4 accent-[#0078d4]"
                        />
                        {t}
                      </label>
                    ))}
                  </fieldset>
                  {policy && <p className="mb-2 text-sm text-neutral-800">{maxDurationText(type, policy)}</p>}
                  {permanentAllowed && (
                    <Checkbox
                      label={type === "Eligible" ? "Permanently eligible" : "Permanently active"}
                      {...register("permanent")}
                    />
                  )}
                  <div className="grid grid-cols-2 gap-4">
                    <Field label="Assignment starts" error={err("start")}>
                      {(c) => <TextInput {...c} type="datetime-local" {...register("start")} />}
                    </Field>
                    {!permanent && (
                      <Field label="Assignment ends" required error={err("end")}>
                        {(c) => <TextInput {...c} type="datetime-local" {...register("end")} />}
                      </Field>
                    )}
                  </div>
                  <Field
                    label="Enter justification"
                    required={justificationRequired}
                    hint={
                      <>
                        {justificationRequired
                          ? "This role's settings require a justification for active assignments."
                          : "Recorded in the audit log."}{" "}
                        <CharacterCount length={justification.length} max={500} />
                      </>
                    }
                    error={err("justification")}
                  >
                    {(c) => <TextArea {...c} {...register("justification")} />}
                  </Field>
                </>
              ),
            },
          ]}
        />
      </form>
    </SidePanel>
  );
}

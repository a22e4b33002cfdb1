"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { SidePanel } from "@/components/admin/side-panel";
import { Checkbox, dangerButton, Field, inputClass, Notice, primaryButton, secondaryButton } from "@/components/admin/fields";
import { describeFailure } from "@/lib/actions/result";
import type { AssignmentPolicy } from "@/lib/pim/queries/assignment-policies";
import { rowAssignmentAction } from "./actions";
import { maxDurationText } from "./add-assignments-panel";
import { localInputValue, toIso } from "./datetime";
import { rowActionForm } from "./schemas";
import { principalTypeWords, type AssignmentRowView } from "./types";

export type RowAction = "update" | "extend" | "renew" | "remove";

const titles: Record<RowAction, string> = {
  update: "Update assignment",
  extend: "Extend assignment",
  renew: "Renew assignment",
  remove: "Remove assignment",
};
const verbs: Record<RowAction, string> = { update: "Update", extend: "Extend", renew: "Renew", remove: "Remove" };
const pastTense: Record<RowAction, string> = { update: "Updated", extend: "Extended", renew: "Renewed", remove: "Removed" };

type Values = { permanent: boolean; start: string; end: string; justification: string };

/** One panel for the row actions: the schedule's facts on top, the change below, a justification for the audit. */
export function RowActionPanel({
  action,
  row,
  policy,
  onClose,
  onDone,
}: {
  action: RowAction;
  row: AssignmentRowView;
  policy: AssignmentPolicy | undefined;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const type = row.kind === "eligibility" ? "Eligible" : "Active";
  const permanentAllowed = policy ? (type === "Eligible" ? policy.allowPermanentEligible : policy.allowPermanentActive) : false;
  const now = new Date();
  const suggestedEnd = new Date((row.endDateTime ? Math.max(new Date(row.endDateTime).getTime(), now.getTime()) : now.getTime()) + 30 * 86_400_000);
  const { register, handleSubmit, watch, formState, setError } = useForm<Values>({
    defaultValues: {
      permanent: action === "update" ? row.endDateTime === null && permanentAllowed : false,
      start: action === "renew" ? localInputValue(now) : localInputValue(new Date(row.startDateTime)),
      end: action === "update" && row.endDateTime ? localInputValue(new Date(row.endDateTime)) : localInputValue(suggestedEnd),
      justification: "",
    },
  });
  const permanent = watch("permanent") && permanentAllowed && action !== "remove";
  const err = (k: keyof Values) => formState.errors[k]?.message;

  const submit = handleSubmit(async (v) => {
    setFormError(null);
    const payload = {
      action,
      kind: row.kind,
      scheduleId: row.id,
      permanent,
      startDateTime: action === "update" || action === "renew" ? toIso(v.start) : undefined,
      endDateTime: action === "remove" || permanent ? undefined : toIso(v.end),
      justification: v.justification,
    };
    const parsed = rowActionForm.safeParse(payload);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0]);
        setError((key === "endDateTime" ? "end" : key === "startDateTime" ? "start" : key) as keyof Values, { message: issue.message });
      }
      return;
    }
    const res = await rowAssignmentAction(parsed.data);
    if (!res.ok) {
      setFormError(describeFailure(res));
      return;
    }
    onDone(`${pastTense[action]} ${row.roleName} for ${row.principalName}.`);
  });

  return (
    <SidePanel
      open
      onClose={onClose}
      title={titles[action]}
      subtitle={`${row.roleName} · ${type}`}
      footer={
        <>
          <button type="submit" form="row-action-form" className={action === "remove" ? dangerButton : primaryButton} disabled={formState.isSubmitting}>
            {formState.isSubmitting ? "Working…" : verbs[action]}
          </button>
          <button type="button" className={secondaryButton} onClick={onClose}>
            Cancel
          </button>
        </>
      }
    >
      <form id="row-action-form" noValidate onSubmit={submit}>
        {formError && <Notice tone="error">{formError}</Notice>}
        <dl className="mb-4 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-semibold">Member</dt>
          <dd>
            {row.principalName} ({principalTypeWords[row.principalType]})
          </dd>
          <dt className="font-semibold">Principal name</dt>
          <dd>{row.principalDetail}</dd>
          <dt className="font-semibold">Role</dt>
          <dd>{row.roleName}</dd>
          <dt className="font-semibold">Scope</dt>
          <dd>{row.scopeLabel}</dd>
        </dl>
        {action === "remove" ? (
          <Notice tone="warning">
            {row.principalName} loses the {type.toLowerCase()} {row.roleName} assignment at {row.scopeLabel} immediately.
          </Notice>
        ) : (
          <>
            {policy && <p className="mb-2 text-sm text-neutral-800">{maxDurationText(type, policy)}</p>}
            {permanentAllowed && <Checkbox label={type === "Eligible" ? "Permanently eligible" : "Permanently active"} {...register("permanent")} />}
            <div className="grid grid-cols-2 gap-4">
              {(action === "update" || action === "renew") && (
                <Field label="Assignment starts" error={err("start")}>
                  {(a) => <input {...a} type="datetime-local" {...register("start")} className={inputClass} />}
                </Field>
              )}
              {!permanent && (
                <Field label={action === "update" ? "Assignment ends" : "New end"} required error={err("end")}>
                  {(a) => <input {...a} type="datetime-local" {...register("end")} className={inputClass} />}
                </Field>
              )}
            </div>
          </>
        )}
        <Field label="Justification" required={action === "remove"} hint="Recorded in the audit log." error={err("justification")}>
          {(a) => <textarea {...a} rows={3} {...register("justification")} className={inputClass} />}
        </Field>
      </form>
    </SidePanel>
  );
}

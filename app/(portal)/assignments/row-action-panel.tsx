"use client";

import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { Button, buttonClass } from "@/components/ui/button";
import { CharacterCount } from "@/components/ui/character-count";
import { Checkbox, Field, TextArea, TextInput } from "@/components/ui/field";
import { LocalTime, serverNowInBrowser } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
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
const pastTense: Record<RowAction, string> = {
  update: "Updated",
  extend: "Extended",
  renew: "Renewed",
  remove: "Removed",
};
const DAY = 86_400_000;

type Values = { permanent: boolean; start: string; end: string; justification: string };

/** The end a panel suggests: the current end (Update), 30 days later (Extend, within the role's maximum), 30 days (Renew). */
function suggestedEnd(
  action: RowAction,
  row: AssignmentRowView,
  policy: AssignmentPolicy | undefined,
  now: Date,
): Date {
  const end = row.endDateTime ? new Date(row.endDateTime) : null;
  if (action === "update" && end) return end;
  const base = action === "extend" && end ? Math.max(end.getTime(), now.getTime()) : now.getTime();
  const maxDays = row.kind === "eligibility" ? policy?.eligibleMaxDays : policy?.activeMaxDays;
  const allowPermanent = row.kind === "eligibility" ? policy?.allowPermanentEligible : policy?.allowPermanentActive;
  const wanted = base + 30 * DAY;
  return new Date(allowPermanent || !maxDays ? wanted : Math.min(wanted, now.getTime() + maxDays * DAY));
}

/**
 * One panel for the row actions: the schedule's facts on top, the change below, a justification for the
 * audit. The start can change only while the assignment has not begun (the engine refuses otherwise).
 */
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
  const [needMfa, setNeedMfa] = useState(false);
  const [now] = useState(serverNowInBrowser);
  const type = row.kind === "eligibility" ? "Eligible" : "Active";
  const permanentAllowed = policy
    ? type === "Eligible"
      ? policy.allowPermanentEligible
      : policy.allowPermanentActive
    : false;
  const started = new Date(row.startDateTime).getTime() <= now.getTime();
  const startEditable = action === "renew" || (action === "update" && !started);
  const { register, control, handleSubmit, formState, setError } = useForm<Values>({
    defaultValues: {
      permanent: action === "update" ? row.endDateTime === null && permanentAllowed : false,
      start: action === "renew" ? localInputValue(now) : localInputValue(new Date(row.startDateTime)),
      end: localInputValue(suggestedEnd(action, row, policy, now)),
      justification: "",
    },
  });
  const permanent = useWatch({ control, name: "permanent" }) && permanentAllowed && action !== "remove";
  const justification = useWatch({ control, name: "justification" });
  const err = (k: keyof Values) => formState.errors[k]?.message;

  const submit = handleSubmit(async (v) => {
    setFormError(null);
    const parsed = rowActionForm.safeParse({
      action,
      kind: row.kind,
      scheduleId: row.id,
      permanent,
      startDateTime: startEditable ? toIso(v.start) : undefined,
      endDateTime: action === "remove" || permanent ? undefined : toIso(v.end),
      justification: v.justification,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0]);
        setError((key === "endDateTime" ? "end" : key === "startDateTime" ? "start" : key) as keyof Values, {
          message: issue.message,
        });
      }
      return;
    }
    const res = await rowAssignmentAction(parsed.data);
    setNeedMfa(!res.ok && res.code === "MfaRule");
    if (!res.ok) {
      setFormError(describeFailure(res));
      for (const [k, msgs] of Object.entries(res.fieldErrors ?? {})) {
        const field = k === "endDateTime" ? "end" : k === "startDateTime" ? "start" : k;
        if (msgs[0] && ["end", "start", "justification"].includes(field))
          setError(field as keyof Values, { message: msgs[0] });
      }
      return;
    }
    onDone(`${pastTense[action]} the ${type.toLowerCase()} ${row.roleName} assignment of ${row.principalName}.`);
  });

  return (
    <SidePanel
      open
      onClose={onClose}
      busy={formState.isSubmitting}
      title={titles[action]}
      subtitle={`${row.roleName} · ${type}`}
      testId="row-action-panel"
      footer={
        <>
          <Button
            type="submit"
            form="row-action-form"
            variant={action === "remove" ? "danger" : "primary"}
            pending={formState.isSubmitting}
            pendingLabel="Working…"
          >
            {verbs[action]}
          </Button>
          <Button onClick={onClose} disabled={formState.isSubmitting}>
            Cancel
          </Button>
        </>
      }
    >
      <form id="row-action-form" noValidate onSubmit={submit}>
        {formError && <Notice tone="error">{formError}</Notice>}
        {needMfa && (
          <p className="mb-3">
            <a href={`/mfa?returnTo=${encodeURIComponent("/assignments")}`} className={buttonClass("secondary")}>
              Verify your identity
            </a>
          </p>
        )}
        <dl className="mb-4 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-semibold">Member</dt>
          <dd>
            {row.principalName} ({principalTypeWords[row.principalType]})
          </dd>
          <dt className="font-semibold">Principal name</dt>
          <dd className="break-all">{row.principalDetail}</dd>
          <dt className="font-semibold">Role</dt>
          <dd>{row.roleName}</dd>
          <dt className="font-semibold">Scope</dt>
          <dd>{row.scopeLabel}</dd>
          <dt className="font-semibold">{action === "renew" ? "Ended" : "Ends"}</dt>
          <dd>
            <LocalTime value={row.endDateTime} />
          </dd>
        </dl>
        {action === "remove" ? (
          <Notice tone="warning">
            {row.principalName} loses the {type.toLowerCase()} {row.roleName} assignment at {row.scopeLabel}{" "}
            immediately.
          </Notice>
        ) : (
          <>
            {policy && <p className="mb-2 text-sm text-neutral-800">{maxDurationText(type, policy)}</p>}
            {permanentAllowed && action !== "extend" && (
              <Checkbox
                label={type === "Eligible" ? "Permanently eligible" : "Permanently active"}
                {...register("permanent")}
              />
            )}
            <div className="grid grid-cols-2 gap-4">
              {startEditable ? (
                <Field label="Assignment starts" error={err("start")}>
                  {(c) => <TextInput {...c} type="datetime-local" {...register("start")} />}
                </Field>
              ) : (
                <div className="mb-4 text-sm">
                  <p className="mb-1 font-semibold text-neutral-800">Assignment starts</p>
                  <LocalTime value={row.startDateTime} />
                  <p className="mt-1 text-xs text-neutral-700">It has begun, so its start stays.</p>
                </div>
              )}
              {!permanent && (
                <Field label={action === "update" ? "Assignment ends" : "New end"} required error={err("end")}>
                  {(c) => <TextInput {...c} type="datetime-local" {...register("end")} data-autofocus />}
                </Field>
              )}
            </div>
          </>
        )}
        <Field
          label="Justification"
          required={action === "remove"}
          hint={
            <>
              Recorded in the audit log. <CharacterCount length={justification.length} max={500} />
            </>
          }
          error={err("justification")}
        >
          {(c) => (
            <TextArea
              {...c}
              {...register("justification")}
              {...(action === "remove" ? { "data-autofocus": true } : {})}
            />
          )}
        </Field>
      </form>
    </SidePanel>
  );
}

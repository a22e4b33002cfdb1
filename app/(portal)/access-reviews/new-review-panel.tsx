"use client";

import "@/lib/validation/zod-config";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox, Field, Select, TextArea, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { toast } from "@/components/ui/toaster";
import { PrincipalPicker, type PrincipalOption } from "@/components/principal-picker";
import { describeFailure } from "@/lib/actions/result";
import { defaultDecisions, recurrences } from "@/lib/validation/governance";
import type { ScopeOption } from "@/lib/pim/queries/search-principals";
import { searchPrincipalsAction } from "../assignments/principal-actions";
import { localInputValue, toIso } from "../assignments/datetime";
import { createAccessReviewAction } from "./actions";
import { defaultDecisionWords, kindWords, recurrenceWords, reviewerWords } from "./labels";

type StageForm = {
  reviewerType: "selected" | "self" | "manager";
  reviewers: PrincipalOption[];
  fallback: PrincipalOption[];
  durationDays: string;
};
export type ReviewDefaults = { durationDays: number; defaultDecision: (typeof defaultDecisions)[number] };
const newStage = (days: number): StageForm => ({
  reviewerType: "selected",
  reviewers: [],
  fallback: [],
  durationDays: String(days),
});
const refs = (xs: PrincipalOption[]) => xs.map((x) => ({ type: x.type as "User" | "Group", id: x.id }));

function StageFields({
  n,
  stage,
  onChange,
  errors,
}: {
  n: number;
  stage: StageForm;
  onChange: (s: StageForm) => void;
  errors: Record<string, string[]>;
}) {
  return (
    <fieldset className="mb-4 rounded-sm border border-neutral-300 p-3">
      <legend className="px-1 text-sm font-semibold">Stage {n}</legend>
      <Field label="Reviewers">
        {(p) => (
          <Select
            {...p}
            value={stage.reviewerType}
            onChange={(e) => onChange({ ...stage, reviewerType: e.currentTarget.value as StageForm["reviewerType"] })}
          >
            {Object.entries(reviewerWords).map(([v, w]) => (
              <option key={v} value={v}>
                {w}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {stage.reviewerType === "selected" && (
        <div className="mb-4">
          <PrincipalPicker
            label={`Stage ${n}: select reviewers`}
            types={["User", "Group"]}
            value={stage.reviewers}
            onChange={(v) => onChange({ ...stage, reviewers: v })}
            search={searchPrincipalsAction}
            error={errors.stages?.[0]}
          />
        </div>
      )}
      {stage.reviewerType !== "selected" && (
        <div className="mb-4">
          <PrincipalPicker
            label={`Stage ${n}: fallback reviewers (members without a manager, groups)`}
            types={["User", "Group"]}
            value={stage.fallback}
            onChange={(v) => onChange({ ...stage, fallback: v })}
            search={searchPrincipalsAction}
          />
        </div>
      )}
      <Field label="Duration (days)" hint="1 to 180 days.">
        {(p) => (
          <TextInput
            {...p}
            type="number"
            min={1}
            max={180}
            value={stage.durationDays}
            onChange={(e) => onChange({ ...stage, durationDays: e.currentTarget.value })}
          />
        )}
      </Field>
    </fieldset>
  );
}

/** "+ New access review": roles, assignment type, reviewers (one or two stages), schedule and what happens at the end. */
export function NewReviewPanel({
  roles,
  scopes,
  now,
  defaults,
  onClose,
  onCreated,
}: {
  roles: { id: string; name: string }[];
  scopes: ScopeOption[];
  now: string;
  /** From PIM Settings. */
  defaults: ReviewDefaults;
  onClose: () => void;
  onCreated: (definitionId: string) => void;
}) {
  const [pending, start] = useTransition();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [roleIds, setRoleIds] = useState<string[]>([]);
  const [kind, setKind] = useState<"eligible" | "active" | "all">("all");
  /** "" = every scope; else one scope's assignments only. */
  const [scope, setScope] = useState("");
  const [stages, setStages] = useState<StageForm[]>([newStage(defaults.durationDays)]);
  const [startAt, setStartAt] = useState(localInputValue(new Date(now)));
  const [recurrence, setRecurrence] = useState<(typeof recurrences)[number]>("oneTime");
  const [recurrenceEnd, setRecurrenceEnd] = useState("");
  const [autoApply, setAutoApply] = useState(false);
  const [defaultDecision, setDefaultDecision] = useState<(typeof defaultDecisions)[number]>(defaults.defaultDecision);
  const [justificationRequired, setJustificationRequired] = useState(true);
  const [recommendations, setRecommendations] = useState(true);
  const [reminders, setReminders] = useState(true);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<string | null>(null);

  const submit = () =>
    start(async () => {
      setFailure(null);
      const r = await createAccessReviewAction({
        displayName: name,
        description,
        roleDefinitionIds: roleIds,
        directoryScopeId: scope || null,
        assignmentKind: kind,
        stages: stages.map((s) => ({
          reviewerType: s.reviewerType,
          reviewers: s.reviewerType === "selected" ? refs(s.reviewers) : [],
          fallbackReviewers: refs(s.fallback),
          durationDays: Number(s.durationDays),
        })),
        startDateTime: toIso(startAt) ?? now,
        recurrence,
        recurrenceEndDateTime: recurrence !== "oneTime" && recurrenceEnd ? toIso(recurrenceEnd) : null,
        autoApply,
        defaultDecision,
        justificationRequired,
        recommendationsEnabled: recommendations,
        remindersEnabled: reminders,
      });
      if (!r.ok) {
        setErrors(r.fieldErrors ?? {});
        setFailure(describeFailure(r));
        return;
      }
      toast.success(
        r.data.status === "InProgress"
          ? "The review has started; reviewers were notified."
          : "The review is scheduled.",
      );
      onCreated(r.data.definitionId);
    });

  return (
    <SidePanel
      open
      wide
      onClose={onClose}
      busy={pending}
      title="New access review"
      subtitle="Microsoft Entra roles"
      testId="new-review-panel"
      footer={
        <>
          <Button variant="primary" onClick={submit} pending={pending} pendingLabel="Creating…">
            Create
          </Button>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
        </>
      }
    >
      {failure && <Notice tone="error">{failure}</Notice>}
      <Field label="Review name" required error={errors.displayName}>
        {(p) => <TextInput {...p} data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <Field label="Description" error={errors.description}>
        {(p) => (
          <TextArea {...p} rows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
        )}
      </Field>
      <fieldset className="mb-4" aria-describedby="roles-error">
        <legend className="mb-1 text-sm font-semibold text-neutral-800">Roles to review *</legend>
        <div className="max-h-48 overflow-y-auto rounded-sm border border-neutral-300 p-2">
          {roles.map((r) => (
            <Checkbox
              key={r.id}
              label={r.name}
              checked={roleIds.includes(r.id)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setRoleIds((prev) => (on ? [...prev, r.id] : prev.filter((x) => x !== r.id)));
              }}
            />
          ))}
        </div>
        <p id="roles-error" aria-live="polite" className="text-sm text-red-700">
          {errors.roleDefinitionIds?.[0]}
        </p>
      </fieldset>
      <Field
        label="Scope"
        hint="Review the assignments of one scope only, or of every scope."
        error={errors.directoryScopeId}
      >
        {(p) => (
          <Select {...p} value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
            <option value="">All scopes</option>
            {scopes.map((s) => (
              <option key={s.directoryScopeId} value={s.directoryScopeId}>
                {s.label}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Assignment type">
        {(p) => (
          <Select {...p} value={kind} onChange={(e) => setKind(e.currentTarget.value as typeof kind)}>
            {Object.entries(kindWords).map(([v, w]) => (
              <option key={v} value={v}>
                {w}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {stages.map((s, i) => (
        <StageFields
          key={i}
          n={i + 1}
          stage={s}
          errors={errors}
          onChange={(next) => setStages((prev) => prev.map((x, j) => (j === i ? next : x)))}
        />
      ))}
      <div className="mb-4 flex gap-3">
        {stages.length < 3 && (
          <Button onClick={() => setStages((prev) => [...prev, newStage(defaults.durationDays)])}>Add a stage</Button>
        )}
        {stages.length > 1 && (
          <Button onClick={() => setStages((prev) => prev.slice(0, -1))}>Remove the last stage</Button>
        )}
      </div>
      <Field label="Start" error={errors.startDateTime}>
        {(p) => (
          <TextInput {...p} type="datetime-local" value={startAt} onChange={(e) => setStartAt(e.currentTarget.value)} />
        )}
      </Field>
      <Field label="Frequency">
        {(p) => (
          <Select {...p} value={recurrence} onChange={(e) => setRecurrence(e.currentTarget.value as typeof recurrence)}>
            {recurrences.map((v) => (
              <option key={v} value={v}>
                {recurrenceWords[v]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {recurrence !== "oneTime" && (
        <Field
          label="End of recurrence"
          hint="Leave empty to repeat until stopped."
          error={errors.recurrenceEndDateTime}
        >
          {(p) => (
            <TextInput
              {...p}
              type="datetime-local"
              value={recurrenceEnd}
              onChange={(e) => setRecurrenceEnd(e.currentTarget.value)}
            />
          )}
        </Field>
      )}
      <Field label="If reviewers don't respond">
        {(p) => (
          <Select
            {...p}
            value={defaultDecision}
            onChange={(e) => setDefaultDecision(e.currentTarget.value as typeof defaultDecision)}
          >
            {defaultDecisions.map((v) => (
              <option key={v} value={v}>
                {defaultDecisionWords[v]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Checkbox
        label="Auto apply results to resource"
        checked={autoApply}
        onChange={(e) => setAutoApply(e.currentTarget.checked)}
      />
      <Checkbox
        label="Require reason on approval"
        checked={justificationRequired}
        onChange={(e) => setJustificationRequired(e.currentTarget.checked)}
      />
      <Checkbox
        label="Show recommendations"
        hint="Deny is suggested when the person has not signed in or not activated the role for 30 days."
        checked={recommendations}
        onChange={(e) => setRecommendations(e.currentTarget.checked)}
      />
      <Checkbox
        label="Send reminders to reviewers"
        checked={reminders}
        onChange={(e) => setReminders(e.currentTarget.checked)}
      />
    </SidePanel>
  );
}

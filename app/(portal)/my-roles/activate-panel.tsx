"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Controller, useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { DurationField } from "@/components/duration-field";
import { Button, buttonClass } from "@/components/ui/button";
import { Checkbox, Field, Select, TextArea, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { formatMinutes } from "@/components/ui/time-format";
import { formatLocal } from "@/components/ui/local-time";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { activateRoleInput } from "@/lib/validation/pim";
import { activateRoleAction } from "./actions";
import { activationSchemaFor } from "./activation-schema";
import type { EligibleRow } from "./types";

type FormIn = z.input<typeof activateRoleInput>;
type FormOut = z.output<typeof activateRoleInput>;
const FIELDS = [
  "durationMinutes",
  "justification",
  "ticketNumber",
  "ticketSystem",
  "startDateTime",
  "directoryScopeId",
] as const;

export function mfaHref(eligibilityId: string) {
  return `/mfa?returnTo=${encodeURIComponent(`/my-roles?activate=${eligibilityId}`)}`;
}

type Props = {
  row: EligibleRow;
  mfaRecent: boolean;
  unitScopes: { directoryScopeId: string; label: string }[];
  onClose: () => void;
  /** After a successful request: the view switches tab and refreshes. */
  onActivated: (status: "Provisioned" | "Granted" | "PendingApproval") => void;
};

/** The Activate panel: scope, optional custom start, duration up to the role's maximum, justification, ticket. */
export function ActivatePanel({ row, mfaRecent, unitScopes, onClose, onActivated }: Props) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [failure, setFailure] = useState<string | null>(null);
  const [needMfa, setNeedMfa] = useState(row.policy.requireMfa && !mfaRecent);
  const [customStart, setCustomStart] = useState(false);
  const p = row.policy;
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(activationSchemaFor(row.roleName, p)),
    defaultValues: {
      roleDefinitionId: row.roleDefinitionId,
      directoryScopeId: row.directoryScopeId,
      eligibilityScheduleId: row.id,
      durationMinutes: p.activationMaxMinutes,
      justification: "",
      ticketNumber: "",
      ticketSystem: "",
    },
  });
  const { errors } = form.formState;
  const scopes = [
    { directoryScopeId: row.directoryScopeId, label: row.scopeName },
    ...(row.directoryScopeId === "/" ? unitScopes : []),
  ];

  const submit = form.handleSubmit((values) => {
    setFailure(null);
    start(async () => {
      const res = await activateRoleAction({
        ...values,
        startDateTime: customStart ? values.startDateTime : undefined,
      });
      if (res.ok) {
        const until = formatLocal(new Date(res.data.end));
        if (res.data.status === "PendingApproval") {
          toast.info(`Your request to activate ${row.roleName} is pending approval.`, {
            action: { label: "Pending requests", onClick: () => router.push("/pending-requests") },
          });
        } else if (res.data.status === "Granted") {
          toast.success(`${row.roleName} is scheduled from ${formatLocal(new Date(res.data.start))} until ${until}.`);
        } else {
          toast.success(`${row.roleName} is active until ${until}.`);
        }
        onActivated(res.data.status);
        return;
      }
      if (res.code === "MfaRule") {
        setNeedMfa(true);
        return;
      }
      const byRule: Partial<Record<string, (typeof FIELDS)[number]>> = {
        JustificationRule: "justification",
        TicketingRule: "ticketNumber",
        ExpirationRule: "durationMinutes",
      };
      const field = byRule[res.code];
      if (field) form.setError(field, { message: describeFailure(res) });
      for (const f of FIELDS) {
        const m = res.fieldErrors?.[f]?.[0];
        if (m) form.setError(f, { message: m });
      }
      if (!field) setFailure(describeFailure(res));
    });
  });

  return (
    <SidePanel
      open
      onClose={onClose}
      busy={pending}
      title="Activate"
      subtitle={`${row.roleName} | Privileged Identity Management`}
      testId="activate-panel"
      footer={
        needMfa ? (
          <>
            <a href={mfaHref(row.id)} className={buttonClass("primary")}>
              Verify your identity
            </a>
            <Button onClick={onClose}>Cancel</Button>
          </>
        ) : (
          <>
            <Button type="submit" form="activate-form" variant="primary" pending={pending} pendingLabel="Activating…">
              Activate
            </Button>
            <Button onClick={onClose} disabled={pending}>
              Cancel
            </Button>
          </>
        )
      }
    >
      {needMfa && (
        <Notice tone="warning">
          Activating {row.roleName} requires multifactor authentication within the last 15 minutes. Verify your identity
          with your authenticator app; you will come back to this panel.
        </Notice>
      )}
      {p.approvalRequired && (
        <Notice tone="info">
          {row.roleName} requires approval. Your request goes to the approvers; it becomes active when approved.
        </Notice>
      )}
      {failure && <Notice tone="error">{failure}</Notice>}
      <form id="activate-form" onSubmit={submit} noValidate aria-label={`Activate ${row.roleName}`}>
        <dl className="mb-4 grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
          <dt className="font-semibold">Role</dt>
          <dd>{row.roleName}</dd>
          <dt className="font-semibold">Membership</dt>
          <dd>{row.memberType === "Group" ? `Group (${row.viaGroupName ?? "group"})` : "Direct"}</dd>
        </dl>
        <Field
          label="Scope"
          error={errors.directoryScopeId?.message}
          hint="A directory-wide eligibility may be activated for one administrative unit only."
        >
          {(c) => (
            <Select {...c} {...form.register("directoryScopeId")} disabled={scopes.length === 1 || needMfa}>
              {scopes.map((s) => (
                <option key={s.directoryScopeId} value={s.directoryScopeId}>
                  {s.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Checkbox
          label="Custom activation start time"
          checked={customStart}
          onChange={(e) => setCustomStart(e.target.checked)}
          disabled={needMfa}
        />
        {customStart && (
          <Field
            label="Start time"
            error={errors.startDateTime?.message}
            hint="In your time zone. Leave the box unticked to start now."
            required
          >
            {(c) => (
              <TextInput
                {...c}
                type="datetime-local"
                {...form.register("startDateTime", { setValueAs: (v: string) => (v ? v : undefined) })}
              />
            )}
          </Field>
        )}
        <Field
          label="Duration"
          hint={`Maximum ${formatMinutes(p.activationMaxMinutes)}`}
          error={errors.durationMinutes?.message}
          required
        >
          {(c) => (
            <Controller
              control={form.control}
              name="durationMinutes"
              render={({ field }) => (
                <DurationField
                  {...c}
                  name={field.name}
                  value={field.value ?? p.activationMaxMinutes}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  maxMinutes={p.activationMaxMinutes}
                  disabled={needMfa}
                />
              )}
            />
          )}
        </Field>
        <Field
          label="Reason"
          hint="Why you need this role now (kept in the audit log)."
          error={errors.justification?.message}
          required={p.requireJustification}
        >
          {(c) => (
            <TextArea {...c} {...form.register("justification")} data-autofocus disabled={needMfa} maxLength={500} />
          )}
        </Field>
        {p.requireTicket && (
          <div className="grid grid-cols-2 gap-3">
            <Field label="Ticket number" error={errors.ticketNumber?.message} required>
              {(c) => <TextInput {...c} {...form.register("ticketNumber")} disabled={needMfa} />}
            </Field>
            <Field label="Ticket system" error={errors.ticketSystem?.message} required>
              {(c) => <TextInput {...c} {...form.register("ticketSystem")} disabled={needMfa} />}
            </Field>
          </div>
        )}
      </form>
    </SidePanel>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { DurationField } from "@/components/duration-field";
import { Button, buttonClass } from "@/components/ui/button";
import { CharacterCount } from "@/components/ui/character-count";
import { Checkbox, Field, Select, TextArea, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { formatMinutes } from "@/components/ui/time-format";
import { formatLocal, LocalTime, serverNowInBrowser } from "@/components/ui/local-time";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { CONFIRM_START_AHEAD_MS, MAX_START_AHEAD_MS } from "@/lib/pim/rules/constants";
import { localInputValue } from "../assignments/datetime";
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
  /** A start days away was confirmed (the start it was confirmed for). */
  const [confirmedStart, setConfirmedStart] = useState<number | null>(null);
  const [farStart, setFarStart] = useState<Date | null>(null);
  const [now] = useState(serverNowInBrowser);
  const p = row.policy;
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(activationSchemaFor(row.roleName, p, serverNowInBrowser)),
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
  const justification = useWatch({ control: form.control, name: "justification" }) ?? "";
  const scopes = [
    { directoryScopeId: row.directoryScopeId, label: row.scopeName },
    ...(row.directoryScopeId === "/" ? unitScopes : []),
  ];

  const submit = form.handleSubmit((values) => {
    setFailure(null);
    const startAt = customStart && values.startDateTime ? values.startDateTime.getTime() : null;
    // A start days away is more often a typo than a plan: say when it is and ask once more.
    if (
      startAt !== null &&
      startAt - serverNowInBrowser().getTime() >= CONFIRM_START_AHEAD_MS &&
      confirmedStart !== startAt
    ) {
      setFarStart(new Date(startAt));
      setConfirmedStart(startAt);
      return;
    }
    setFarStart(null);
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
              {farStart ? "Schedule activation" : "Activate"}
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
      {row.scheduledFrom &&
        (p.approvalRequired ? (
          <Notice tone="warning">
            You have a scheduled activation of {row.roleName} from <LocalTime value={row.scheduledFrom} />. Cancel it on{" "}
            <a href="/pending-requests" className="underline">
              Pending requests
            </a>{" "}
            before asking for a new one.
          </Notice>
        ) : (
          <Notice tone="info">
            You have a scheduled activation of {row.roleName} from <LocalTime value={row.scheduledFrom} />. Activating
            now replaces it.
          </Notice>
        ))}
      {failure && <Notice tone="error">{failure}</Notice>}
      {farStart && (
        <Notice tone="warning">
          This activation starts in {Math.round((farStart.getTime() - now.getTime()) / 86_400_000)} days, on{" "}
          {formatLocal(farStart)}; until then you do not hold {row.roleName}. Select <b>Schedule activation</b> to
          confirm, or change the start time.
        </Notice>
      )}
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
          onChange={(e) => {
            setCustomStart(e.target.checked);
            setFarStart(null);
            if (!e.target.checked) form.setValue("startDateTime", undefined);
          }}
          disabled={needMfa}
        />
        {customStart && (
          <Field
            label="Start time"
            error={errors.startDateTime?.message}
            hint="In your time zone, from now up to 30 days ahead. Leave the box unticked to start now."
            required
          >
            {(c) => (
              <TextInput
                {...c}
                type="datetime-local"
                min={localInputValue(now)}
                max={localInputValue(new Date(now.getTime() + MAX_START_AHEAD_MS))}
                {...form.register("startDateTime", {
                  setValueAs: (v: string) => (v ? v : undefined),
                  onChange: () => setFarStart(null),
                })}
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
          hint={
            <>
              Why you need this role now (kept in the audit log).{" "}
              <CharacterCount length={justification.length} max={500} />
            </>
          }
          error={errors.justification?.message}
          required={p.requireJustification}
        >
          {(c) => <TextArea {...c} {...form.register("justification")} data-autofocus disabled={needMfa} />}
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

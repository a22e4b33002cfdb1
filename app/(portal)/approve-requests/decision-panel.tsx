"use client";

import "@/lib/validation/zod-config";
import { useState, useTransition } from "react";
import { useForm, useWatch, type Control } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CharacterCount } from "@/components/ui/character-count";
import { Field, TextArea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { decideRequestsInput } from "@/lib/validation/pim";
import { statusText } from "@/components/status-badge";
import { decideRequestsAction, type DecisionRowResult } from "./actions";
import type { ApprovableRow } from "./approve-requests-view";

type FormIn = z.input<typeof decideRequestsInput>;
type FormOut = z.output<typeof decideRequestsInput>;

/** The Approve / Deny panel: the selected requests, a required justification, then the result per request. */
export function DecisionPanel({
  decision,
  rows,
  onClose,
}: {
  decision: "Approve" | "Deny";
  rows: ApprovableRow[];
  onClose: (done: boolean) => void;
}) {
  const [pending, start] = useTransition();
  const [results, setResults] = useState<DecisionRowResult[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(decideRequestsInput),
    defaultValues: {
      requestIds: rows.map((r) => r.id),
      decision,
      justification: "",
      // the stage each row showed: a stage decided meanwhile by someone else is refused, not passed on to the next
      stages: Object.fromEntries(rows.map((r) => [r.id, r.stage])),
    },
  });
  const verb = decision === "Approve" ? "Approve" : "Deny";
  const byId = new Map(rows.map((r) => [r.id, r]));

  const submit = form.handleSubmit((values) =>
    start(async () => {
      setFailure(null);
      const res = await decideRequestsAction(values);
      if (!res.ok) {
        const m = res.fieldErrors?.justification?.[0];
        if (m) form.setError("justification", { message: m });
        else setFailure(describeFailure(res));
        return;
      }
      setResults(res.data);
      const good = res.data.filter((r) => r.ok).length;
      const bad = res.data.length - good;
      if (good > 0)
        toast.success(`${decision === "Approve" ? "Approved" : "Denied"} ${good} request${good === 1 ? "" : "s"}.`);
      if (bad > 0)
        toast.error(
          `${bad} request${bad === 1 ? "" : "s"} could not be ${decision === "Approve" ? "approved" : "denied"}.`,
        );
    }),
  );

  return (
    <SidePanel
      open
      onClose={() => onClose(results !== null)}
      busy={pending}
      title={`${verb} request${rows.length === 1 ? "" : "s"}`}
      subtitle={`${rows.length} selected`}
      testId="decision-panel"
      footer={
        results ? (
          <Button variant="primary" onClick={() => onClose(true)} data-autofocus>
            Done
          </Button>
        ) : (
          <>
            <Button
              type="submit"
              form="decision-form"
              variant={decision === "Approve" ? "primary" : "danger"}
              pending={pending}
              pendingLabel="Submitting…"
            >
              {verb}
            </Button>
            <Button onClick={() => onClose(false)} disabled={pending}>
              Cancel
            </Button>
          </>
        )
      }
    >
      {failure && <Notice tone="error">{failure}</Notice>}
      <ul className="mb-4 divide-y divide-neutral-200 border border-neutral-200 text-sm" aria-label="Selected requests">
        {rows.map((r) => {
          const result = results?.find((x) => x.requestId === r.id);
          return (
            <li key={r.id} className="px-3 py-2" data-testid={`decision-${r.id}`}>
              <span className="font-semibold">{r.principalName}</span> — {r.roleName} ({r.scopeName})
              {r.justification && <span className="block text-xs text-neutral-700">“{r.justification}”</span>}
              {result && (
                <span className="mt-1 block">
                  {result.ok ? (
                    <Badge
                      tone={result.status === "Denied" ? "danger" : result.status === "Failed" ? "danger" : "success"}
                    >
                      {result.status === "PendingApproval"
                        ? "Approval recorded; waiting for the next approver"
                        : statusText(result.status)}
                    </Badge>
                  ) : (
                    <Badge tone="danger">Not done: {result.message}</Badge>
                  )}
                  {result.ok && result.failureReason && (
                    <span className="block text-xs text-red-700">{result.failureReason}</span>
                  )}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {!results && (
        <form id="decision-form" onSubmit={submit} noValidate>
          <Field
            label="Justification"
            hint={
              <>
                Required. The requester and the audit log see it. <JustificationCount control={form.control} />
              </>
            }
            error={form.formState.errors.justification?.message}
            required
          >
            {(c) => <TextArea {...c} {...form.register("justification")} data-autofocus />}
          </Field>
          {byId.size > 1 && (
            <p className="text-xs text-neutral-700">The same justification is recorded for each request.</p>
          )}
        </form>
      )}
    </SidePanel>
  );
}

function JustificationCount({ control }: { control: Control<FormIn, unknown, FormOut> }) {
  const text = useWatch({ control, name: "justification" }) ?? "";
  return <CharacterCount length={text.length} max={500} />;
}

"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Ban, CheckCheck, Download, RefreshCw, RotateCcw, Square } from "lucide-react";
import Link from "@/components/ui/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CommandBar, CommandButton, CommandLink } from "@/components/ui/command-bar";
import { DataTable, dataTableColumns } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/actions/result";
import { Checkbox } from "@/components/ui/field";
import {
  applyAccessReviewAction,
  resetAccessReviewAction,
  stopAccessReviewAction,
  stopAccessReviewSeriesAction,
} from "../actions";
import { decisionWords, defaultDecisionWords, kindWords, recurrenceWords, reviewerWords } from "../labels";
import { ReviewStatusBadge } from "../reviews-view";

type Item = {
  id: string;
  principalName: string;
  principalUpn: string | null;
  roleName: string;
  scheduleKind: string;
  recommendation: string | null;
  recommendationReason: string | null;
  reviewers: string[];
  outcome: string | null;
  outcomeSource: string | null;
  applyResult: string | null;
  decisions: {
    stage: number;
    decision: string;
    reviewerName: string;
    justification: string | null;
    decidedAt: string;
  }[];
};

type Props = {
  admin: boolean;
  definition: {
    id: string;
    displayName: string;
    description: string;
    roleNames: string[];
    assignmentKind: string;
    /** Kinds of principal reviewed (set through Graph); null = every kind. */
    principalTypes: string[] | null;
    /** "All scopes", or the one scope reviewed. */
    scope: string;
    stages: { reviewerType: string; durationDays: number; reviewers: number }[];
    recurrence: string;
    autoApply: boolean;
    defaultDecision: string;
    justificationRequired: boolean;
    recommendationsEnabled: boolean;
    createdByName: string | null;
    /** When the series was stopped (no further instance opens), or null. */
    stoppedAt: string | null;
  };
  instances: { id: string; sequence: number; status: string; start: string }[];
  instance: {
    id: string;
    status: string;
    start: string;
    end: string;
    currentStage: number;
    itemCount: number;
    decidedCount: number;
    appliedAt: string | null;
  } | null;
  outcomes: Record<string, number> | null;
  items: Item[];
};

const h = dataTableColumns<Item>();
const columns = h.columns([
  h.accessor("principalName", {
    header: "Name",
    cell: ({ row: { original: i } }) => (
      <span>
        <span className="font-semibold">{i.principalName}</span>
        {i.principalUpn && <span className="block text-xs text-neutral-700">{i.principalUpn}</span>}
      </span>
    ),
  }),
  h.accessor("roleName", { header: "Role" }),
  h.accessor((i) => (i.scheduleKind === "eligibility" ? "Eligible" : "Active"), { id: "kind", header: "Assignment" }),
  h.accessor((i) => i.recommendation ?? "", {
    id: "rec",
    header: "Recommendation",
    cell: ({ row: { original: i } }) =>
      i.recommendation ? (
        <span>
          {i.recommendation}
          <span className="block text-xs text-neutral-700">{i.recommendationReason}</span>
        </span>
      ) : (
        "-"
      ),
  }),
  h.display({
    id: "decisions",
    header: "Decisions",
    cell: ({ row: { original: i } }) =>
      i.decisions.length === 0 ? (
        <span className="text-neutral-700">
          Not reviewed yet{i.reviewers.length ? ` (${i.reviewers.join(", ")})` : ""}
        </span>
      ) : (
        <ul>
          {i.decisions.map((d) => (
            <li key={d.stage}>
              {i.decisions.length > 1 || d.stage > 0 ? `Stage ${d.stage + 1}: ` : ""}
              <strong>{decisionWords[d.decision]}</strong> by {d.reviewerName}, <LocalTime value={d.decidedAt} />
              {d.justification && <span className="block text-xs text-neutral-700">“{d.justification}”</span>}
            </li>
          ))}
        </ul>
      ),
  }),
  h.accessor((i) => i.outcome ?? "", {
    id: "outcome",
    header: "Result",
    cell: ({ row: { original: i } }) =>
      i.outcome ? (
        <span>
          <Badge tone={i.outcome === "Deny" ? "danger" : i.outcome === "Approve" ? "success" : "neutral"}>
            {decisionWords[i.outcome] ?? i.outcome}
          </Badge>
          {i.outcomeSource && i.outcomeSource !== "reviewer" && (
            <span className="block text-xs text-neutral-700">
              {i.outcomeSource === "recommendation" ? "from the recommendation" : "no response"}
            </span>
          )}
          {i.applyResult && <span className="block text-xs text-neutral-700">{i.applyResult}</span>}
        </span>
      ) : (
        "-"
      ),
  }),
]);

type Command = "stop" | "reset" | "apply" | "stopSeries";
const commandText: Record<Command, { title: string; body: string; button: string }> = {
  stopSeries: {
    title: "Stop this recurring review?",
    body: "No further instance of this review opens. Everything reviewed so far stays in the results and the audit trail.",
    button: "Stop series",
  },
  stop: {
    title: "Stop this review?",
    body: "The review ends now. Members nobody reviewed get the review's no-response outcome. Results are applied automatically only if the review says so.",
    button: "Stop",
  },
  reset: {
    title: "Reset this review?",
    body: "Every decision made so far is cleared; reviewers start again.",
    button: "Reset",
  },
  apply: {
    title: "Apply the results?",
    body: "Denied members lose the reviewed assignment now (audited, and they are notified). Lockout protection still holds: the last Global Administrator stays.",
    button: "Apply",
  },
};

/** One access review's blade: its settings, instance picker, progress, results and the admin commands. */
export function ReviewDetail({ admin, definition: d, instances, instance: inst, outcomes, items }: Props) {
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [pending, start] = useTransition();
  const [command, setCommand] = useState<Command | null>(null);
  const [stopCurrent, setStopCurrent] = useState(true);
  const stopSeries = () =>
    start(async () => {
      const r = await stopAccessReviewSeriesAction({ definitionId: d.id, stopCurrent });
      if (!r.ok) toast.error(r.message);
      else
        toast.success(
          r.data.stoppedInstanceIds.length > 0
            ? "The series is stopped and the current review has ended."
            : "The series is stopped: no further instance opens.",
        );
      setCommand(null);
      router.refresh();
    });
  const run = (c: Command) =>
    start(async () => {
      if (!inst) return;
      const action: (i: { instanceId: string }) => Promise<ActionResult<unknown>> =
        c === "stop" ? stopAccessReviewAction : c === "reset" ? resetAccessReviewAction : applyAccessReviewAction;
      const r = await action({ instanceId: inst.id });
      if (!r.ok) {
        toast.error(r.message);
      } else if (c === "apply") {
        const x = r.data as { removed: number; notRemoved: number; alreadyEnded: number };
        toast.success(`Results applied: ${x.removed} removed${x.notRemoved ? `, ${x.notRemoved} not removed` : ""}.`);
      } else toast.success(c === "stop" ? "The review has ended." : "The decisions were cleared.");
      setCommand(null);
      router.refresh();
    });
  const running = inst?.status === "InProgress";
  const percent = inst && inst.itemCount > 0 ? Math.round((inst.decidedCount * 100) / inst.itemCount) : 0;

  return (
    <>
      <CommandBar label="Access review commands">
        {admin && inst && (running || inst.status === "NotStarted") && (
          <CommandButton onClick={() => setCommand("stop")}>
            <Square aria-hidden /> Stop
          </CommandButton>
        )}
        {admin && running && (
          <CommandButton onClick={() => setCommand("reset")}>
            <RotateCcw aria-hidden /> Reset
          </CommandButton>
        )}
        {admin && d.recurrence !== "oneTime" && !d.stoppedAt && (
          <CommandButton
            onClick={() => {
              setStopCurrent(true);
              setCommand("stopSeries");
            }}
          >
            <Ban aria-hidden /> Stop series
          </CommandButton>
        )}
        {admin && inst?.status === "Completed" && (
          <CommandButton onClick={() => setCommand("apply")}>
            <CheckCheck aria-hidden /> Apply
          </CommandButton>
        )}
        {inst && (
          <CommandLink href={`/access-reviews/${d.id}/export?instance=${inst.id}`} prefetch={false}>
            <Download aria-hidden /> Download results
          </CommandLink>
        )}
        <CommandButton onClick={() => startRefresh(() => router.refresh())} pending={refreshing}>
          {!refreshing && <RefreshCw aria-hidden />} Refresh
        </CommandButton>
      </CommandBar>

      <div className="mb-4 grid gap-6 md:grid-cols-2">
        <dl className="grid grid-cols-[11rem_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-semibold">Roles</dt>
          <dd>{d.roleNames.join(", ")}</dd>
          <dt className="font-semibold">Scope</dt>
          <dd>{d.scope}</dd>
          <dt className="font-semibold">Assignment type</dt>
          <dd>
            {kindWords[d.assignmentKind]}
            {d.principalTypes && (
              <span className="block">
                {d.principalTypes
                  .map((t) => (t === "User" ? "users" : t === "Group" ? "groups" : "service principals"))
                  .join(", ")}{" "}
                only
              </span>
            )}
          </dd>
          <dt className="font-semibold">Reviewers</dt>
          <dd>
            {d.stages.map((s, i) => (
              <span key={i} className="block">
                {d.stages.length > 1 ? `Stage ${i + 1}: ` : ""}
                {reviewerWords[s.reviewerType]} ({s.durationDays} days)
              </span>
            ))}
          </dd>
          <dt className="font-semibold">Frequency</dt>
          <dd>
            {recurrenceWords[d.recurrence]}
            {d.stoppedAt && (
              <span className="block" data-testid="series-stopped">
                Series stopped <LocalTime value={d.stoppedAt} />: no further instance opens
              </span>
            )}
          </dd>
          <dt className="font-semibold">If no response</dt>
          <dd>{defaultDecisionWords[d.defaultDecision]}</dd>
          <dt className="font-semibold">Auto apply</dt>
          <dd>{d.autoApply ? "On" : "Off"}</dd>
          <dt className="font-semibold">Created by</dt>
          <dd>{d.createdByName ?? "-"}</dd>
        </dl>
        {inst && (
          <section aria-labelledby="progress-h" className="text-sm">
            <h2 id="progress-h" className="mb-2 text-base font-semibold">
              Progress
            </h2>
            <p className="mb-1">
              <ReviewStatusBadge status={inst.status} /> <LocalTime value={inst.start} /> –{" "}
              <LocalTime value={inst.end} />
              {d.stages.length > 1 && running ? ` · stage ${inst.currentStage + 1} of ${d.stages.length}` : ""}
            </p>
            <div
              role="progressbar"
              aria-label="Members reviewed"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              className="mb-1 h-2 w-full max-w-sm rounded bg-neutral-200"
            >
              <div className="h-2 rounded bg-[#0078d4]" style={{ width: `${percent}%` }} />
            </div>
            <p>
              {inst.decidedCount} of {inst.itemCount} reviewed{d.stages.length > 1 ? " in this stage" : ""}.
            </p>
            {outcomes && (
              <p className="mt-2">
                Approved {outcomes.Approve} · Denied {outcomes.Deny} · Don&apos;t know {outcomes.DontKnow} · Not
                reviewed {outcomes.NotReviewed}
              </p>
            )}
            {instances.length > 1 && (
              <nav aria-label="Review instances" className="mt-2">
                <span className="font-semibold">Instances: </span>
                {instances.map((i) => (
                  <Link
                    key={i.id}
                    href={`/access-reviews/${d.id}?instance=${i.id}`}
                    aria-current={i.id === inst.id ? "page" : undefined}
                    className="mr-3 text-[#0078d4] underline aria-[current=page]:font-semibold aria-[current=page]:no-underline"
                  >
                    #{i.sequence} ({i.status === "NotStarted" ? "starts " : ""}
                    <LocalTime value={i.start} />)
                  </Link>
                ))}
              </nav>
            )}
          </section>
        )}
      </div>
      {!admin && (
        <Notice>
          You can view this review. Stopping, resetting and applying it needs an active Global Administrator or
          Privileged Role Administrator role.
        </Notice>
      )}

      <h2 className="mb-2 text-base font-semibold">Results</h2>
      <DataTable
        caption={`Members reviewed in ${d.displayName}`}
        data={items}
        columns={columns}
        getRowId={(i) => i.id}
        rowTestId={(i) => `item-${i.principalName.toLowerCase().replace(/\s+/g, "-")}`}
        empty={
          <EmptyState title={inst?.status === "NotStarted" ? "The review has not started yet" : "Nobody to review"}>
            {inst?.status === "NotStarted"
              ? "Members are listed when the review starts."
              : "No assignment of these roles was in force when the review started."}
          </EmptyState>
        }
      />
      {command && (
        <SidePanel
          open
          variant="dialog"
          busy={pending}
          onClose={() => setCommand(null)}
          title={commandText[command].title}
          testId="review-command-dialog"
          footer={
            <>
              <Button
                variant={command === "reset" || command === "stopSeries" ? "danger" : "primary"}
                onClick={() => (command === "stopSeries" ? stopSeries() : run(command))}
                pending={pending}
              >
                {commandText[command].button}
              </Button>
              <Button onClick={() => setCommand(null)} disabled={pending}>
                Cancel
              </Button>
            </>
          }
        >
          <p className="mb-3 text-sm">{commandText[command].body}</p>
          {command === "stopSeries" && running && (
            <Checkbox
              label="Also stop the review in progress now"
              hint="Otherwise it runs to its end date, and nothing opens after it."
              checked={stopCurrent}
              onChange={(e) => setStopCurrent(e.currentTarget.checked)}
            />
          )}
        </SidePanel>
      )}
    </>
  );
}

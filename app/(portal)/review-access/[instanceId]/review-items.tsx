"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { Check, CircleHelp, RefreshCw, Sparkles, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CommandBar, CommandButton } from "@/components/ui/command-bar";
import { DataTable, dataTableColumns } from "@/components/ui/data-table";
import { Field, TextArea } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { acceptReviewRecommendationsAction, decideReviewItemsAction } from "../actions";

type Decision = "Approve" | "Deny" | "DontKnow";
type Row = {
  id: string;
  principalName: string;
  principalUpn: string | null;
  roleName: string;
  scheduleKind: string;
  recommendation: "Approve" | "Deny" | null;
  recommendationReason: string | null;
  lastActivationAt: string | null;
  lastSignInAt: string | null;
  decision: { decision: Decision; justification: string | null; reviewerName: string } | null;
  earlier: { stage: number; decision: Decision; reviewerName: string; justification: string | null }[];
};
type Review = {
  instanceId: string;
  description: string;
  currentStage: number;
  stageCount: number;
  justificationRequired: boolean;
  due: string;
  pending: number;
  toReview: number;
  /** Members still undecided that have a recommendation (what "Accept recommendations" decides). */
  recommendable: number;
};

const words: Record<Decision, string> = { Approve: "Approve", Deny: "Deny", DontKnow: "Don't know" };

const h = dataTableColumns<Row>();
const allColumns = h.columns([
  h.accessor("principalName", {
    header: "Name",
    cell: ({ row: { original: r } }) => (
      <span>
        <span className="font-semibold">{r.principalName}</span>
        {r.principalUpn && <span className="block text-xs text-neutral-700">{r.principalUpn}</span>}
      </span>
    ),
  }),
  h.accessor("roleName", { header: "Role" }),
  h.accessor((r) => (r.scheduleKind === "eligibility" ? "Eligible" : "Active"), { id: "kind", header: "Assignment" }),
  h.accessor((r) => r.recommendation ?? "", {
    id: "recommendation",
    header: "Recommendation",
    cell: ({ row: { original: r } }) =>
      r.recommendation ? (
        <span>
          {r.recommendation}
          <span className="block text-xs text-neutral-700">{r.recommendationReason}</span>
        </span>
      ) : (
        "-"
      ),
  }),
  h.accessor("lastActivationAt", {
    header: "Last activation",
    meta: { className: "whitespace-nowrap" },
    cell: ({ getValue }) => <LocalTime value={getValue()} empty="Never" />,
  }),
  h.accessor("lastSignInAt", {
    header: "Last sign-in",
    meta: { className: "whitespace-nowrap" },
    cell: ({ getValue }) => <LocalTime value={getValue()} empty="Never" />,
  }),
  h.display({
    id: "earlier",
    header: "Earlier stages",
    cell: ({ row: { original: r } }) =>
      r.earlier.length === 0
        ? "-"
        : r.earlier.map((d) => (
            <span key={d.stage} className="block">
              Stage {d.stage + 1}: <strong>{words[d.decision]}</strong> by {d.reviewerName}
              {d.justification && <span className="block text-xs text-neutral-700">“{d.justification}”</span>}
            </span>
          )),
  }),
  h.accessor((r) => r.decision?.decision ?? "", {
    id: "decision",
    header: "Your decision",
    cell: ({ row: { original: r } }) =>
      r.decision ? (
        <span>
          <strong>{words[r.decision.decision]}</strong>
          {r.decision.justification && (
            <span className="block text-xs text-neutral-700">“{r.decision.justification}”</span>
          )}
        </span>
      ) : (
        <span className="text-neutral-700">Not reviewed</span>
      ),
  }),
]);

/** The reviewer's blade: select members, then Approve / Deny / Don't know with a reason (one or many at once). */
export function ReviewItems({ review, rows }: { review: Review; rows: Row[] }) {
  const router = useRouter();
  const [selected, setSelected] = useState<string[]>([]);
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const [refreshing, startRefresh] = useTransition();
  const [accepting, setAccepting] = useState(false);
  const accept = () =>
    start(async () => {
      setFailure(null);
      const r = await acceptReviewRecommendationsAction({ instanceId: review.instanceId });
      if (!r.ok) {
        setFailure(describeFailure(r));
        return;
      }
      const x = r.data;
      toast.success(
        x.decided === 0
          ? "Nothing left to decide from a recommendation."
          : `Recommendations accepted: ${x.approved} approved, ${x.denied} denied.`,
      );
      setAccepting(false);
      router.refresh();
    });
  const open = (d: Decision) => {
    setReason("");
    setError(undefined);
    setFailure(null);
    setDeciding(d);
  };
  const needsReason = deciding === "Deny" || (deciding === "Approve" && review.justificationRequired);
  const submit = () =>
    start(async () => {
      if (!deciding) return;
      if (needsReason && !reason.trim()) {
        setError("Give a reason.");
        return;
      }
      const r = await decideReviewItemsAction({
        instanceId: review.instanceId,
        itemIds: selected,
        decision: deciding,
        justification: reason,
      });
      if (!r.ok) {
        setError(r.fieldErrors?.justification?.[0]);
        setFailure(describeFailure(r));
        return;
      }
      toast.success(`${words[deciding]}: ${r.data.decided} member${r.data.decided === 1 ? "" : "s"}.`);
      setDeciding(null);
      setSelected([]);
      router.refresh();
    });
  const names = rows.filter((r) => selected.includes(r.id)).map((r) => r.principalName);
  // Earlier stages' decisions only where there are earlier stages (a one-stage review has none).
  const columns = useMemo(
    () => (review.currentStage > 0 ? allColumns : allColumns.filter((c) => c.id !== "earlier")),
    [review.currentStage],
  );

  return (
    <>
      <CommandBar label="Review commands">
        <CommandButton onClick={() => open("Approve")} disabled={selected.length === 0}>
          <Check aria-hidden /> Approve
        </CommandButton>
        <CommandButton onClick={() => open("Deny")} disabled={selected.length === 0}>
          <X aria-hidden /> Deny
        </CommandButton>
        <CommandButton onClick={() => open("DontKnow")} disabled={selected.length === 0}>
          <CircleHelp aria-hidden /> Don&apos;t know
        </CommandButton>
        <CommandButton
          onClick={() => {
            setFailure(null);
            setAccepting(true);
          }}
          disabled={review.recommendable === 0}
        >
          <Sparkles aria-hidden /> Accept recommendations
        </CommandButton>
        <CommandButton onClick={() => startRefresh(() => router.refresh())} pending={refreshing}>
          {!refreshing && <RefreshCw aria-hidden />} Refresh
        </CommandButton>
      </CommandBar>
      <p className="mb-3 text-sm">
        {review.description && <span className="block">{review.description}</span>}
        {review.stageCount > 1 && `Stage ${review.currentStage + 1} of ${review.stageCount}. `}
        {review.pending} of {review.toReview} still to decide. Due <LocalTime value={review.due} />. Select members,
        then Approve, Deny or Don&apos;t know.
      </p>
      <DataTable
        caption="Members to review"
        data={rows}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId={(r) => `review-item-${r.principalName.toLowerCase().replace(/\s+/g, "-")}`}
        selection={{ selected, onChange: setSelected, rowLabel: (r) => `Select ${r.principalName} for ${r.roleName}` }}
      />
      {accepting && (
        <SidePanel
          open
          variant="dialog"
          busy={pending}
          onClose={() => setAccepting(false)}
          title="Accept recommendations?"
          testId="accept-recommendations-dialog"
          footer={
            <>
              <Button variant="primary" onClick={accept} pending={pending} pendingLabel="Saving…" data-autofocus>
                Accept recommendations
              </Button>
              <Button onClick={() => setAccepting(false)} disabled={pending}>
                Cancel
              </Button>
            </>
          }
        >
          {failure && <Notice tone="error">{failure}</Notice>}
          <p className="text-sm">
            {review.recommendable} member{review.recommendable === 1 ? "" : "s"} you have not decided yet will get their
            recommendation (Approve or Deny), with its reason as your justification. Members you already decided keep
            your decision. You can still change any decision until the review ends.
          </p>
        </SidePanel>
      )}
      {deciding && (
        <SidePanel
          open
          variant="dialog"
          busy={pending}
          onClose={() => setDeciding(null)}
          title={`${words[deciding]} ${names.length === 1 ? names[0] : `${names.length} members`}?`}
          testId="review-decision-dialog"
          footer={
            <>
              <Button
                variant={deciding === "Deny" ? "danger" : "primary"}
                onClick={submit}
                pending={pending}
                pendingLabel="Saving…"
              >
                {words[deciding]}
              </Button>
              <Button onClick={() => setDeciding(null)} disabled={pending}>
                Cancel
              </Button>
            </>
          }
        >
          {failure && <Notice tone="error">{failure}</Notice>}
          <p className="mb-3 text-sm">{names.join(", ")}</p>
          <Field label="Reason" required={needsReason} error={error}>
            {(p) => (
              <TextArea
                {...p}
                data-autofocus
                rows={3}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
              />
            )}
          </Field>
        </SidePanel>
      )}
    </>
  );
}

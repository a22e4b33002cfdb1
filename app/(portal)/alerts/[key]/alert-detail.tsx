"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { EyeOff, RefreshCw, Settings } from "lucide-react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { CommandBar, CommandButton, CommandLink } from "@/components/ui/command-bar";
import { DataTable, dataTableColumns, type DataTableColumn } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { JustifiedConfirm } from "@/components/ui/justified-confirm";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { toast } from "@/components/ui/toaster";
import type { AlertFix } from "@/lib/pim/governance/alert-catalog";
import type { AffectedItem } from "@/lib/pim/governance/evaluate";
import type { AlertStatus } from "@/lib/pim/queries/alerts";
import type { AlertKey } from "@/lib/validation/governance";
import { requiredText } from "@/lib/validation/text";
import { dismissAlertAction, fixAlertAction, refreshAlertsAction } from "../actions";
import { AlertStatusBadge, SeverityBadge } from "../severity";

type AlertProps = {
  key: AlertKey;
  title: string;
  severity: "High" | "Medium" | "Low";
  status: AlertStatus;
  description: string;
  whyItMatters: string;
  howToFix: string;
  trigger: string;
  fixes: AlertFix[];
  affectedCount: number;
  details: Record<string, unknown>;
  raisedAt: string | null;
  evaluatedAt: string | null;
  dismissal: { reason: string; by: string | null; at: string } | null;
};

const reasonSchema = z.object({ justification: requiredText({ max: 500, required: "Give a reason." }) });
type Pending = { item: AffectedItem; fix: "remove" | "makeEligible" } | null;

const h = dataTableColumns<AffectedItem>();
const base: DataTableColumn<AffectedItem>[] = h.columns([
  h.accessor((r) => r.principalName ?? r.roleName ?? "", {
    id: "name",
    header: "Name",
    cell: ({ getValue }) => <span className="font-semibold">{getValue()}</span>,
  }),
  h.accessor((r) => (r.principalName ? (r.roleName ?? "") : ""), { id: "role", header: "Role" }),
  h.accessor(
    (r) => (r.scheduleKind === "eligibility" ? "Eligible" : r.scheduleKind === "assignment" ? "Active" : "-"),
    {
      id: "kind",
      header: "Assignment",
    },
  ),
  h.accessor((r) => r.info ?? "", { id: "info", header: "Details" }),
]);

/** One alert's blade: facts, Refresh / Dismiss / Settings, and the affected items with their one-click fixes. */
export function AlertDetail({
  alert: a,
  affected,
  admin,
}: {
  alert: AlertProps;
  affected: AffectedItem[];
  admin: boolean;
}) {
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [fixing, startFix] = useTransition();
  const [dismissing, setDismissing] = useState(false);
  const [pending, setPending] = useState<Pending>(null);

  const refresh = () =>
    startRefresh(async () => {
      const r = await refreshAlertsAction({});
      if (!r.ok) toast.error(r.message);
      router.refresh();
    });
  const requireMfa = (item: AffectedItem) =>
    startFix(async () => {
      const r = await fixAlertAction({ alertKey: a.key, fix: "requireMfa", roleDefinitionId: item.roleId ?? "" });
      if (!r.ok) toast.error(r.message);
      else toast.success(`${item.roleName}: ${r.data.done}`);
      router.refresh();
    });

  const columns = useMemo<DataTableColumn<AffectedItem>[]>(() => {
    if (!admin || a.fixes.length === 0) return base;
    return [
      ...base,
      h.display({
        id: "fix",
        header: "Fix",
        meta: { className: "whitespace-nowrap" },
        cell: ({ row: { original: item } }) => {
          const who = item.principalName ?? item.roleName ?? "";
          return (
            <span className="inline-flex gap-3">
              {a.fixes.includes("requireMfa") && (
                <Button variant="link" onClick={() => requireMfa(item)} disabled={fixing}>
                  Require MFA<span className="sr-only"> for {who}</span>
                </Button>
              )}
              {a.fixes.includes("makeEligible") &&
                item.scheduleKind === "assignment" &&
                item.principalType !== "ServicePrincipal" && (
                  <Button variant="link" onClick={() => setPending({ item, fix: "makeEligible" })}>
                    Make eligible<span className="sr-only"> {who}</span>
                  </Button>
                )}
              {a.fixes.includes("remove") && item.scheduleKind && (
                <Button variant="link" onClick={() => setPending({ item, fix: "remove" })}>
                  Remove<span className="sr-only"> {who}</span>
                </Button>
              )}
            </span>
          );
        },
      }),
    ];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [admin, a.fixes, fixing]);

  const ga =
    a.key === "tooManyGlobalAdmins" ? (a.details as { gaCount?: number; total?: number; percent?: number }) : null;

  return (
    <>
      <CommandBar label="Alert commands">
        {admin && (
          <CommandButton onClick={refresh} pending={refreshing}>
            {!refreshing && <RefreshCw aria-hidden />} Refresh
          </CommandButton>
        )}
        {admin && a.status === "Active" && (
          <CommandButton onClick={() => setDismissing(true)}>
            <EyeOff aria-hidden /> Dismiss
          </CommandButton>
        )}
        <CommandLink href="/alerts/settings">
          <Settings aria-hidden /> Settings
        </CommandLink>
      </CommandBar>

      <dl className="mb-4 grid max-w-3xl grid-cols-[12rem_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="font-semibold">Risk level</dt>
        <dd>
          <SeverityBadge severity={a.severity} />
        </dd>
        <dt className="font-semibold">Status</dt>
        <dd data-testid="alert-status">
          <AlertStatusBadge status={a.status} />
        </dd>
        <dt className="font-semibold">Triggered when</dt>
        <dd>{a.trigger}</dd>
        {ga && ga.gaCount !== undefined && (
          <>
            <dt className="font-semibold">Global Administrators</dt>
            <dd>
              {ga.gaCount} of {ga.total} assignments ({ga.percent}%)
            </dd>
          </>
        )}
        <dt className="font-semibold">Last evaluated</dt>
        <dd>
          <LocalTime value={a.evaluatedAt} empty="never" />
        </dd>
      </dl>
      {a.dismissal && (
        <Notice>
          Dismissed by {a.dismissal.by ?? "an administrator"} (<LocalTime value={a.dismissal.at} />
          ): {a.dismissal.reason}. It comes back when the affected items change.
        </Notice>
      )}
      <section aria-labelledby="alert-about" className="mb-4 max-w-3xl text-sm">
        <h2 id="alert-about" className="mb-1 text-base font-semibold">
          Description
        </h2>
        <p className="mb-3">{a.description}</p>
        <h2 className="mb-1 text-base font-semibold">Why it matters</h2>
        <p className="mb-3">{a.whyItMatters}</p>
        <h2 className="mb-1 text-base font-semibold">How to fix</h2>
        <p>{a.howToFix}</p>
      </section>

      <h2 className="mb-2 text-base font-semibold">
        Affected items
        {a.affectedCount > affected.length
          ? ` (first ${affected.length} of ${a.affectedCount})`
          : ` (${affected.length})`}
      </h2>
      <DataTable
        caption={`Items affected by "${a.title}"`}
        data={affected}
        columns={columns}
        getRowId={(r) => r.key}
        rowTestId={(r) => `affected-${(r.principalName ?? r.roleName ?? r.key).toLowerCase().replace(/\s+/g, "-")}`}
        empty={<EmptyState title="Nothing is affected">The alert found no items at its last evaluation.</EmptyState>}
      />

      {dismissing && (
        <JustifiedConfirm
          title={`Dismiss "${a.title}"?`}
          testId="dismiss-alert-dialog"
          hint="Why this is acceptable, e.g. the ticket."
          confirmLabel="Dismiss"
          pendingLabel="Dismissing…"
          tone="primary"
          input={{}}
          schema={reasonSchema}
          action={(i: { justification: string }) => dismissAlertAction({ alertKey: a.key, reason: i.justification })}
          done={() => "The alert is dismissed until its affected items change."}
          onClose={() => setDismissing(false)}
        >
          <p className="mb-3 text-sm">
            The alert is hidden until its affected items change. The dismissal and its reason are audited.
          </p>
        </JustifiedConfirm>
      )}
      {pending && (
        <JustifiedConfirm
          title={`${pending.fix === "remove" ? "Remove" : "Make eligible"}: ${pending.item.principalName} (${pending.item.roleName})?`}
          testId="fix-alert-dialog"
          hint="Why, e.g. the ticket."
          confirmLabel={pending.fix === "remove" ? "Remove" : "Make eligible"}
          pendingLabel="Working…"
          tone={pending.fix === "remove" ? "danger" : "primary"}
          input={{}}
          schema={reasonSchema}
          action={(i: { justification: string }) =>
            pending.fix === "remove"
              ? fixAlertAction({
                  alertKey: a.key,
                  fix: "remove",
                  kind: pending.item.scheduleKind ?? "assignment",
                  scheduleId: pending.item.scheduleId ?? "",
                  justification: i.justification,
                })
              : fixAlertAction({
                  alertKey: a.key,
                  fix: "makeEligible",
                  scheduleId: pending.item.scheduleId ?? "",
                  justification: i.justification,
                })
          }
          done={(d) => d.done}
          onClose={() => setPending(null)}
        >
          <p className="mb-3 text-sm">
            {pending.fix === "remove"
              ? `${pending.item.principalName} loses the ${pending.item.roleName} role now. Lockout protection still applies: the last Global Administrator stays.`
              : `${pending.item.principalName}'s standing active assignment ends now and they become eligible for ${pending.item.roleName}: they activate it when they need it.`}
          </p>
        </JustifiedConfirm>
      )}
    </>
  );
}

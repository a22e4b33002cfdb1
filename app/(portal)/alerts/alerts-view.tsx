"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { RefreshCw, Settings } from "lucide-react";
import Link from "@/components/ui/link";
import { CommandBar, CommandButton, CommandLink } from "@/components/ui/command-bar";
import { DataTable, dataTableColumns } from "@/components/ui/data-table";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { toast } from "@/components/ui/toaster";
import type { AlertStatus } from "@/lib/pim/queries/alerts";
import { refreshAlertsAction } from "./actions";
import { AlertStatusBadge, SeverityBadge } from "./severity";

type Row = {
  key: string;
  title: string;
  severity: "High" | "Medium" | "Low";
  status: AlertStatus;
  affectedCount: number;
  trigger: string;
  raisedAt: string | null;
};

const h = dataTableColumns<Row>();
const columns = h.columns([
  h.accessor("title", {
    header: "Alert",
    cell: ({ row: { original: a } }) => (
      <Link className="font-semibold text-[#0078d4] hover:underline" href={`/alerts/${a.key}`}>
        {a.title}
      </Link>
    ),
  }),
  h.accessor("severity", { header: "Risk level", cell: ({ getValue }) => <SeverityBadge severity={getValue()} /> }),
  h.accessor("status", { header: "Status", cell: ({ getValue }) => <AlertStatusBadge status={getValue()} /> }),
  h.accessor("affectedCount", {
    header: "Affected items",
    cell: ({ row: { original: a } }) => (a.status === "Active" || a.status === "Dismissed" ? a.affectedCount : "-"),
  }),
  h.accessor("trigger", { header: "Triggered when" }),
  h.accessor("raisedAt", {
    header: "Raised",
    meta: { className: "whitespace-nowrap" },
    cell: ({ getValue }) => <LocalTime value={getValue()} empty="-" />,
  }),
]);

/** The Alerts blade: Refresh (admins), Settings, and the six alerts, active ones first. */
export function AlertsView({
  rows,
  admin,
  lastEvaluatedAt,
}: {
  rows: Row[];
  admin: boolean;
  lastEvaluatedAt: string | null;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const refresh = () =>
    start(async () => {
      const r = await refreshAlertsAction({});
      if (!r.ok) toast.error(r.message);
      else toast.success(r.data.active === 0 ? "No active alerts." : `${r.data.active} alert(s) active.`);
      router.refresh();
    });
  const active = rows.filter((r) => r.status === "Active").length;
  return (
    <>
      <CommandBar label="Alerts commands">
        {admin && (
          <CommandButton onClick={refresh} pending={pending}>
            {!pending && <RefreshCw aria-hidden />} Refresh
          </CommandButton>
        )}
        <CommandLink href="/alerts/settings">
          <Settings aria-hidden /> Settings
        </CommandLink>
      </CommandBar>
      <p className="mb-3 text-sm text-neutral-700">
        {active === 0 ? "No active alerts." : `${active} active alert${active === 1 ? "" : "s"}.`} Last evaluated:{" "}
        <LocalTime value={lastEvaluatedAt} empty="never" />. The scheduled job evaluates the alerts every 15 minutes.
      </p>
      {!admin && (
        <Notice>
          You can view the alerts. Refreshing, dismissing and fixing them needs an active Global Administrator or
          Privileged Role Administrator role.
        </Notice>
      )}
      <DataTable
        caption="Security alerts"
        data={rows}
        columns={columns}
        getRowId={(r) => r.key}
        rowTestId={(r) => `alert-${r.key}`}
      />
    </>
  );
}

"use client";

import Link from "@/components/ui/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { CancelScheduledDialog } from "@/components/cancel-scheduled-dialog";
import { StatusBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable, dataTableColumns } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { Tabs } from "@/components/ui/tabs";
import { formatMinutes } from "@/components/ui/time-format";
import { cancelRequestAction } from "../pending-requests/actions";
import { ActivatePanel } from "./activate-panel";
import { DeactivateDialog } from "./deactivate-dialog";
import { RequestChangePanel, type ChangeTarget } from "./request-change-panel";
import type { ActiveRow, EligibleRow, ExpiredRow, MyRolesTab } from "./types";

type Props = {
  tab: MyRolesTab;
  eligible: EligibleRow[];
  active: ActiveRow[];
  expired: ExpiredRow[];
  activateId: string | null;
  mfaRecent: boolean;
  unitScopes: { directoryScopeId: string; label: string }[];
  /** "roles": Microsoft Entra roles; "groups": membership and ownership of groups under PIM. */
  view?: "roles" | "groups";
};

const sr = (s: string) => <span className="sr-only"> {s}</span>;
const membership = (r: { memberType: "Direct" | "Group"; viaGroupName: string | null }) =>
  r.memberType === "Group" ? `Group (${r.viaGroupName ?? "group"})` : "Direct";

/** The three tabs of My roles with their row actions and panels. */
export function MyRolesView(p: Props) {
  const router = useRouter();
  const [activating, setActivating] = useState<EligibleRow | null>(
    () => p.eligible.find((r) => r.id === p.activateId) ?? null,
  );
  const [deactivating, setDeactivating] = useState<ActiveRow | null>(null);
  const [canceling, setCanceling] = useState<ActiveRow | null>(null);
  const [changing, setChanging] = useState<ChangeTarget | null>(null);

  const [tab, setTab] = useState<string>(p.tab);
  const groups = p.view === "groups";
  const base = groups ? "/my-roles?view=groups&" : "/my-roles?";
  const what = groups ? "Group" : "Role";
  const closeActivate = () => {
    setActivating(null);
    if (p.activateId) router.replace(groups ? "/my-roles?view=groups" : "/my-roles", { scroll: false });
  };
  const activated = (status: "Provisioned" | "Granted" | "PendingApproval") => {
    setActivating(null);
    const next = status === "PendingApproval" ? "eligible" : "active";
    setTab(next);
    router.replace(`${base}tab=${next}`, { scroll: false });
    router.refresh();
  };

  const eligibleColumns = useMemo(() => {
    const h = dataTableColumns<EligibleRow>();
    return h.columns([
      h.accessor("roleName", {
        header: what,
        cell: ({ row }) => (
          <span>
            <span className="font-semibold">{row.original.roleName}</span>
            <span className="block max-w-md text-xs text-neutral-700">{row.original.roleDescription}</span>
          </span>
        ),
      }),
      h.accessor("scopeName", { header: "Scope" }),
      h.accessor((r) => membership(r), { id: "membership", header: "Membership" }),
      h.accessor((r) => r.policy.activationMaxMinutes, {
        id: "maximum",
        header: "Maximum duration",
        cell: ({ getValue }) => formatMinutes(getValue()),
      }),
      h.accessor("end", {
        header: "End time",
        sortFn: "alphanumeric",
        cell: ({ getValue }) => <LocalTime value={getValue()} />,
      }),
      h.display({
        id: "action",
        header: "Action",
        cell: ({ row: { original: r } }) => {
          if (r.activeUntil) {
            return (
              <span className="flex flex-col items-start gap-0.5">
                <Badge tone="success">Active</Badge>
                <span className="text-xs text-neutral-700">
                  {r.activeUntil === "permanent" ? (
                    "Permanent"
                  ) : (
                    <LocalTime value={r.activeUntil} relative={{ future: "ends", past: "ended" }} />
                  )}
                </span>
              </span>
            );
          }
          if (r.pendingRequestId) {
            return (
              <span className="flex flex-col items-start gap-0.5">
                <StatusBadge status="PendingApproval" />
                <Link href="/pending-requests" className="text-xs text-[#0078d4] hover:underline">
                  See the request{sr(`for ${r.roleName}`)}
                </Link>
              </span>
            );
          }
          return (
            <span className="flex flex-wrap items-start gap-2">
              {r.scheduledFrom && (
                <span className="flex flex-col items-start gap-0.5">
                  <Badge tone="info">Scheduled</Badge>
                  <span className="text-xs text-neutral-700">
                    <LocalTime value={r.scheduledFrom} relative={{ future: "starts", past: "started" }} />
                  </span>
                </span>
              )}
              <Button variant="link" onClick={() => setActivating(r)}>
                Activate{sr(`${r.roleName} (${r.scopeName})`)}
              </Button>
              {r.canRequestExtension && r.end && (
                <Button
                  variant="link"
                  onClick={() =>
                    setChanging({
                      mode: "extend",
                      kind: "eligibility",
                      scheduleId: r.id,
                      roleName: r.roleName,
                      scopeName: r.scopeName,
                      currentEnd: r.end,
                    })
                  }
                >
                  Extend{sr(`eligibility for ${r.roleName}`)}
                </Button>
              )}
            </span>
          );
        },
      }),
    ]);
  }, [what]);

  const activeColumns = useMemo(() => {
    const h = dataTableColumns<ActiveRow>();
    return h.columns([
      h.accessor("roleName", {
        header: what,
        cell: ({ getValue }) => <span className="font-semibold">{getValue()}</span>,
      }),
      h.accessor("scopeName", { header: "Scope" }),
      h.accessor((r) => membership(r), { id: "membership", header: "Membership" }),
      h.accessor("assignmentType", {
        header: "State",
        cell: ({ row: { original: r } }) => (r.scheduled ? <Badge tone="info">Scheduled</Badge> : r.assignmentType),
      }),
      h.accessor("start", { header: "Start time", cell: ({ getValue }) => <LocalTime value={getValue()} /> }),
      h.accessor("end", {
        header: "End time",
        sortFn: "alphanumeric",
        cell: ({ getValue }) => <LocalTime value={getValue()} relative={{ future: "ends", past: "ended" }} />,
      }),
      h.display({
        id: "action",
        header: "Action",
        cell: ({ row: { original: r } }) => (
          <span className="flex flex-wrap items-start gap-x-3 gap-y-1">
            {r.scheduled && r.assignmentType === "Activated" && r.memberType === "Direct" && (
              <Button variant="link" onClick={() => setCanceling(r)}>
                Cancel{sr(`scheduled activation of ${r.roleName}`)}
              </Button>
            )}
            {!r.scheduled && r.assignmentType === "Activated" && r.memberType === "Direct" && (
              <span className="flex flex-col items-start">
                <Button
                  variant="link"
                  disabled={!r.canDeactivateNow}
                  onClick={() => setDeactivating(r)}
                  aria-describedby={!r.canDeactivateNow ? `deact-${r.id}` : undefined}
                >
                  Deactivate{sr(r.roleName)}
                </Button>
                {!r.canDeactivateNow && r.deactivatableFrom && (
                  <span id={`deact-${r.id}`} className="text-xs text-neutral-700">
                    Available 5 minutes after activation (<LocalTime value={r.deactivatableFrom} />)
                  </span>
                )}
              </span>
            )}
            {!r.scheduled && r.canRequestExtension && r.end && (
              <Button
                variant="link"
                onClick={() =>
                  setChanging({
                    mode: "extend",
                    kind: "assignment",
                    scheduleId: r.id,
                    roleName: r.roleName,
                    scopeName: r.scopeName,
                    currentEnd: r.end,
                  })
                }
              >
                Extend{sr(r.roleName)}
              </Button>
            )}
          </span>
        ),
      }),
    ]);
  }, [what]);

  const expiredColumns = useMemo(() => {
    const h = dataTableColumns<ExpiredRow>();
    return h.columns([
      h.accessor("roleName", {
        header: what,
        cell: ({ getValue }) => <span className="font-semibold">{getValue()}</span>,
      }),
      h.accessor("scopeName", { header: "Scope" }),
      h.accessor((r) => (r.kind === "eligibility" ? "Eligible" : (r.assignmentType ?? "Assigned")), {
        id: "type",
        header: "Type",
      }),
      h.accessor("status", {
        header: "Status",
        cell: ({ getValue }) => <StatusBadge kind="schedule" status={getValue()} />,
      }),
      h.accessor("start", { header: "Start time", cell: ({ getValue }) => <LocalTime value={getValue()} /> }),
      h.accessor("end", { header: "End time", cell: ({ getValue }) => <LocalTime value={getValue()} /> }),
      h.display({
        id: "action",
        header: "Action",
        cell: ({ row: { original: r } }) =>
          r.canRequestRenewal ? (
            <Button
              variant="link"
              onClick={() =>
                setChanging({
                  mode: "renew",
                  kind: r.kind,
                  scheduleId: r.id,
                  roleName: r.roleName,
                  scopeName: r.scopeName,
                  currentEnd: r.end,
                })
              }
            >
              Renew{sr(r.roleName)}
            </Button>
          ) : null,
      }),
    ]);
  }, [what]);

  return (
    <>
      <Tabs
        label={groups ? "My groups" : "My roles"}
        value={tab}
        onValueChange={setTab}
        syncParam="tab"
        items={[
          {
            id: "eligible",
            label: "Eligible assignments",
            count: p.eligible.length,
            content: (
              <DataTable
                caption="Eligible assignments"
                data={p.eligible}
                columns={eligibleColumns}
                getRowId={(r) => r.id}
                rowTestId={(r) => `eligible-${r.roleName}`}
                empty={
                  groups ? (
                    <EmptyState title="You have no eligible group memberships">
                      An administrator makes you an eligible member or owner of a group under PIM on the Groups page.
                    </EmptyState>
                  ) : (
                    <EmptyState title="You have no eligible roles">
                      An administrator makes you eligible for a role on the Assignments page. Ask your Privileged Role
                      Administrator if you need one.
                    </EmptyState>
                  )
                }
              />
            ),
          },
          {
            id: "active",
            label: "Active assignments",
            count: p.active.length,
            content: (
              <DataTable
                caption="Active assignments"
                data={p.active}
                columns={activeColumns}
                getRowId={(r) => r.id}
                rowTestId={(r) => `active-${r.roleName}`}
                rowIdAttribute
                empty={
                  <EmptyState title="No active roles">
                    Activate one of your eligible roles on the Eligible assignments tab when you need it.
                  </EmptyState>
                }
              />
            ),
          },
          {
            id: "expired",
            label: "Expired assignments",
            count: p.expired.length,
            content: (
              <DataTable
                caption="Expired assignments"
                data={p.expired}
                columns={expiredColumns}
                getRowId={(r) => `${r.kind}-${r.id}`}
                rowTestId={(r) => `expired-${r.roleName}`}
                empty={
                  <EmptyState title="Nothing expired in the last 30 days">
                    Roles that ended in the last 30 days are listed here; you can ask to renew them.
                  </EmptyState>
                }
              />
            ),
          },
        ]}
      />
      {activating && (
        <ActivatePanel
          row={activating}
          mfaRecent={p.mfaRecent}
          unitScopes={p.unitScopes}
          onClose={closeActivate}
          onActivated={activated}
        />
      )}
      {deactivating && <DeactivateDialog row={deactivating} onClose={() => setDeactivating(null)} />}
      {canceling && (
        <CancelScheduledDialog
          whose="Your"
          roleName={canceling.roleName}
          scopeName={canceling.scopeName}
          start={canceling.start}
          cancel={() => cancelRequestAction({ scheduleId: canceling.id })}
          onClose={() => setCanceling(null)}
        />
      )}
      {changing && <RequestChangePanel target={changing} onClose={() => setChanging(null)} />}
    </>
  );
}
